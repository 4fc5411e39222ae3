"""Benchmark of the request-log admin (the support view) on a big table.

    .venv/bin/python bench/admin_requestlog.py              # load, time, drop
    .venv/bin/python bench/admin_requestlog.py --keep-db    # keep the data
    .venv/bin/python bench/admin_requestlog.py --reuse-db   # time a kept database

It creates a throw-away PostgreSQL database, migrates it and inserts 1,000,000
request logs with one generate_series INSERT (one per second over 11.6 days; a third
POST; 10 % answered 422 and 0.1 % 500). Then, logged in as a superuser through the
Django test client (the whole admin stack), it times the changelist: unfiltered,
a search by req_ id, the 5xx and 4xx filters, and deep pages; for each it prints the
median and worst page time, the time of its SQL and the count the page shows.
"""

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.platform_common import (  # noqa: E402
    add_common_arguments,
    create_database,
    database_exists,
    drop_database,
    migrate,
    setup_django,
)

ROWS = 1_000_000
CASES = (
    ("unfiltered", {}),
    ("search by req_ id", {"q": f"req_{777_777:032x}"}),
    ("status 5xx (1,000 rows)", {"status_class": "5xx"}),
    ("status 4xx (99,000 rows)", {"status_class": "4xx"}),
    ("GET, page 50", {"method": "GET", "p": "50"}),
    ("GET, page 100 (the last)", {"method": "GET", "p": "100"}),
)


def load(rows: int) -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO core_requestlog (id, method, path, query, status, duration_ms,
                replayed, request_headers, request_body_truncated, response_headers,
                response_body_truncated, created_at)
            SELECT 'req_' || lpad(to_hex(g), 32, '0'),
                   CASE WHEN g %% 3 = 0 THEN 'POST' ELSE 'GET' END, '/v1/contacts', '{}',
                   CASE WHEN g %% 1000 = 0 THEN 500 WHEN g %% 10 = 0 THEN 422 ELSE 200 END,
                   5, false, '{}', false, '{}', false,
                   now() - (%s - g) * interval '1 second'
            FROM generate_series(1, %s) g
            """,
            [rows, rows],
        )
        cursor.execute("ANALYZE core_requestlog")
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_common_arguments(parser)
    parser.set_defaults(db="bench_ir_admin")
    parser.add_argument("--runs", type=int, default=9, help="timed page views per case")
    args = parser.parse_args()
    if not (args.reuse_db and database_exists(args)):
        create_database(args)
        migrate(args)
        setup_django(args)
        print(f"loaded {ROWS:,} request logs in {load(ROWS):.1f} s")
    else:
        setup_django(args)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    user, _ = get_user_model().objects.get_or_create(
        username="bench", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    try:
        for name, params in CASES:
            pages, sql = [], []
            for _ in range(args.runs):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get("/admin/core/requestlog/", params)
                    pages.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.status_code
                sql.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
            shown = re.search(
                r'<span class="result-count">([^<]*)</span>', response.content.decode()
            ).group(1)
            print(
                f"{name:26s} page median {statistics.median(pages):6.1f} ms, "
                f"worst {max(pages):6.1f} ms; SQL median {statistics.median(sql):5.1f} ms; "
                f"shows: {shown.split(' (')[0]}"
            )
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep_db:
            drop_database(args)


if __name__ == "__main__":
    main()
