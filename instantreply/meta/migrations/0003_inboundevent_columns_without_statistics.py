"""No planner statistics for a stored event's raw body and headers (PostgreSQL).

Nothing filters or sorts on them (the sweep reads status and age, a trace the
request id), yet ANALYZE of the events table, which autovacuum repeats after
every 10 % of new rows, spent most of its time on the sampled bodies. A
statistics target of 0 makes ANALYZE skip a column. Nothing to do on SQLite.
"""

from django.db import migrations

COLUMNS = ("body", "headers")


def _set_statistics(target: int):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        alter = ", ".join(f'ALTER COLUMN "{c}" SET STATISTICS {target}' for c in COLUMNS)
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f'ALTER TABLE "meta_inboundevent" {alter}')

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("meta", "0002_inboundevent_drop_request_id_like"),
    ]

    operations = [
        migrations.RunPython(_set_statistics(0), _set_statistics(-1)),
    ]
