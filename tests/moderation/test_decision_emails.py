"""Decision e-mails are sent by a task enqueued with the decision: a mail server that
fails never turns a committed decision into an error, and the e-mail follows once the
server is back."""
from __future__ import annotations

import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from moderation.models import SubmissionStatus
from outbox import services as outbox
from outbox.models import OutboxMessage


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def failing_mail_server(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port()
    settings.EMAIL_TIMEOUT = 2
    return settings


@pytest.mark.parametrize(("action", "body", "status"), [
    ("approve", {}, SubmissionStatus.PUBLISHED),
    ("reject", {"reasons": [{"code": "typos", "tile": "t2", "note": "trial/trail"}]},
     SubmissionStatus.REJECTED),
])
def test_a_failing_mail_server_never_fails_a_committed_decision(
    client, moderator, make_submission, failing_mail_server, django_capture_on_commit_callbacks,
    action, body, status,
):
    submission = make_submission(SubmissionStatus.QUEUED)
    client.force_login(moderator.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/moderation/submissions/{submission.pk}/{action}/",
                               body, content_type="application/json")

    assert response.status_code == 200
    submission.refresh_from_db()
    assert submission.status == status
    email = OutboxMessage.objects.get(task="moderation.tasks.decision_email")
    assert email.kwargs == {"submission_id": submission.pk}
    assert email.done_at is None
    assert "ConnectionRefusedError" in email.last_error

    # The mail server is back: the relay's next try sends it, once.
    failing_mail_server.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox.outbox_relay(now=timezone.now() + timedelta(minutes=1)) == 1
    assert outbox.outbox_relay(now=timezone.now() + timedelta(hours=1)) == 0
    assert [m.to for m in mail.outbox] == [["seller_owner@example.com"]]
    email.refresh_from_db()
    assert email.done_at is not None


def test_a_submission_that_committed_answers_201_even_when_the_cache_is_down(
    client, seller, store, settings, django_capture_on_commit_callbacks
):
    """After-commit work that needs Redis (route tokens, publishing the checks) may fail:
    the answer still says what happened — the submission exists and its checks will run."""
    settings.CACHES = {"default": {"BACKEND": "config.cache.OutageTolerantRedisCache",
                                   "LOCATION": "redis://127.0.0.1:9/0"}}
    client.force_login(seller.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/stores/{store.pk}/submissions/", {},
                               content_type="application/json")

    assert response.status_code == 201
    assert OutboxMessage.objects.get(task="moderation.tasks.submission_run_checks").kwargs == {
        "submission_id": response.json()["id"]}
