"""Health endpoints for probes and load balancers.

`/health/live/`: the process answers (no dependency is touched, so a database outage never
gets every web process restarted). `/health/ready/`: the database answers, Redis answers
(when configured) and the task outbox is not falling behind; 503 with the failing parts
otherwise. Both answer JSON, are never cached and need no login.
"""
from __future__ import annotations

import time

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from outbox.selectors import outbox_lag


@never_cache
@require_GET
def live(request):
    return JsonResponse({"status": "ok"})


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True}


def _redis() -> dict:
    if not settings.REDIS_URL:
        return {"ok": True, "configured": False}
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1,
                                  socket_timeout=1)
    try:
        client.ping()
    finally:
        client.close()
    return {"ok": True}


def _outbox() -> dict:
    lag = outbox_lag()
    return {"ok": lag.oldest_seconds <= settings.OUTBOX_LAG_LIMIT_SECONDS,
            "pending": lag.pending, "oldest_seconds": round(lag.oldest_seconds, 1),
            "limit_seconds": settings.OUTBOX_LAG_LIMIT_SECONDS}


@never_cache
@require_GET
def ready(request):
    checks: dict[str, dict] = {}
    for name, probe in (("database", _database), ("redis", _redis), ("outbox", _outbox)):
        if name == "outbox" and not checks["database"]["ok"]:
            checks[name] = {"ok": False, "error": "database unavailable"}
            continue
        started = time.monotonic()
        try:
            checks[name] = probe()
        except Exception as exc:
            checks[name] = {"ok": False, "error": exc.__class__.__name__}
        checks[name]["ms"] = round((time.monotonic() - started) * 1000, 1)
    ok = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if ok else "unavailable", "checks": checks},
                        status=200 if ok else 503)
