"""Trace bodies compressed with lz4 instead of pglz (PostgreSQL 14+ built with lz4).

A list page's response body (about 8 KB of JSON) is compressed when its request
log row is stored; with pglz that was the largest part of the row's cost in the
database (bench/platform_throughput.py). lz4 compresses the same text several times
faster, about as small. Only new values are affected; rows stored before stay as
they are and read the same. Set on the partitioned tables and every existing
partition (partitions created later take it from their parent). A server without
lz4 keeps pglz (a notice, not an error). Nothing to do on SQLite.
"""

from django.db import migrations

TABLES = {
    "core_requestlog": ["request_body", "response_body", "request_headers", "response_headers"],
    "core_downstreamcall": ["request_body", "response_body"],
}


def _set_compression(method: str):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            for table, columns in TABLES.items():
                cursor.execute(
                    "SELECT relid::regclass::text FROM pg_partition_tree(%s::regclass) "
                    "UNION SELECT %s",
                    [table, table],
                )
                relations = sorted(row[0] for row in cursor.fetchall())
                alter = ", ".join(f'ALTER COLUMN "{c}" SET COMPRESSION {method}' for c in columns)
                statements = "; ".join(f"ALTER TABLE {r} {alter}" for r in relations)
                cursor.execute(
                    "DO $$ BEGIN "
                    f"{statements}; "
                    "EXCEPTION WHEN feature_not_supported THEN "
                    f"RAISE NOTICE 'compression {method} not supported: trace bodies keep the default'; "
                    "END $$"
                )

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_requestlog_no_fk_constraints"),
    ]

    operations = [
        migrations.RunPython(_set_compression("lz4"), _set_compression("pglz")),
    ]
