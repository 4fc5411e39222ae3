"""The no-Django floor of bench/platform_throughput.py: a bare WSGI app with psycopg
and ``json.dumps``, running the same two SELECTs as GET /v1/contacts?limit=20 (the
page, then its handles) and answering the same JSON. What a hand-written endpoint
doing the same SQL costs, served by the same gunicorn settings. Bench-only.

Environment: DATABASE_URL, BENCH_WORKSPACE_ID.
"""

import datetime as dt
import json
import os

from bench.floor_common import connection

_WORKSPACE_ID = os.environ.get("BENCH_WORKSPACE_ID", "")
_PAGE = (
    "SELECT id, name, email, phone, lead_stage, lead_temperature, tags, livemode, "
    "created_at, updated_at, last_seen_at FROM contacts_contact "
    "WHERE workspace_id = %s AND livemode ORDER BY created_at DESC, id DESC LIMIT %s"
)
_HANDLES = (
    "SELECT contact_id, platform, external_id, username FROM contacts_contacthandle "
    "WHERE contact_id = ANY(%s) ORDER BY created_at, id"
)


def _ts(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    value = value.astimezone(dt.UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def contacts_page(workspace_id: str, limit: int = 20) -> dict:
    conn = connection()
    rows = conn.execute(_PAGE, [workspace_id, limit + 1]).fetchall()
    page = rows[:limit]
    handles: dict[str, list] = {}
    for contact_id, platform, external_id, username in conn.execute(
        _HANDLES, [[r[0] for r in page]]
    ):
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
            "tags": r[6],
            "livemode": r[7],
            "created_at": _ts(r[8]),
            "updated_at": _ts(r[9]),
            "last_seen_at": _ts(r[10]),
        }
        for r in page
    ]
    return {"data": data, "pagination": {"has_more": len(rows) > limit, "next_cursor": None}}


def application(environ, start_response):
    if environ.get("PATH_INFO") != "/floor/contacts":
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]
    body = json.dumps(contacts_page(_WORKSPACE_ID)).encode()
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]
