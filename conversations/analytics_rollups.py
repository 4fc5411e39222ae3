"""Recomputation of the analytics rollups (MessageStat, ConversationStat,
FirstResponse) from the raw messages and conversations.

The triggers of migration 0004 keep the rollups current on every write; this is
for data written while they were off (a bulk load with triggers disabled), for
the migration's backfill, and for checking the triggers (the tests compare a
recomputation with what the triggers wrote). The rebuilt rows use shard 0."""

from django.db import connection, transaction

_BUCKET = {
    "postgresql": "ir_analytics_bucket({at})",
    # %% because these statements are executed with parameters.
    "sqlite": "datetime((CAST(strftime('%%s', {at}) AS INTEGER) / 900) * 900, 'unixepoch')",
}

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

# The same definition as the triggers': the first message (by created_at, id) when
# it is inbound, and the first outbound message at or after it.
_FIRST_RESPONSES = """
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
WHERE f.direction = 'inbound' AND {where}
"""

TABLES = (
    "conversations_messagestat",
    "conversations_conversationstat",
    "conversations_firstresponse",
)


def rebuild(*, workspace_id: str | None = None) -> dict:
    """Replace the rollups of one workspace (or all) with a recomputation; returns
    the number of rows written per table."""
    bucket = _BUCKET[connection.vendor]
    where, params = ("workspace_id = %s", [workspace_id]) if workspace_id else ("1 = 1", [])
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Writers wait until the rebuild commits, so none of their changes is
            # counted twice (by its trigger and by the recomputation) or lost.
            cursor.execute(
                "LOCK TABLE conversations_message, conversations_conversation IN SHARE MODE"
            )
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
        cursor.execute(
            _FIRST_RESPONSES.format(where=where.replace("workspace_id", "c.workspace_id")), params
        )
        written["first_responses"] = cursor.rowcount
    return written
