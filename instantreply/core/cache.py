"""Django's Redis cache, with one client object per connection pool.

Design note: Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis``
on every cache call, and redis-py's constructor fills its table of ~160 response
callbacks each time: on the /meta/webhook ack path (one ``cache.add`` per post,
``meta.tasks.queue_processing``) that was more CPU than the Redis round trip
itself (bench/meta_ingest.py). A ``redis.Redis`` is safe to share between
threads (each command takes a connection from the pool), so one per pool is kept.
Keys, values and behaviour are Django's own.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _SharedClientRedisCacheClient
