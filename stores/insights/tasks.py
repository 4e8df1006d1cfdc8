"""Celery tasks of insights: they take no objects and may run twice without harm."""
from __future__ import annotations

from celery import shared_task

from . import services, transport


@shared_task(name="insights.rollup")
def rollup() -> dict:
    """Bring the rollups up to date: views buffered in this process or queued in Redis
    first (an order is attributed to the views stored before it), then pending orders."""
    moved = transport.flush() + services.redis_events_drain()
    return {"events": moved, "orders": services.orders_attribute()}


@shared_task(name="insights.events_drain")
def events_drain() -> dict:
    """Beat: move page views queued in Redis into the database and the rollups."""
    return rollup()


@shared_task(name="insights.raw_events_prune")
def raw_events_prune() -> int:
    """Beat: delete raw page views older than INSIGHTS_RAW_RETENTION_DAYS."""
    return services.raw_events_prune()
