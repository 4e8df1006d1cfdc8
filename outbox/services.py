"""Every write of the outbox: enqueue a task with the change, relay it to Celery, run it.

A task asked for by a change is a row written in the change's transaction
(`outbox_enqueue`). After commit the row is published at once; when that fails (the broker
is down) or the published message never runs (the broker lost it), beat's relay publishes
it again until a worker reports it done. A worker runs a message at most once at a time and
records the outcome; a failed run is retried with a growing pause. So tasks run at least
once: every consumer is idempotent.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

MAX_ERROR_LENGTH = 2000


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def retry_delay(runs: int) -> timedelta:
    """Pause before the next try after `runs` failed runs: 5 s, 10 s, 20 s… at most
    OUTBOX_RETRY_MAX_SECONDS."""
    seconds = 5 * 2 ** max(0, min(runs - 1, 16))
    return timedelta(seconds=min(seconds, settings.OUTBOX_RETRY_MAX_SECONDS))


def outbox_enqueue(*, task: str, kwargs: dict[str, Any] | None = None) -> OutboxMessage:
    """Ask for Celery task `task` (its registered name) to run with `kwargs` once the
    current transaction commits. The row is part of the transaction: a rollback drops it,
    a commit guarantees the task runs (at least once). Publishing after commit never
    raises: a broker that is down only delays the task until the relay succeeds.
    """
    message = OutboxMessage.objects.create(task=task, kwargs=kwargs or {})
    transaction.on_commit(partial(_relay_after_commit, message.pk), robust=True)
    return message


def _relay_after_commit(message_id: int) -> None:
    # Fail fast in a request (one reconnect, for a pooled connection the broker dropped):
    # the relay publishes what this could not.
    outbox_relay(ids=[message_id], patient=False)


def _due(now: datetime) -> Q:
    lease = timedelta(seconds=settings.OUTBOX_RUN_LEASE_SECONDS)
    return Q(done_at__isnull=True, next_attempt_at__lte=now) & (
        Q(started_at__isnull=True) | Q(started_at__lte=now - lease)
    )


# One immediate reconnect, then give up (the relay tries again later).
FAST_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0, "interval_max": 0}


def outbox_relay(*, ids: list[int] | None = None, limit: int = 500,
                 patient: bool = True, now: datetime | None = None) -> int:
    """Publish due messages (all of them, or those of `ids`) to the broker; return how many
    were published. Due: not done, not running (or running for longer than
    OUTBOX_RUN_LEASE_SECONDS: its worker died) and not published in the last
    OUTBOX_REDELIVER_SECONDS. Concurrent relays publish disjoint rows (SKIP LOCKED)."""
    from .tasks import deliver

    now = _now(now)
    redeliver = timedelta(seconds=settings.OUTBOX_REDELIVER_SECONDS)
    with transaction.atomic():
        rows = OutboxMessage.objects.select_for_update(skip_locked=True).filter(_due(now))
        if ids is not None:
            rows = rows.filter(pk__in=ids)
        due = list(rows.order_by("next_attempt_at", "id").only("pk", "publishes")[:limit])
        if not due:
            return 0
        for message in due:
            # Each publish waits twice as long for its run as the one before: a long queue
            # is not flooded with copies, a lost message is sent again within seconds.
            message.next_attempt_at = now + redeliver * 2 ** min(message.publishes, 5)
            message.published_at = now
            message.publishes += 1
        OutboxMessage.objects.bulk_update(due, ["next_attempt_at", "published_at",
                                                "publishes"])
        claimed = [message.pk for message in due]
    published = 0
    for index, message_id in enumerate(claimed):
        try:
            deliver.apply_async((message_id,), retry=True,
                                retry_policy=None if patient else FAST_RETRY)
        except Exception as exc:  # the broker is unreachable: the rest waits for it too
            unsent = claimed[index:]
            logger.warning("outbox publish failed", extra={
                "message_id": message_id, "unsent": len(unsent), "error": repr(exc)})
            OutboxMessage.objects.filter(pk__in=unsent, done_at__isnull=True).update(
                next_attempt_at=timezone.now() + retry_delay(1),
                last_error=f"publish: {exc!r}"[:MAX_ERROR_LENGTH])
            break
        published += 1
    return published


def _task(name: str):
    if name not in current_app.tasks:
        # Outside a worker (tasks run in-process) the apps' tasks modules load on demand.
        current_app.loader.import_default_modules()
    return current_app.tasks[name]


def outbox_deliver(*, message_id: int, now: datetime | None = None) -> str:
    """Run one message's task, once at a time: "done", "failed" (retried later by the
    relay) or "skipped" (done already, running elsewhere, or gone). Never raises."""
    now = _now(now)
    lease = timedelta(seconds=settings.OUTBOX_RUN_LEASE_SECONDS)
    claimed = OutboxMessage.objects.filter(pk=message_id, done_at__isnull=True).filter(
        Q(started_at__isnull=True) | Q(started_at__lte=now - lease)
    ).update(started_at=now, runs=F("runs") + 1)
    if not claimed:
        return "skipped"
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        task = _task(message.task)
        if current_app.conf.task_always_eager:
            # In-process (no broker): run it as an eager task, so the task knows it has no
            # worker to retry it (`request.is_eager`).
            task.apply(kwargs=message.kwargs, throw=True)
        else:
            task(**message.kwargs)
    except Exception as exc:
        logger.exception("outbox task failed", extra={
            "message_id": message_id, "task": message.task, "runs": message.runs})
        OutboxMessage.objects.filter(pk=message_id).update(
            started_at=None, next_attempt_at=timezone.now() + retry_delay(message.runs),
            last_error=repr(exc)[:MAX_ERROR_LENGTH])
        return "failed"
    OutboxMessage.objects.filter(pk=message_id).update(done_at=timezone.now(), last_error="")
    return "done"


def outbox_prune(*, now: datetime | None = None) -> int:
    """Delete messages done more than OUTBOX_KEEP_DAYS ago; return how many."""
    cutoff = _now(now) - timedelta(days=settings.OUTBOX_KEEP_DAYS)
    return OutboxMessage.objects.filter(done_at__lt=cutoff).delete()[0]
