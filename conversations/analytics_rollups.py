"""Recomputation of the analytics rollups (MessageStat, ConversationStat,
FirstResponse) from the raw messages and conversations.

The triggers of migration 0004 keep the rollups current on every write; this is
for data written while they were off (a bulk load with triggers disabled) and for
checking the triggers (the tests compare a recomputation with what the triggers
wrote). The SQL is analytics_sql's, which the migration's backfill runs too."""

from django.db import connection, transaction

from .analytics_sql import rebuild_rollups


def rebuild(*, workspace_id: str | None = None) -> dict:
    """Replace the rollups of one workspace (or all) with a recomputation; returns
    the number of rows written per table."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Writers wait until the rebuild commits, so none of their changes is
            # counted twice (by its trigger and by the recomputation) or lost.
            cursor.execute(
                "LOCK TABLE conversations_message, conversations_conversation IN SHARE MODE"
            )
        return rebuild_rollups(cursor, vendor=connection.vendor, workspace_id=workspace_id)
