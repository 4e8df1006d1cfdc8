"""The task outbox: a task is a row of the change's transaction, relayed until it ran."""
from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from config.logs import JsonFormatter
from outbox import services
from outbox.models import OutboxMessage
from outbox.selectors import outbox_lag

RAN: list[dict] = []


@pytest.fixture(autouse=True)
def _ran():
    RAN.clear()
    yield
    RAN.clear()


@pytest.fixture
def recording_task():
    """A registered Celery task that records its calls (and fails while told to)."""
    from celery import current_app

    name = "tests.outbox.record"
    state = {"fail": False}

    @current_app.task(name=name, shared=False)
    def record(**kwargs):
        if state["fail"]:
            raise RuntimeError("mail server said no")
        RAN.append(kwargs)

    yield name, state
    current_app.tasks.pop(name, None)


def test_a_task_asked_for_in_a_rolled_back_transaction_never_runs(
        db, recording_task, django_capture_on_commit_callbacks):
    name, _ = recording_task
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.outbox_enqueue(task=name, kwargs={"n": 1})
            raise RuntimeError("the change failed")

    assert OutboxMessage.objects.count() == 0
    assert services.outbox_relay() == 0
    assert RAN == []


def test_a_committed_task_runs_once_after_commit(
        db, recording_task, django_capture_on_commit_callbacks):
    name, _ = recording_task
    with django_capture_on_commit_callbacks(execute=True):
        message = services.outbox_enqueue(task=name, kwargs={"n": 1})
        assert RAN == []  # not before the commit

    message.refresh_from_db()
    assert RAN == [{"n": 1}]
    assert (message.publishes, message.runs, message.last_error) == (1, 1, "")
    assert message.done_at is not None
    # A duplicate delivery (a redelivered broker message) does nothing.
    assert services.outbox_deliver(message_id=message.pk) == "skipped"
    assert RAN == [{"n": 1}]


def test_a_broker_that_is_down_at_commit_delays_the_task_but_never_loses_it(
        db, recording_task, monkeypatch, django_capture_on_commit_callbacks):
    from outbox.tasks import deliver

    name, _ = recording_task
    real_apply_async = deliver.apply_async

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(deliver, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        message = services.outbox_enqueue(task=name, kwargs={"n": 2})

    message.refresh_from_db()
    assert RAN == []
    assert message.done_at is None
    assert message.last_error.startswith("publish: OperationalError")

    monkeypatch.setattr(deliver, "apply_async", real_apply_async)
    assert services.outbox_relay() == 0  # the retry waits its pause
    assert services.outbox_relay(now=timezone.now() + timedelta(seconds=6)) == 1
    message.refresh_from_db()
    assert RAN == [{"n": 2}]
    assert message.done_at is not None


def test_a_published_message_that_never_ran_is_published_again(db, recording_task, settings):
    """A broker restarted without its queue loses published messages: the relay sends
    them again once OUTBOX_REDELIVER_SECONDS have passed without a run."""
    name, _ = recording_task
    message = services.outbox_enqueue(task=name, kwargs={"n": 3})
    now = timezone.now()
    OutboxMessage.objects.filter(pk=message.pk).update(
        published_at=now, publishes=1,
        next_attempt_at=now + timedelta(seconds=settings.OUTBOX_REDELIVER_SECONDS))

    assert services.outbox_relay(now=now + timedelta(seconds=1)) == 0
    assert services.outbox_relay(
        now=now + timedelta(seconds=settings.OUTBOX_REDELIVER_SECONDS + 1)) == 1
    message.refresh_from_db()
    assert (message.publishes, RAN) == (2, [{"n": 3}])


def test_a_failing_task_is_retried_with_a_growing_pause_until_it_succeeds(
        db, recording_task):
    name, state = recording_task
    state["fail"] = True
    message = services.outbox_enqueue(task=name, kwargs={"n": 4})

    assert services.outbox_relay() == 1
    message.refresh_from_db()
    first_pause = message.next_attempt_at - timezone.now()
    assert message.done_at is None and message.started_at is None
    assert message.last_error == "RuntimeError('mail server said no')"
    assert services.outbox_relay(now=message.next_attempt_at) == 1
    message.refresh_from_db()
    assert message.next_attempt_at - timezone.now() > first_pause
    assert message.runs == 2

    state["fail"] = False
    assert services.outbox_relay(now=message.next_attempt_at) == 1
    message.refresh_from_db()
    assert message.done_at is not None and message.last_error == ""
    assert RAN == [{"n": 4}]


def test_a_run_whose_worker_died_is_taken_up_again_after_its_lease(
        db, recording_task, settings):
    name, _ = recording_task
    message = services.outbox_enqueue(task=name)
    now = timezone.now()
    running = OutboxMessage.objects.filter(pk=message.pk)
    running.update(started_at=now - timedelta(seconds=settings.OUTBOX_REDELIVER_SECONDS + 1),
                   runs=1)

    assert services.outbox_relay() == 0  # still running, as far as we know
    running.update(
        started_at=now - timedelta(seconds=settings.OUTBOX_RUN_LEASE_SECONDS + 1))
    assert services.outbox_relay() == 1
    assert RAN == [{}]
    assert running.get().runs == 2


def test_the_lag_is_the_age_of_the_oldest_message_not_done(db, recording_task):
    name, _ = recording_task
    now = timezone.now()
    old = services.outbox_enqueue(task=name)
    OutboxMessage.objects.filter(pk=old.pk).update(created_at=now - timedelta(seconds=90))
    services.outbox_enqueue(task=name)
    OutboxMessage.objects.create(task=name, created_at=now - timedelta(hours=1), done_at=now)

    lag = outbox_lag(now=now)

    assert (lag.pending, round(lag.oldest_seconds)) == (2, 90)


def test_done_messages_are_pruned_after_a_week(db, recording_task):
    name, _ = recording_task
    now = timezone.now()
    OutboxMessage.objects.create(task=name, done_at=now - timedelta(days=8))
    kept = OutboxMessage.objects.create(task=name, done_at=now - timedelta(days=6))
    waiting = OutboxMessage.objects.create(task=name, created_at=now - timedelta(days=30))

    assert services.outbox_prune(now=now) == 1
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {kept.pk, waiting.pk}


def test_log_lines_are_json_objects_with_their_extra_fields():
    record = logging.LogRecord("outbox.services", logging.WARNING, __file__, 1,
                               "outbox publish failed", None, None)
    record.message_id = 7

    line = json.loads(JsonFormatter().format(record))

    assert line["level"] == "WARNING"
    assert line["logger"] == "outbox.services"
    assert line["message"] == "outbox publish failed"
    assert line["message_id"] == 7
    assert line["time"].endswith("+00:00")


def test_a_relay_that_finds_the_broker_down_stops_trying_until_its_next_round(
        db, recording_task, monkeypatch):
    from outbox.tasks import deliver

    name, _ = recording_task
    messages = [services.outbox_enqueue(task=name, kwargs={"n": n}) for n in range(3)]
    attempts = []

    def broker_down(*args, **kwargs):
        attempts.append(args)
        raise OperationalError("Connection refused.")

    monkeypatch.setattr(deliver, "apply_async", broker_down)

    assert services.outbox_relay() == 0

    assert len(attempts) == 1
    for message in messages:
        message.refresh_from_db()
        assert message.last_error.startswith("publish: OperationalError")
        assert message.next_attempt_at > timezone.now()
