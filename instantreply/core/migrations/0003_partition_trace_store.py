# The trace store partitioned by day on PostgreSQL (see instantreply/core/partitions.py).
#
# core_requestlog and core_downstreamcall are rebuilt as partitioned tables: the old
# table is renamed, the partitioned one created with the same columns, a DEFAULT
# partition and one partition per day that holds rows within retention (and the days
# ahead), the rows copied over, the old table dropped, then the same indexes and
# foreign keys (same names) re-created; the primary key gains the partition key. All
# in the migration's one transaction. SQLite keeps plain tables: Django's model state
# is the same on both, so this is a RunPython that does nothing there.

import datetime as dt

from django.conf import settings
from django.db import migrations

from instantreply.core import partitions

PRIMARY_KEYS = {
    partitions.REQUEST_LOGS: "id, created_at, method",
    partitions.DOWNSTREAM_CALLS: "id, created_at",
}


def _definitions(cursor, table):
    cursor.execute(
        "SELECT pg_get_indexdef(x.indexrelid) FROM pg_index x "
        "WHERE x.indrelid = to_regclass(%s) AND NOT x.indisprimary ORDER BY x.indexrelid",
        [table],
    )
    indexes = [row[0].replace(" ON ONLY ", " ON ") for row in cursor.fetchall()]
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = to_regclass(%s) AND contype = 'f' ORDER BY conname",
        [table],
    )
    return indexes, cursor.fetchall()


def _rebuild(cursor, table, *, partitioned):
    indexes, foreign_keys = _definitions(cursor, table)
    old = f"{table}_before_rebuild"
    cursor.execute(f'ALTER TABLE "{table}" RENAME TO "{old}"')
    cursor.execute(f'ALTER TABLE "{old}" RENAME CONSTRAINT "{table}_pkey" TO "{old}_pkey"')
    if partitioned:
        cursor.execute(
            f'CREATE TABLE "{table}" (LIKE "{old}" INCLUDING DEFAULTS) '
            "PARTITION BY RANGE (created_at)"
        )
        cursor.execute(f'CREATE TABLE "{table}_default" PARTITION OF "{table}" DEFAULT')
        today = dt.datetime.now(dt.UTC).date()
        cursor.execute(f'SELECT min(created_at), max(created_at) FROM "{old}"')
        oldest, _newest = cursor.fetchone()
        first = today
        if oldest is not None:
            # A day partition for every day with rows, expired ones included (the next
            # purge drops them whole), back to a horizon; older rows (a clock once
            # wrong) go to the DEFAULT partition and the purge deletes them.
            horizon = today - dt.timedelta(days=max(400, settings.REQUEST_LOG_RETENTION_DAYS + 1))
            first = min(today, max(oldest.astimezone(dt.UTC).date(), horizon))
        day = first
        while day <= today + dt.timedelta(days=partitions.AHEAD_DAYS):
            partitions.create_day(cursor, table, day)
            day += dt.timedelta(days=1)
        key = PRIMARY_KEYS[table]
    else:
        cursor.execute(f'CREATE TABLE "{table}" (LIKE "{old}" INCLUDING DEFAULTS)')
        key = "id"
    cursor.execute(f'INSERT INTO "{table}" SELECT * FROM "{old}"')
    cursor.execute(f'DROP TABLE "{old}"')
    cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{table}_pkey" PRIMARY KEY ({key})')
    for definition in indexes:
        cursor.execute(definition)
    for name, definition in foreign_keys:
        cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')


def _rebuild_all(*, partitioned):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            for table in partitions.TABLES:
                _rebuild(cursor, table, partitioned=partitioned)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_requestlog_5xx_index"),
    ]

    operations = [
        migrations.RunPython(_rebuild_all(partitioned=True), _rebuild_all(partitioned=False))
    ]
