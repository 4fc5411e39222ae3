"""The floor of bench/platform_throughput.py: a bare Django view running the same
two SELECTs as GET /v1/contacts?limit=20 (the page, then its handles) and
json.dumps of the same shape, with no DRF, no middleware, no auth, no rate limit
and no trace. Bench-only; never part of the product's URLs."""

import json
import os

from django.db import connection
from django.http import HttpResponse
from django.urls import path

from instantreply.core.timeutil import format_ts

WORKSPACE_ID = os.environ.get("BENCH_WORKSPACE_ID", "")


def floor_contacts(request):
    limit = 20
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, name, email, phone, lead_stage, lead_temperature, tags, livemode, "
            "created_at, updated_at, last_seen_at FROM contacts_contact "
            "WHERE workspace_id = %s AND livemode ORDER BY created_at DESC, id DESC LIMIT %s",
            [WORKSPACE_ID, limit + 1],
        )
        rows = cursor.fetchall()
        page = rows[:limit]
        ids = [r[0] for r in page]
        cursor.execute(
            "SELECT contact_id, platform, external_id, username FROM contacts_contacthandle "
            "WHERE contact_id = ANY(%s) ORDER BY created_at, id",
            [ids],
        )
        handles: dict[str, list] = {}
        for contact_id, platform, external_id, username in cursor.fetchall():
            handles.setdefault(contact_id, []).append(
                {"platform": platform, "external_id": external_id, "username": username}
            )
    data = [
        {
            "id": r[0],
            "name": r[1],
            "email": r[2],
            "phone": r[3],
            "handles": handles.get(r[0], []),
            "lead_stage": r[4],
            "lead_temperature": r[5],
            "tags": r[6] if isinstance(r[6], list) else json.loads(r[6]),
            "livemode": r[7],
            "created_at": format_ts(r[8]),
            "updated_at": format_ts(r[9]),
            "last_seen_at": format_ts(r[10]),
        }
        for r in page
    ]
    body = {"data": data, "pagination": {"has_more": len(rows) > limit, "next_cursor": None}}
    return HttpResponse(json.dumps(body), content_type="application/json")


urlpatterns = [path("floor/contacts", floor_contacts)]
