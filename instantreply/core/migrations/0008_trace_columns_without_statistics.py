"""No planner statistics for the trace store's JSON columns (PostgreSQL).

Nothing filters, joins or sorts on a request log's or downstream call's bodies,
headers or query, yet ANALYZE computed statistics for each of them: about 0.7–0.9 s
of CPU per run on a request-log partition (30,000 sampled rows of jsonb), which
autovacuum repeats after every 10 % of new rows, on the machine that serves the
writes. A statistics target of 0 makes ANALYZE skip a column. Set on the
partitioned tables, which carries it to every existing partition;
core/partitions.py sets it on the partitions it creates (a new partition does not
take it from its parent). Nothing to do on SQLite.
"""

from django.db import migrations

# The same columns as instantreply/core/partitions.py's NO_STATISTICS (tested).
NO_STATISTICS = {
    "core_requestlog": [
        "query", "request_headers", "request_body", "response_headers", "response_body",
    ],
    "core_downstreamcall": ["request_body", "response_body"],
}  # fmt: skip


def _set_statistics(target: int):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            for table, columns in NO_STATISTICS.items():
                alter = ", ".join(f'ALTER COLUMN "{c}" SET STATISTICS {target}' for c in columns)
                cursor.execute(f'ALTER TABLE "{table}" {alter}')

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_requestlog_body_in_event"),
    ]

    operations = [
        migrations.RunPython(_set_statistics(0), _set_statistics(-1)),
    ]
