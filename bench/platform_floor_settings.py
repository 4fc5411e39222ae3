"""Benchmark-only settings for the floor endpoint: the same database, no
middleware, no DRF, one URL (bench/platform_floor_urls.py)."""

from instantreply.settings import *  # noqa: F403

MIDDLEWARE = []
ROOT_URLCONF = "bench.platform_floor_urls"
