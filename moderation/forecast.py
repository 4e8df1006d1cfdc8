"""The forecast: at current throughput, how many open submissions will miss their deadline.

The open submissions are worked in queue order (moderation.models.Submission.queue_at)
against the scheduled shifts (moderation.sla.ShiftCalendar): each moderator on shift
decides 60 / review-minutes submissions an hour, where review minutes is the median of the
moderators' recent reviews (claim to decision, last 7 days; MODERATION_REVIEW_MINUTES
when there are fewer than MIN_SAMPLES). A submission whose turn comes after its deadline
is a miss. Deadlines are up to 72 h ahead, so a shortfall shows days before it happens.
Trivial submissions still in their checks are left out: they are approved automatically.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from .models import OPEN_STATUSES, DecidedBy, Risk, Submission, SubmissionStatus
from .sla import ShiftCalendar

MIN_SAMPLES = 20
HISTORY = timedelta(days=7)


@dataclass
class Forecast:
    open: int
    misses: int
    first_miss_at: datetime | None  # the deadline of the first submission that will miss
    review_minutes: float
    clears_at: datetime | None  # when the whole backlog is decided at this pace

    @property
    def red(self) -> bool:
        return self.misses > 0


def review_minutes(*, now: datetime) -> float:
    """Median minutes from claim to decision over the moderators' recent decisions."""
    rows = Submission.objects.filter(
        decided_how=DecidedBy.MODERATOR, decided_at__gte=now - HISTORY,
        claimed_at__isnull=False,
    ).values_list("claimed_at", "decided_at")[:2000]
    minutes = [(decided - claimed).total_seconds() / 60 for claimed, decided in rows
               if decided >= claimed]
    if len(minutes) < MIN_SAMPLES:
        return float(settings.MODERATION_REVIEW_MINUTES)
    return max(1.0, statistics.median(minutes))


def forecast(*, now: datetime | None = None, calendar: ShiftCalendar | None = None,
             minutes: float | None = None) -> Forecast:
    now = now or timezone.now()
    calendar = calendar or ShiftCalendar.load()
    minutes = minutes or review_minutes(now=now)
    waiting = [
        deadline for deadline, status, risk in
        Submission.objects.filter(status__in=OPEN_STATUSES)
        .order_by("queue_at", "id").values_list("sla_deadline", "status", "risk")
        if not (risk == Risk.TRIVIAL and status in (SubmissionStatus.SUBMITTED,
                                                      SubmissionStatus.CHECKING))
    ]
    if not waiting:
        return Forecast(0, 0, None, minutes, now)
    horizon = max(max(waiting), now) + timedelta(days=7)
    per_hour = 60.0 / minutes
    windows = calendar.windows(now, horizon)
    misses, first_miss, index = 0, None, 0
    done = 0.0  # submissions decided so far, fractional
    clears_at = None
    for window in windows:
        hours = (window.end - window.start).total_seconds() / 3600
        capacity = hours * per_hour * window.moderators
        start_done = done
        done += capacity
        while index < len(waiting) and index + 1 <= done:
            share = (index + 1 - start_done) / capacity if capacity else 0
            finished = window.start + (window.end - window.start) * share
            if finished > waiting[index]:
                misses += 1
                first_miss = waiting[index] if first_miss is None else min(first_miss,
                                                                            waiting[index])
            index += 1
        if index >= len(waiting):
            clears_at = finished
            break
    for deadline in waiting[index:]:  # never reached within the horizon
        misses += 1
        first_miss = deadline if first_miss is None else min(first_miss, deadline)
    return Forecast(len(waiting), misses, first_miss, round(minutes, 1), clears_at)
