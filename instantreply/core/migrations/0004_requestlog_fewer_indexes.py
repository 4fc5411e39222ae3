"""Four of the request log's nine indexes were never read, yet every request wrote
them (bench/meta_ingest.py: the request-log row was half of PostgreSQL's CPU per
/meta/webhook ack). Dropped: ``workspace_id`` alone ((workspace_id, created_at)
serves every lookup by workspace, the cascade from a deleted workspace too), and
the ``varchar_pattern_ops`` copies Django adds for LIKE on ``id``, ``workspace_id``
and ``api_key_id`` (ids are only ever matched exactly).

Only indexes are dropped: the foreign key is not re-created (Django's AlterField
would re-add it and re-check every row of a table this size under lock). On a
partitioned table, dropping the parent's index drops each partition's with it.
SQLite has none of the LIKE copies; its ``workspace_id`` index goes.
"""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "core_requestlog"


def drop_unread_indexes(apps, schema_editor):
    connection = schema_editor.connection
    quote = schema_editor.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Indexes of the table itself (on a partitioned table: the parent's).
            cursor.execute(
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
                "JOIN pg_class i ON i.oid = x.indexrelid "
                "WHERE x.indrelid = to_regclass(%s)",
                [TABLE],
            )
            names = [
                name
                for name, definition in cursor.fetchall()
                if "varchar_pattern_ops" in definition or definition.endswith("(workspace_id)")
            ]
        else:
            constraints = connection.introspection.get_constraints(cursor, TABLE)
            names = [
                name
                for name, info in constraints.items()
                if info["index"] and not info["primary_key"] and info["columns"] == ["workspace_id"]
            ]
        for name in names:
            cursor.execute(f"DROP INDEX IF EXISTS {quote(name)}")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_partition_trace_store"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="requestlog",
                    name="workspace",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="core.workspace",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunPython(drop_unread_indexes, migrations.RunPython.noop),
            ],
        ),
    ]
