"""The ``varchar_pattern_ops`` copy of ``request_id``'s index, which Django adds for
LIKE, is dropped: request ids are only ever matched exactly (the trace view), and
every /meta/webhook ack wrote it (bench/meta_ingest.py). The exact-match index
stays; nothing in the model state changes (Django does not track LIKE copies).
"""

from django.db import migrations

TABLE = "meta_inboundevent"


def drop_like_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "WHERE x.indrelid = to_regclass(%s) "
            "AND pg_get_indexdef(i.oid) LIKE '%%(request_id varchar_pattern_ops)%%'",
            [TABLE],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


class Migration(migrations.Migration):
    dependencies = [
        ("meta", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(drop_like_index, migrations.RunPython.noop),
    ]
