"""Celery tasks of stores: take ids, call services; safe to run twice."""
from __future__ import annotations

from celery import shared_task

from . import assets


@shared_task(name="stores.asset_renditions", ignore_result=True)
def asset_renditions(asset_id: int) -> None:
    """Make an uploaded image's renditions (enqueued through the outbox with the asset)."""
    assets.asset_renditions_make(asset_id=asset_id)
