"""Celery tasks of insights: they take no objects and may run twice without harm."""
from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="insights.rollup")
def rollup() -> dict:
    """Fold pending raw page views and orders into the daily rollups."""
    return services.rollup_process()


@shared_task(name="insights.events_drain")
def events_drain() -> dict:
    """Beat: move page views queued in Redis into the database, then roll them up."""
    moved = services.redis_events_drain()
    result = services.rollup_process()
    return {"moved": moved, **result}


@shared_task(name="insights.raw_events_prune")
def raw_events_prune() -> int:
    """Beat: delete raw page views older than INSIGHTS_RAW_RETENTION_DAYS."""
    return services.raw_events_prune()
