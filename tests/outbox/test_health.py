"""Health endpoints: liveness touches nothing; readiness checks database, Redis, outbox."""
from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from outbox.models import OutboxMessage


def test_liveness_answers_without_touching_the_database(client):
    # No `db` fixture: any database access would raise.
    response = client.get("/health/live/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readiness_reports_database_redis_and_outbox(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True  # probes speak plain HTTP from inside

    response = client.get("/health/ready/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True, "redis": True, "outbox": True}
    assert body["checks"]["outbox"]["pending"] == 0


def test_readiness_fails_when_the_outbox_falls_behind(client, db, settings):
    settings.OUTBOX_LAG_LIMIT_SECONDS = 60
    OutboxMessage.objects.create(task="moderation.tasks.submission_run_checks",
                                 created_at=timezone.now() - timedelta(minutes=5))

    response = client.get("/health/ready/")

    assert response.status_code == 503
    outbox = response.json()["checks"]["outbox"]
    assert (outbox["ok"], outbox["pending"]) == (False, 1)
    assert outbox["oldest_seconds"] >= 300


def test_readiness_fails_when_redis_is_unreachable(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # the discard port: nothing answers

    response = client.get("/health/ready/")

    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["redis"] == {"ok": False, "error": "ConnectionError",
                                       "ms": body["checks"]["redis"]["ms"]}
    assert body["checks"]["database"]["ok"] is True
