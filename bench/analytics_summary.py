"""Benchmark of GET /v1/analytics/summary over 90 days with 1,000,000 messages.

    .venv/bin/python bench/analytics_summary.py              # load, time, drop
    .venv/bin/python bench/analytics_summary.py --keep-db    # keep the data
    .venv/bin/python bench/analytics_summary.py --reuse-db   # time a kept database
    .venv/bin/python bench/analytics_summary.py --explain    # also print query plans

It creates a throw-away PostgreSQL database, migrates it, and bulk-loads with
generate_series INSERTs: one workspace with three channels, 100,000 contacts and
conversations (one each) and 10 messages per conversation — 1,000,000 messages
over the 90 days ending today, 90 % live / 10 % test, about half inbound. Every
conversation opens with an inbound message and gets a first reply 30 s – 1 h
later; a quarter are closed, and a tenth of those re-opened by a later inbound
message. Outbound statuses: 70 % delivered, 15 % read, 5 % sent, 5 % failed,
5 % queued.

The load runs with the rollup triggers off (session_replication_role = replica)
and then rebuilds the rollups with ``manage.py rebuild_analytics``.

Then it times the endpoint through the Django test client (the whole stack:
middleware, auth, request log, six analytics queries) with a live key over the
90 days in America/New_York, unfiltered and filtered by channel, and prints
p50/p95. Goal: p95 < 300 ms on the 2-core machine.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CONVERSATIONS = 100_000
MESSAGES_PER_CONVERSATION = 10
DAYS = 90


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pg-url", default="postgres://root@127.0.0.1:5432")
    parser.add_argument("--db", default="bench_ir_analytics")
    parser.add_argument("--runs", type=int, default=40, help="timed requests per variant")
    parser.add_argument("--conversations", type=int, default=CONVERSATIONS)
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database")
    parser.add_argument("--reuse-db", action="store_true", help="skip the load (after --keep-db)")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE plans")
    return parser.parse_args()


def admin_sql(args, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{args.pg_url.rstrip('/')}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def setup_django(args) -> None:
    os.environ.update(
        {
            "DATABASE_URL": f"{args.pg_url.rstrip('/')}/{args.db}",
            "DJANGO_SETTINGS_MODULE": "instantreply.settings",
            "INSTANTREPLY_TESTING": "true",
            "INSTANTREPLY_VAR_DIR": "/tmp/instantreply-bench-analytics",
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()


def load(args) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from conversations.services import channel_connect
    from instantreply.core import services

    call_command("migrate", verbosity=0)
    workspace = services.workspace_create(name="Bench analytics", tier="scale")
    _, key = services.api_key_create(workspace=workspace, scopes=["*"], mode="live", name="b")
    channels = [
        channel_connect(
            workspace=workspace,
            platform=platform,
            name=f"Bench {platform}",
            external_id=f"bench-{platform}-1",
            access_token="EAAG-bench",
            waba_id="bench-waba-1" if platform == "whatsapp" else None,
        )
        for platform in ("whatsapp", "instagram", "messenger")
    ]
    end = dt.datetime.now(dt.UTC)
    params = {
        "ws": workspace.id,
        "n": args.conversations,
        "per": MESSAGES_PER_CONVERSATION,
        "start": end - dt.timedelta(days=DAYS),
        "step": dt.timedelta(days=DAYS) / args.conversations,
        "c0": channels[0].id,
        "c1": channels[1].id,
        "c2": channels[2].id,
    }
    # Conversation k: created at start + k·step, on channel k % 3, test mode when
    # k % 10 = 0; its messages follow at j·7 min (j = 0..9), the first reply after
    # 30 s – 1 h. A quarter close 20 min in; a tenth of those (k % 40 = 4, live
    # mode) were re-opened by the inbound message at 28 min (closed_at cleared, a
    # conversation.updated event written, as the inbound service does).
    statements = [
        """
        INSERT INTO contacts_contact (id, workspace_id, livemode, name, lead_stage, tags,
                                      created_at, updated_at)
        SELECT 'cont_' || lpad(to_hex(k), 32, '0'), %(ws)s, k %% 10 <> 0, 'Customer ' || k,
               'new', '[]', %(start)s + k * %(step)s, %(start)s + k * %(step)s
        FROM generate_series(0, %(n)s - 1) AS k
        """,
        """
        INSERT INTO conversations_conversation
            (id, workspace_id, livemode, channel_id, contact_id, status, tags,
             last_message_preview, last_message_at, last_inbound_at, closed_at, unread_count,
             message_count, created_at, updated_at)
        SELECT 'conv_' || lpad(to_hex(k), 32, '0'), %(ws)s, k %% 10 <> 0,
               (ARRAY[%(c0)s, %(c1)s, %(c2)s])[k %% 3 + 1], 'cont_' || lpad(to_hex(k), 32, '0'),
               CASE WHEN k %% 4 = 0 AND k %% 40 <> 4 THEN 'closed' ELSE 'active' END, '[]',
               'hi', t + interval '63 min', t + interval '56 min',
               CASE WHEN k %% 4 = 0 AND k %% 40 <> 4 THEN t + interval '20 min' END,
               0, %(per)s, t, t
        FROM (SELECT k, %(start)s + k * %(step)s AS t
              FROM generate_series(0, %(n)s - 1) AS k) s
        """,
        """
        INSERT INTO conversations_message
            (id, workspace_id, livemode, conversation_id, channel_id, direction, type, text,
             status, sender_type, created_at, status_updated_at)
        SELECT 'msg_' || lpad(to_hex(i), 32, '0'), %(ws)s, k %% 10 <> 0,
               'conv_' || lpad(to_hex(k), 32, '0'), (ARRAY[%(c0)s, %(c1)s, %(c2)s])[k %% 3 + 1],
               CASE WHEN j %% 2 = 0 THEN 'inbound' ELSE 'outbound' END, 'text', 'hello',
               CASE WHEN j %% 2 = 0 THEN 'received'
                    WHEN r < 0.70 THEN 'delivered' WHEN r < 0.85 THEN 'read'
                    WHEN r < 0.90 THEN 'sent' WHEN r < 0.95 THEN 'failed' ELSE 'queued' END,
               CASE WHEN j %% 2 = 0 THEN 'contact' ELSE 'api' END,
               t, t
        FROM (
            SELECT i, k, j, random() AS r,
                   %(start)s + k * %(step)s
                     + CASE WHEN j = 1 THEN (30 + random() * 3570) * interval '1 second'
                            ELSE j * interval '7 min' END AS t
            FROM (SELECT i, i / %(per)s AS k, i %% %(per)s AS j
                  FROM generate_series(0, %(n)s * %(per)s - 1) AS i) g
        ) s
        """,
        # The re-openings: what the inbound service writes with the message (j = 4).
        """
        INSERT INTO webhooks_event (id, workspace_id, livemode, type, data,
                                    previous_attributes, object_id, created_at)
        SELECT 'evt_' || lpad(to_hex(k), 32, '0'), %(ws)s, k %% 10 <> 0,
               'conversation.updated', '{"status": "active"}', '{"status": "closed"}',
               'conv_' || lpad(to_hex(k), 32, '0'),
               %(start)s + k * %(step)s + interval '28 min 0.01 s'
        FROM generate_series(4, %(n)s - 1, 40) AS k
        """,
    ]
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # Bulk loads skip the rollup triggers (one trigger run per row would
        # dominate the load) and rebuild the rollups in one pass afterwards, as
        # an operator loading data would.
        cursor.execute("SET session_replication_role = replica")
        for sql in statements:
            cursor.execute(sql, params)
        cursor.execute("SET session_replication_role = DEFAULT")
        # Autovacuum would do this in a live database: statistics and the
        # visibility map the index-only scans rely on.
        for table in (
            "conversations_message",
            "conversations_conversation",
            "contacts_contact",
            "webhooks_event",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")
    print(
        f"loaded {args.conversations * MESSAGES_PER_CONVERSATION:,} messages in "
        f"{time.perf_counter() - started:.1f} s"
    )
    started = time.perf_counter()
    call_command("rebuild_analytics", workspace=workspace.id)
    with connection.cursor() as cursor:
        for table in ("messagestat", "conversationstat", "firstresponse"):
            cursor.execute(f"VACUUM ANALYZE conversations_{table}")
    print(
        f"manage.py rebuild_analytics --workspace {workspace.id}: "
        f"{time.perf_counter() - started:.1f} s"
    )
    return {"key": key, "channel": channels[0].id}


def existing(args) -> dict:
    from django.core.management import call_command

    from conversations.models import Channel
    from instantreply.core import services
    from instantreply.core.models import Workspace

    call_command("migrate", verbosity=0)  # indexes added since the data was loaded
    workspace = Workspace.objects.get(name="Bench analytics")
    _, key = services.api_key_create(workspace=workspace, scopes=["*"], mode="live", name="b")
    return {"key": key, "channel": Channel.objects.filter(workspace=workspace).first().id}


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def time_variant(client, key: str, params: dict, runs: int) -> tuple[list[float], dict]:
    headers = {"Authorization": f"Bearer {key}"}
    response = client.get("/v1/analytics/summary", params, headers=headers)
    assert response.status_code == 200, response.content
    body = response.json()["data"]
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get("/v1/analytics/summary", params, headers=headers)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return samples, body


def explain(query) -> None:
    """EXPLAIN ANALYZE of every query the summary runs, captured as it runs them."""
    from django.db import connection

    from conversations.analytics import analytics_summary

    captured = []

    def capture(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        analytics_summary(query, platforms=("whatsapp", "instagram", "messenger"))
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")  # as analytics_summary does for its transaction
        for sql, params in captured:
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            print("\n== " + sql[:120] + " …")
            print("\n".join(row[0] for row in cursor.fetchall()))


def main():
    args = parse_args()
    if not args.reuse_db:
        admin_sql(args, f'DROP DATABASE IF EXISTS "{args.db}"')
        admin_sql(args, f'CREATE DATABASE "{args.db}"')
    setup_django(args)
    from zoneinfo import ZoneInfo

    from django.test import Client

    from conversations.analytics import SummaryQuery
    from instantreply.core.models import Workspace

    try:
        context = existing(args) if args.reuse_db else load(args)
        zone = "America/New_York"
        today = dt.datetime.now(ZoneInfo(zone)).date()
        start = today - dt.timedelta(days=DAYS - 1)
        base = {"start_date": start.isoformat(), "end_date": today.isoformat(), "timezone": zone}
        client = Client()
        variants = [
            ("90 days, all channels", base),
            ("90 days, one channel", {**base, "channel_id": context["channel"]}),
            ("90 days, platform=instagram", {**base, "platform": "instagram"}),
        ]
        print(f"GET /v1/analytics/summary, {args.runs} timed requests per variant (ms):")
        for label, params in variants:
            samples, body = time_variant(client, context["key"], params, args.runs)
            print(
                f"  {label:30s} p50 {statistics.median(samples):7.1f}"
                f"  p95 {percentile(samples, 0.95):7.1f}  max {max(samples):7.1f}"
                f"  (inbound {body['messages']['inbound']:,}, outbound"
                f" {body['messages']['outbound']:,}, first response median"
                f" {(body['first_response_seconds'] or {}).get('median')} s)"
            )
        if args.explain:
            workspace = Workspace.objects.get(name="Bench analytics")
            explain(
                SummaryQuery(
                    workspace_id=workspace.id,
                    livemode=True,
                    start_date=start,
                    end_date=today,
                    zone=ZoneInfo(zone),
                    zone_name=zone,
                )
            )
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep_db:
            admin_sql(args, f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')


if __name__ == "__main__":
    main()
