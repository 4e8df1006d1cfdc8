"""Periodic work: SLA at-risk and breach marks, lease expiry, stuck checks."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from ..models import OPEN_STATUSES, Submission
from ._common import S, _event, _now, submission_transition
from .submissions import _enqueue_checks

AT_RISK_HOURS = 12


@dataclass
class SweepResult:
    at_risk: list[int]
    breached: list[int]
    leases_expired: list[int]
    checks_requeued: list[int]


def submission_sla_sweep(*, now: datetime | None = None) -> SweepResult:
    """Mark open submissions at risk (under AT_RISK_HOURS left) and escalate them (priority
    1, leads e-mailed); record breaches (deadline passed; priority 2). Each is recorded
    once, so the sweep may run as often as beat likes.
    """
    now = _now(now)
    result = SweepResult([], [], [], [])
    with transaction.atomic():
        at_risk = list(
            Submission.objects.select_for_update(skip_locked=True).filter(
                status__in=OPEN_STATUSES, at_risk_at__isnull=True,
                sla_deadline__lte=now + timedelta(hours=AT_RISK_HOURS),
            )
        )
        for submission in at_risk:
            submission.at_risk_at = now
            submission.escalated_at = now
            submission.priority = max(submission.priority, 1)
            submission.save(update_fields=["at_risk_at", "escalated_at", "priority"])
            _event(submission, now=now, note="At risk: under 12 hours left. Escalated.")
            result.at_risk.append(submission.pk)
        breached = list(
            Submission.objects.select_for_update(skip_locked=True).filter(
                status__in=OPEN_STATUSES, breached_at__isnull=True, sla_deadline__lte=now,
            )
        )
        for submission in breached:
            submission.breached_at = now
            submission.priority = max(submission.priority, 2)
            submission.save(update_fields=["breached_at", "priority"])
            _event(submission, now=now, note="SLA breached: no decision within 72 hours.")
            result.breached.append(submission.pk)
        if result.at_risk or result.breached:
            from ..notifications import leads_notify

            at_risk_ids, breached_ids = list(result.at_risk), list(result.breached)
            transaction.on_commit(
                lambda: leads_notify(at_risk_ids=at_risk_ids, breached_ids=breached_ids)
            )
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
                                  note=f"Lease of {submission.claimed_by} expired.")
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
            _event(submission, now=now, note="Automated checks re-enqueued (stuck).")
            _enqueue_checks(submission.pk)
            requeued.append(submission.pk)
    return requeued
