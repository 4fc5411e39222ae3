"""What the benches' no-Django floors (bench/meta_ingest_floor.py,
bench/platform_floor_wsgi.py) share: one psycopg connection per thread (gthread
workers run several), kept open like Django's, autocommit."""

import os
import threading

import psycopg

_local = threading.local()


def connection() -> psycopg.Connection:
    conn = getattr(_local, "conn", None)
    if conn is None or conn.closed:
        conn = _local.conn = psycopg.connect(os.environ["DATABASE_URL"], autocommit=True)
    return conn
