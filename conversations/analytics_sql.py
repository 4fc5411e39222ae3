"""The SQL that recomputes the analytics rollups (MessageStat, ConversationStat,
FirstResponse) from the raw messages and conversations, shared by migration 0004
(its SQLite triggers and its backfill) and ``manage.py rebuild_analytics``.

Frozen: migration 0004 runs this text, so a fresh database gets exactly what every
existing one got. Do not edit it. Rollups that change shape need a new migration
with its own triggers, and this module's successor for the rebuild.
"""

# SQLite stores datetimes as UTC text; buckets are written in the same format.
SQLITE_BUCKET = "datetime((CAST(strftime('%s', {at}) AS INTEGER) / 900) * 900, 'unixepoch')"
# Created by migration 0004 on PostgreSQL.
PG_BUCKET = "ir_analytics_bucket({at})"

TABLES = (
    "conversations_messagestat",
    "conversations_conversationstat",
    "conversations_firstresponse",
)

_MESSAGE_STATS = """
INSERT INTO conversations_messagestat
    (workspace_id, livemode, channel_id, bucket_start, shard,
     inbound, outbound, failed, delivered, settled)
SELECT workspace_id, livemode, channel_id, {bucket}, 0,
    SUM(CASE WHEN direction = 'inbound' THEN 1 ELSE 0 END),
    SUM(CASE WHEN direction = 'outbound' THEN 1 ELSE 0 END),
    SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END),
    SUM(CASE WHEN direction = 'outbound' AND status IN ('delivered', 'read')
        THEN 1 ELSE 0 END),
    SUM(CASE WHEN direction = 'outbound' AND status IN ('sent', 'delivered', 'read', 'failed')
        THEN 1 ELSE 0 END)
FROM conversations_message
WHERE {where}
GROUP BY workspace_id, livemode, channel_id, {bucket}
"""

_CONVERSATION_STATS = """
INSERT INTO conversations_conversationstat
    (workspace_id, livemode, channel_id, bucket_start, shard, started, closed)
SELECT workspace_id, livemode, channel_id, bucket_start, 0, SUM(started), SUM(closed)
FROM (
    SELECT workspace_id, livemode, channel_id, {started} AS bucket_start,
           1 AS started, 0 AS closed
    FROM conversations_conversation WHERE {where}
    UNION ALL
    SELECT workspace_id, livemode, channel_id, {closed}, 0, 1
    FROM conversations_conversation WHERE closed_at IS NOT NULL AND {where}
) t
GROUP BY workspace_id, livemode, channel_id, bucket_start
"""


def first_responses_insert(where: str) -> str:
    """The FirstResponse rows of the conversations ``where`` selects (conversation
    ``c``): the first message (by created_at, id) when it is inbound, and the first
    outbound message at or after it. The triggers' definition."""
    return f"""
    INSERT INTO conversations_firstresponse
        (conversation_id, workspace_id, livemode, channel_id, conversation_created_at,
         opened_at, replied_at)
    SELECT c.id, c.workspace_id, c.livemode, c.channel_id, c.created_at, f.created_at,
        (SELECT o.created_at FROM conversations_message o
         WHERE o.conversation_id = c.id AND o.direction = 'outbound'
           AND o.created_at >= f.created_at
         ORDER BY o.created_at, o.id LIMIT 1)
    FROM conversations_conversation c
    JOIN conversations_message f ON f.id = (
        SELECT m.id FROM conversations_message m WHERE m.conversation_id = c.id
        ORDER BY m.created_at, m.id LIMIT 1)
    WHERE {where} AND f.direction = 'inbound';
    """


def rebuild_rollups(cursor, *, vendor: str, workspace_id: str | None = None) -> dict:
    """Replace the rollups of one workspace (or all) with a recomputation, on the
    caller's cursor and in its transaction; returns the rows written per table.
    The rebuilt rows use shard 0."""
    # %% because these statements are executed with parameters.
    bucket = {"postgresql": PG_BUCKET, "sqlite": SQLITE_BUCKET.replace("%", "%%")}[vendor]
    where, params = ("workspace_id = %s", [workspace_id]) if workspace_id else ("1 = 1", [])
    for table in TABLES:
        cursor.execute(f"DELETE FROM {table} WHERE {where}", params)
    written = {}
    cursor.execute(
        _MESSAGE_STATS.format(bucket=bucket.format(at="created_at"), where=where), params
    )
    written["message_stats"] = cursor.rowcount
    cursor.execute(
        _CONVERSATION_STATS.format(
            started=bucket.format(at="created_at"),
            closed=bucket.format(at="closed_at"),
            where=where,
        ),
        params * 2,
    )
    written["conversation_stats"] = cursor.rowcount
    cursor.execute(first_responses_insert(where.replace("workspace_id", "c.workspace_id")), params)
    written["first_responses"] = cursor.rowcount
    return written
