"""Benchmark-only settings: the product's settings unchanged, except that the
plan limits are raised so a load test is counted by the rate limiter (its cost is
part of what is measured) but never refused by it."""

from instantreply.settings import *  # noqa: F403
from instantreply.settings import TIERS

TIERS = {name: {**plan, "requests_per_minute": 10_000_000} for name, plan in TIERS.items()}
