"""Liveness and readiness (§12)."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse

from .api.errors import json_error


def healthz(request):
    return JsonResponse({"status": "ok"})


def _redis_status() -> str:
    if not settings.REDIS_URL:
        return "not_configured"
    import redis

    try:
        redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=0.25, socket_timeout=0.25
        ).ping()
        return "ok"
    except Exception:
        return "unavailable"


def readyz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception:
        database = "unavailable"
    checks = {"database": database, "redis": _redis_status()}
    if database != "ok":
        response = json_error(
            request,
            "SERVICE_UNAVAILABLE",
            "The database is unreachable.",
            details=[{"field": name, "issue": status} for name, status in checks.items()],
        )
        return response
    return JsonResponse({"status": "ready", "checks": checks})
