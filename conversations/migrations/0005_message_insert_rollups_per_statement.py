# Rollups of inserted messages counted once per INSERT statement instead of once per
# row (PostgreSQL). A batch of inbound messages is one multi-row INSERT: its
# MessageStat counts become one upsert per (bucket, channel), and a conversation's
# opening is recomputed only where the new messages can change it — the rows a
# message at or after the opening cannot move (an inbound one, or an outbound one
# after the first reply) are skipped. What the rollups hold is unchanged (the
# analytics tests compare them with a recomputation); UPDATE and DELETE keep their
# row triggers. SQLite (the embedded mode) keeps the row triggers of 0004.

from django.db import migrations

STAT_KEY = "(workspace_id, livemode, bucket_start, channel_id, shard)"

PG_MESSAGES_INSERTED = f"""
CREATE OR REPLACE FUNCTION ir_analytics_messages_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    shard_no smallint := pg_backend_pid() % 8;
BEGIN
    INSERT INTO conversations_messagestat AS s
        (workspace_id, livemode, channel_id, bucket_start, shard,
         inbound, outbound, failed, delivered, settled)
    SELECT n.workspace_id, n.livemode, n.channel_id, ir_analytics_bucket(n.created_at),
        shard_no,
        sum((n.direction = 'inbound')::int),
        sum((n.direction = 'outbound')::int),
        sum((n.status = 'failed')::int),
        sum((n.direction = 'outbound' AND n.status IN ('delivered', 'read'))::int),
        sum((n.direction = 'outbound'
             AND n.status IN ('sent', 'delivered', 'read', 'failed'))::int)
    FROM new_messages n
    GROUP BY 1, 2, 3, 4
    ON CONFLICT {STAT_KEY} DO UPDATE SET
        inbound = s.inbound + EXCLUDED.inbound,
        outbound = s.outbound + EXCLUDED.outbound,
        failed = s.failed + EXCLUDED.failed,
        delivered = s.delivered + EXCLUDED.delivered,
        settled = s.settled + EXCLUDED.settled;
    -- The opening (first message when inbound, first reply at or after it) moves only
    -- for a message before it, or an outbound one while there is no earlier reply.
    -- Conversations in id order, as every writer locks them.
    PERFORM ir_analytics_refresh_opening(c.conversation_id)
    FROM (
        SELECT DISTINCT n.conversation_id
        FROM new_messages n
        WHERE NOT EXISTS (
            SELECT 1 FROM conversations_firstresponse f
            WHERE f.conversation_id = n.conversation_id
              AND f.opened_at <= n.created_at
              AND (n.direction = 'inbound' OR f.replied_at <= n.created_at)
        )
        ORDER BY 1
    ) AS c;
    RETURN NULL;
END $$
"""

PG_STATEMENT_FORWARD = [
    PG_MESSAGES_INSERTED,
    "DROP TRIGGER IF EXISTS ir_analytics_message_write ON conversations_message",
    "CREATE TRIGGER ir_analytics_message_delete AFTER DELETE ON conversations_message "
    "FOR EACH ROW EXECUTE FUNCTION ir_analytics_message_changed()",
    "CREATE TRIGGER ir_analytics_messages_insert AFTER INSERT ON conversations_message "
    "REFERENCING NEW TABLE AS new_messages "
    "FOR EACH STATEMENT EXECUTE FUNCTION ir_analytics_messages_inserted()",
]

PG_STATEMENT_BACKWARD = [
    "DROP TRIGGER IF EXISTS ir_analytics_messages_insert ON conversations_message",
    "DROP TRIGGER IF EXISTS ir_analytics_message_delete ON conversations_message",
    "DROP FUNCTION IF EXISTS ir_analytics_messages_inserted()",
    "CREATE TRIGGER ir_analytics_message_write AFTER INSERT OR DELETE ON conversations_message "
    "FOR EACH ROW EXECUTE FUNCTION ir_analytics_message_changed()",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in PG_STATEMENT_FORWARD:
        schema_editor.execute(statement, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in PG_STATEMENT_BACKWARD:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("conversations", "0004_analytics_rollups"),
    ]

    operations = [migrations.RunPython(forward, backward)]
