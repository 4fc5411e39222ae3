"""Shared set-up for the platform benchmarks (bench/platform_pagination.py,
bench/platform_throughput.py): a throw-away PostgreSQL database, migrations,
a workspace with a key, and contacts bulk-loaded with one generate_series INSERT.

Not a benchmark itself; run the two scripts above (each has --help).
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BENCH_SETTINGS = "bench.platform_bench_settings"
FLOOR_SETTINGS = "bench.platform_floor_settings"


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--pg-url",
        default="postgres://root@127.0.0.1:5432",
        help="PostgreSQL server (no database name); default %(default)s",
    )
    parser.add_argument(
        "--db", default="bench_instantreply", help="database to create (dropped at the end)"
    )
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/1",
        help="Redis for rate limits and cache, as in production; default %(default)s",
    )
    parser.add_argument(
        "--keep-db", action="store_true", help="do not drop the database at the end"
    )
    parser.add_argument(
        "--reuse-db",
        action="store_true",
        help="reuse an existing loaded database from a --keep-db run (skips the load)",
    )


def bench_env(args, settings_module: str = BENCH_SETTINGS) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": f"{args.pg_url.rstrip('/')}/{args.db}",
            "REDIS_URL": args.redis_url,
            "DJANGO_SETTINGS_MODULE": settings_module,
            "DEBUG": "false",
            "INSTANTREPLY_TESTING": "false",
            # The benchmark database is throw-away; production secrets are not needed.
            "INSTANTREPLY_ALLOW_DEV_SECRETS": "true",
            "SECURE_SSL_REDIRECT": "false",  # plain http on loopback
            "INSTANTREPLY_VAR_DIR": "/tmp/instantreply-bench-var",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def _admin_connection(args):
    import psycopg

    return psycopg.connect(f"{args.pg_url.rstrip('/')}/postgres", autocommit=True)


def database_exists(args) -> bool:
    with _admin_connection(args) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.db]).fetchone()
    return row is not None


def create_database(args) -> None:
    from psycopg import sql

    with _admin_connection(args) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(args.db))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(args.db)))


def drop_database(args) -> None:
    from psycopg import sql

    with _admin_connection(args) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(args.db))
        )


def migrate(args) -> None:
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=bench_env(args),
        check=True,
    )


def setup_django(args, settings_module: str = BENCH_SETTINGS) -> None:
    os.environ.update(bench_env(args, settings_module))
    import django

    django.setup()


def close_django_connections() -> None:
    """Write this process's queued request logs (the in-process timings queue some),
    then close its connections: a database dropped under the log writer would
    otherwise end the run with its traceback."""
    from django.conf import settings

    if settings.configured:
        from django.apps import apps
        from django.db import connections

        if apps.ready:
            from instantreply.api.tracing import flush_request_logs

            try:
                flush_request_logs()
            except Exception:
                pass  # the database may already be gone; nothing to keep
        connections.close_all()


def create_workspace_and_key(name: str = "Bench") -> tuple[str, str]:
    """(workspace id, raw API key) of a new scale-tier workspace."""
    from instantreply.core import services

    workspace = services.workspace_create(name=name, tier="scale")
    _, raw = services.api_key_create(workspace=workspace, scopes=["*"], name="bench")
    return workspace.id, raw


def bulk_load_contacts(workspace_id: str, count: int) -> float:
    """Insert ``count`` contacts with one WhatsApp handle each, in two
    INSERT … SELECT generate_series statements; returns seconds taken."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO contacts_contact (id, workspace_id, livemode, name, email, phone,
                lead_stage, lead_temperature, tags, created_at, updated_at, last_seen_at)
            SELECT 'cont_' || lpad(to_hex(g), 12, '0') || substr(md5(g::text), 1, 20),
                   %(ws)s, true, 'Contact ' || g, 'c' || g || '@example.com',
                   '+1415' || lpad(g::text, 7, '0'),
                   (ARRAY['new','engaged','qualified','customer','lost'])[1 + g %% 5],
                   NULL, '["vip"]'::jsonb,
                   timestamptz '2026-01-01' + g * interval '1 millisecond',
                   timestamptz '2026-01-01' + g * interval '1 millisecond', NULL
            FROM generate_series(1, %(n)s) AS g
            """,
            {"ws": workspace_id, "n": count},
        )
        cursor.execute(
            """
            INSERT INTO contacts_contacthandle (contact_id, workspace_id, livemode, platform,
                external_id, username, created_at)
            SELECT 'cont_' || lpad(to_hex(g), 12, '0') || substr(md5(g::text), 1, 20),
                   %(ws)s, true, 'whatsapp', '1415' || lpad(g::text, 7, '0'), NULL,
                   timestamptz '2026-01-01' + g * interval '1 millisecond'
            FROM generate_series(1, %(n)s) AS g
            """,
            {"ws": workspace_id, "n": count},
        )
        cursor.execute("ANALYZE contacts_contact")
        cursor.execute("ANALYZE contacts_contacthandle")
    return time.perf_counter() - started


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out
