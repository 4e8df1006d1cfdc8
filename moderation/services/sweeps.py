"""Periodic work: SLA at-risk and breach marks, the forecast, lease expiry, stuck checks."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_noop

from catalog.stored_texts import StoredText
from outbox.services import outbox_enqueue

from ..forecast import Forecast, forecast
from ..models import OPEN_STATUSES, ForecastAlert, Submission
from ..sla import ShiftCalendar, at_risk_note, at_risk_threshold, breach_note
from ._common import S, _event, _now, submission_transition
from .submissions import _enqueue_checks


@dataclass
class SweepResult:
    at_risk: list[int]
    breached: list[int]
    leases_expired: list[int]
    checks_requeued: list[int]


def submission_sla_sweep(*, now: datetime | None = None,
                         calendar: ShiftCalendar | None = None) -> SweepResult:
    """Mark open submissions at risk (fewer on-shift hours left than the threshold, see
    moderation.sla) and escalate them (leads e-mailed); record breaches (the brand's
    deadline passed). Each is recorded once, so the sweep may run as often as one likes.
    """
    now = _now(now)
    calendar = calendar or ShiftCalendar.load()
    threshold = at_risk_threshold()
    result = SweepResult([], [], [], [])
    with transaction.atomic():
        candidates = Submission.objects.select_for_update(skip_locked=True).filter(
            status__in=OPEN_STATUSES, at_risk_at__isnull=True,
        ).order_by("sla_deadline", "id")
        for submission in candidates:
            left = calendar.on_shift(now, submission.sla_deadline)
            if left > threshold:
                break  # on-shift time left only grows with the deadline
            submission.at_risk_at = now
            submission.escalated_at = now
            submission.save(update_fields=["at_risk_at", "escalated_at"])
            _event(submission, now=now, note=at_risk_note(on_shift_left=left))
            result.at_risk.append(submission.pk)
        breached = list(
            Submission.objects.select_for_update(skip_locked=True).filter(
                status__in=OPEN_STATUSES, breached_at__isnull=True, sla_deadline__lte=now,
            )
        )
        for submission in breached:
            submission.breached_at = now
            submission.save(update_fields=["breached_at"])
            _event(submission, now=now, note=breach_note())
            result.breached.append(submission.pk)
        if result.at_risk or result.breached:
            outbox_enqueue(task="moderation.tasks.leads_email",
                           kwargs={"at_risk_ids": result.at_risk,
                                   "breached_ids": result.breached})
    return result


def forecast_check(*, now: datetime | None = None, calendar: ShiftCalendar | None = None
                   ) -> Forecast:
    """Run the forecast; when it turns red (some submission will miss its deadline) open a
    ForecastAlert and e-mail the leads once; when it turns green again close the alert."""
    now = _now(now)
    result = forecast(now=now, calendar=calendar)
    with transaction.atomic():
        open_alert = ForecastAlert.objects.select_for_update().filter(
            cleared_at__isnull=True).first()
        if result.red and open_alert is None:
            alert = ForecastAlert.objects.create(raised_at=now, misses=result.misses,
                                                 first_miss_at=result.first_miss_at)
            from ..notifications import forecast_notify

            transaction.on_commit(lambda: forecast_notify(alert_id=alert.pk))
        elif result.red:
            open_alert.misses = result.misses
            open_alert.first_miss_at = result.first_miss_at
            open_alert.save(update_fields=["misses", "first_miss_at"])
        elif open_alert is not None:
            open_alert.cleared_at = now
            open_alert.save(update_fields=["cleared_at"])
    return result


def submission_leases_expire(*, now: datetime | None = None) -> list[int]:
    """Put submissions whose claim lease ran out back in the queue."""
    now = _now(now)
    expired = []
    with transaction.atomic():
        for submission in Submission.objects.select_for_update(skip_locked=True).filter(
            status=S.IN_REVIEW, claim_expires_at__lte=now
        ):
            submission_transition(submission=submission, to=S.QUEUED, now=now,
                                  note=StoredText(gettext_noop("Lease of %(who)s expired."),
                                                  who=str(submission.claimed_by)))
            submission.claimed_by = None
            submission.claim_expires_at = None
            submission.save(update_fields=["claimed_by", "claim_expires_at"])
            expired.append(submission.pk)
    return expired


def submission_stuck_checks_requeue(*, now: datetime | None = None) -> list[int]:
    """Enqueue the checks again for submissions stuck before the queue: `checking` for
    longer than MODERATION_CHECKS_STUCK_MINUTES (a worker died), or still `submitted` that
    long (the enqueue was lost). The task is idempotent, so a duplicate does no harm.
    """
    now = _now(now)
    cutoff = now - timedelta(minutes=settings.MODERATION_CHECKS_STUCK_MINUTES)
    requeued = []
    with transaction.atomic():
        stuck = Submission.objects.select_for_update(skip_locked=True).filter(
            Q(checks_started_at__isnull=True) | Q(checks_started_at__lte=cutoff),
            status__in=(S.SUBMITTED, S.CHECKING), submitted_at__lte=cutoff,
        )
        for submission in stuck:
            # Restart the clock so the next sweep waits again before re-enqueueing.
            submission.checks_started_at = now
            submission.save(update_fields=["checks_started_at"])
            _event(submission, now=now, note=StoredText(gettext_noop(
                "Automated checks re-enqueued (stuck).")))
            _enqueue_checks(submission.pk)
            requeued.append(submission.pk)
    return requeued
