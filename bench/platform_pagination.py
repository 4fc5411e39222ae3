"""Keyset pagination at depth (CONTRACT §4.3, issue 2 benchmark (a)).

Creates the PostgreSQL database ``bench_instantreply``, loads N contacts (default
1,000,000) with generate_series, then times GET /v1/contacts through the whole
API code path (Django test client in-process: middleware, Bearer auth, rate
limit on Redis, filters, keyset query, serialisation, RequestLog insert) for the
first page and for a page D rows deep (default 999,000). The deep cursor is
signed by the product's own ``encode_cursor`` at the row just before that depth,
exactly what a client walking there would hold. Prints medians and the ratio
(target ≤ 1.5), then drops the database.

    .venv/bin/python bench/platform_pagination.py            # 1M rows, ~2–4 min
    .venv/bin/python bench/platform_pagination.py --rows 100000 --depth 99000
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import platform_common as common  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common.add_common_arguments(parser)
    parser.add_argument("--rows", type=int, default=1_000_000, help="contacts to load")
    parser.add_argument("--depth", type=int, default=999_000, help="rows before the deep page")
    parser.add_argument("--limit", type=int, default=20, help="page size")
    parser.add_argument("--repeat", type=int, default=40, help="timed requests per page")
    args = parser.parse_args()
    if not 0 < args.depth < args.rows:
        parser.error("--depth must be between 1 and --rows - 1")

    fresh = not (args.reuse_db and common.database_exists(args))
    try:
        if fresh:
            print(f"creating database {args.db} and migrating…", flush=True)
            common.create_database(args)
            common.migrate(args)
        common.setup_django(args)
        return run(args, fresh)
    finally:
        if not args.keep_db:
            common.close_django_connections()
            common.drop_database(args)
            print(f"dropped database {args.db}")


def run(args, fresh: bool) -> int:
    from django.db import connection
    from django.test import Client

    from contacts.models import Contact
    from instantreply.api import ratelimit
    from instantreply.api.pagination import encode_cursor
    from instantreply.core.models import Workspace

    if fresh:
        workspace_id, raw_key = common.create_workspace_and_key()
        print(f"loading {args.rows:,} contacts + handles with generate_series…", flush=True)
        seconds = common.bulk_load_contacts(workspace_id, args.rows)
        print(f"  loaded in {seconds:.1f} s")
    else:
        workspace_id = Workspace.objects.get(name="Bench").id
        from instantreply.core import services

        _, raw_key = services.api_key_create(
            workspace=Workspace.objects.get(pk=workspace_id), scopes=["*"], name="bench"
        )
    total = Contact.objects.filter(workspace_id=workspace_id, livemode=True).count()
    print(f"contacts in workspace: {total:,}; rate-limit store: {ratelimit._get().url}")

    path = "/v1/contacts"
    client = Client()
    headers = {"Authorization": f"Bearer {raw_key}"}
    results = {}
    for order in ("desc", "asc"):
        direction = "DESC" if order == "desc" else "ASC"
        with connection.cursor() as cursor:
            # One-off OFFSET only to find where a walker would be; the timed
            # requests below never use OFFSET.
            cursor.execute(
                f"SELECT created_at, id FROM contacts_contact WHERE workspace_id = %s AND "
                f"livemode ORDER BY created_at {direction}, id {direction} OFFSET %s LIMIT 1",
                [workspace_id, args.depth - 1],
            )
            created_at, last_id = cursor.fetchone()
        cursor_value = encode_cursor(
            path=path,
            order=order,
            filters={},
            created_at=created_at,
            object_id=last_id,
            workspace_id=workspace_id,
            livemode=True,
        )
        first_params = {"limit": args.limit, "order": order}
        deep_params = {**first_params, "cursor": cursor_value}

        def fetch(params):
            response = client.get(path, params, headers=headers)
            assert response.status_code == 200, response.content[:300]
            return response

        deep_first_id = fetch(deep_params).json()["data"][0]["id"]
        expected = Contact.objects.filter(workspace_id=workspace_id).order_by(
            *(("-created_at", "-id") if order == "desc" else ("created_at", "id"))
        )[args.depth : args.depth + 1]
        assert deep_first_id == expected[0].id, "deep page does not start at the expected row"

        for _ in range(5):  # warm caches and connections
            fetch(first_params)
            fetch(deep_params)
        first, deep = [], []
        for _ in range(args.repeat):  # interleaved, so drift hits both alike
            started = time.perf_counter()
            fetch(first_params)
            first.append(time.perf_counter() - started)
            started = time.perf_counter()
            fetch(deep_params)
            deep.append(time.perf_counter() - started)
        results[order] = (common.median_ms(first), common.median_ms(deep))

        # The SQL alone (what §4.3 is about): EXPLAIN of the deep page's query.
        from contacts.selectors import contact_list
        from instantreply.core.models import ApiKey

        key = ApiKey.objects.filter(workspace_id=workspace_id).first()
        queryset, _ = contact_list(
            base_queryset=Contact.objects.for_key(key), params={"order": order}
        )
        if order == "desc":
            from django.db.models import Q

            queryset = queryset.filter(
                Q(created_at__lt=created_at) | Q(created_at=created_at, id__lt=last_id),
                created_at__lte=created_at,
            ).order_by("-created_at", "-id")
        else:
            from django.db.models import Q

            queryset = queryset.filter(
                Q(created_at__gt=created_at) | Q(created_at=created_at, id__gt=last_id),
                created_at__gte=created_at,
            ).order_by("created_at", "id")
        plan = queryset[: args.limit + 1].explain(analyze=True)
        plan_line = next(
            (line.strip() for line in plan.splitlines() if "Index" in line), plan.splitlines()[0]
        )
        results[order + "_plan"] = plan_line

    print()
    print(f"GET /v1/contacts?limit={args.limit}, median of {args.repeat} requests each")
    print(
        f"{'order':<6} {'first page ms':>14} {'page at ' + format(args.depth, ',') + ' ms':>20} {'ratio':>7}"
    )
    worst = 0.0
    for order in ("desc", "asc"):
        first_ms, deep_ms = results[order]
        ratio = deep_ms / first_ms
        worst = max(worst, ratio)
        print(f"{order:<6} {first_ms:>14.2f} {deep_ms:>20.2f} {ratio:>7.2f}")
        print(f"       deep-page plan: {results[order + '_plan']}")
    print(f"worst ratio {worst:.2f} (target ≤ 1.5): {'OK' if worst <= 1.5 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
