"""Celery tasks of the outbox: deliver one message, relay due ones, prune done ones."""
from __future__ import annotations

from celery import shared_task
from celery.signals import worker_ready

from . import services


@shared_task(name="outbox.deliver", acks_late=True, reject_on_worker_lost=True,
             ignore_result=True)
def deliver(message_id: int) -> str:
    return services.outbox_deliver(message_id=message_id)


@shared_task(name="outbox.relay", ignore_result=True)
def relay() -> int:
    """Beat, every OUTBOX_RELAY_SECONDS: publish what was not published or got lost."""
    return services.outbox_relay()


@shared_task(name="outbox.prune", ignore_result=True)
def prune() -> int:
    return services.outbox_prune()


@worker_ready.connect(dispatch_uid="outbox-relay-on-worker-start")
def _relay_on_start(**kwargs) -> None:
    # A worker that (re)starts catches up at once instead of waiting for beat.
    relay.delay()
