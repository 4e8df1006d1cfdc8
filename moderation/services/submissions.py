"""Submitting a Store version and running its automated checks."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from catalog.selectors import store_eligibility
from config.api import Forbidden
from stores.models import Store, StoreVersion

from ..models import OPEN_STATUSES, CheckFinding, Submission, SubmissionEvent
from ..readiness import draft_require_ready
from ._common import S, _now, submission_transition


def _enqueue_checks(submission_id: int) -> None:
    from ..tasks import submission_run_checks

    transaction.on_commit(lambda: submission_run_checks.delay(submission_id))


def submission_create(*, store: Store, user, now: datetime | None = None) -> Submission:
    """Snapshot the Store's draft into a new version and put it in the moderation queue.

    Guarantees, in one transaction: the user may build this brand's Store (else Forbidden);
    an open submission of the Store is superseded; the new version gets the next number;
    the deadline is now + MODERATION_SLA_HOURS; the Store shows "in review". The automated
    checks are enqueued only once this has committed.
    """
    eligibility = store_eligibility(user=user, brand=store.brand)
    if not eligibility:
        raise Forbidden(eligibility.reason, code=eligibility.code)
    draft_require_ready(store=store)
    now = _now(now)
    with transaction.atomic():
        store = Store.objects.select_for_update().get(pk=store.pk)
        previous = (
            Submission.objects.select_for_update().filter(store=store, status__in=OPEN_STATUSES)
            .first()
        )
        if previous is not None:
            submission_transition(
                submission=previous, to=S.SUPERSEDED, actor=user, now=now,
                note="A newer version was submitted.",
            )
        number = (store.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = StoreVersion.objects.create(
            store=store, number=number, document=store.draft,
            source_revision=store.revision, created_by=user,
        )
        submission = Submission.objects.create(
            store=store, version=version, submitted_by=user, submitted_at=now,
            sla_deadline=now + timedelta(hours=settings.MODERATION_SLA_HOURS),
            status=S.SUBMITTED,
        )
        SubmissionEvent.objects.create(
            submission=submission, actor=user, from_status="", to_status=S.SUBMITTED,
            note=f"Version {number} submitted.", created_at=now,
        )
        store.review_state = Store.ReviewState.IN_REVIEW
        store.save(update_fields=["review_state"])
        _enqueue_checks(submission.pk)
    return submission


def submission_checks_start(*, submission_id: int, now: datetime | None = None) -> bool:
    """Mark the checks as running. False when there is nothing to check (decided, gone)."""
    now = _now(now)
    with transaction.atomic():
        submission = Submission.objects.select_for_update().filter(pk=submission_id).first()
        if submission is None or submission.status not in (S.SUBMITTED, S.CHECKING):
            return False
        if submission.status == S.SUBMITTED:
            submission_transition(submission=submission, to=S.CHECKING, now=now)
        submission.checks_started_at = now
        submission.checks_attempts += 1
        submission.save(update_fields=["checks_started_at", "checks_attempts"])
    return True


def submission_checks_finish(
    *, submission_id: int, findings: list[dict[str, Any]], now: datetime | None = None
) -> Submission | None:
    """Store the findings (replacing earlier ones) and move the submission on.

    Blocking findings reject it at once, with reasons, and the brand is told; otherwise it
    waits in the queue. A submission that left `checking` meanwhile is left alone (None).
    """
    now = _now(now)
    with transaction.atomic():
        submission = Submission.objects.select_for_update().filter(pk=submission_id).first()
        if submission is None or submission.status != S.CHECKING:
            return None
        submission.findings.all().delete()
        CheckFinding.objects.bulk_create(
            CheckFinding(submission=submission, **finding) for finding in findings
        )
        submission.checks_finished_at = now
        submission.save(update_fields=["checks_finished_at"])
        blocking = [f for f in findings if f["severity"] == CheckFinding.Severity.BLOCKING]
        if not blocking:
            submission_transition(submission=submission, to=S.QUEUED, now=now,
                                  note="Automated checks passed.")
            return submission
        from .decisions import _decide_reject

        _decide_reject(
            submission,
            reasons=[
                {"code": f["reason_code"], "tile": f.get("tile") or None, "note": f["message"]}
                for f in blocking
            ],
            actor=None,
            note=f"Automated checks found {len(blocking)} blocking problem(s).",
            now=now,
        )
    return submission


