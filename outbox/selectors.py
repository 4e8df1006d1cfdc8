"""Reads of the outbox: how far behind the relay and the workers are."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min
from django.utils import timezone

from .models import OutboxMessage


@dataclass(frozen=True)
class OutboxLag:
    pending: int
    oldest_seconds: float


def outbox_lag(*, now: datetime | None = None) -> OutboxLag:
    """Messages not done yet and the age of the oldest (0 when none wait)."""
    now = now or timezone.now()
    row = OutboxMessage.objects.filter(done_at__isnull=True).aggregate(
        pending=Count("id"), oldest=Min("created_at"))
    oldest = (now - row["oldest"]).total_seconds() if row["oldest"] else 0.0
    return OutboxLag(pending=row["pending"], oldest_seconds=max(0.0, oldest))
