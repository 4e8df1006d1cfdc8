"""Submitting a Store version and running its automated checks."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext_lazy

from catalog.selectors import store_eligibility
from catalog.stored_texts import StoredText, stored_text_data, stored_text_fallback
from config.api import Forbidden
from config.db import retry_on_deadlock
from outbox.services import outbox_enqueue
from stores.models import Store, StoreVersion

from ..errors import NothingChanged
from ..models import OPEN_STATUSES, CheckFinding, Submission, SubmissionEvent
from ..readiness import draft_require_ready
from ..sla import deadline_for
from ..triage import classify, queue_at
from ._common import S, _now, submission_transition
from .decisions import _decide_reject, submission_auto_approve

# Marked here for `make messages`; the note is stored and translated when read.
ngettext_lazy("Automated checks found %(n)s blocking problem.",
              "Automated checks found %(n)s blocking problems.", "n")


def _enqueue_checks(submission_id: int) -> None:
    # A row in the caller's transaction: the checks run once it commits, whatever the broker.
    outbox_enqueue(task="moderation.tasks.submission_run_checks",
                   kwargs={"submission_id": submission_id})


def _comparable(document: dict) -> dict:
    return {k: v for k, v in (document or {}).items() if k != "revision"}


def _refuse_unchanged(*, store: Store, previous: Submission | None) -> None:
    """A submission must change something against what is live and what is waiting."""
    draft = _comparable(store.draft)
    for version in (previous.version if previous else None, store.published_version):
        if version is not None and _comparable(version.document) == draft:
            raise NothingChanged(
                _("Nothing changed since version %(n)d.") % {"n": version.number},
                details={"field": "draft", "version": version.number})


@retry_on_deadlock
def submission_create(*, store: Store, user, now: datetime | None = None) -> Submission:
    """Snapshot the Store's draft into a new version and put it in the moderation queue.

    Guarantees, in one transaction: the user may build this brand's Store (else Forbidden);
    a draft identical to the live version or to the waiting submission is refused
    (NothingChanged, 400) and nothing is written; an open submission of the Store is
    superseded and the new one keeps its wait start, deadline and place in the queue (the
    fair clock); otherwise the deadline is now + the SLA; the version is triaged against
    the live one; the Store shows "in review". The automated checks are enqueued only once
    this has committed.
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
        _refuse_unchanged(store=store, previous=previous)
        if previous is not None:
            submission_transition(
                submission=previous, to=S.SUPERSEDED, actor=user, now=now,
                note=StoredText(gettext_noop("A newer version was submitted.")),
            )
        number = (store.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = StoreVersion.objects.create(
            store=store, number=number, document=store.draft,
            source_revision=store.revision, created_by=user,
        )
        live = store.published_version
        triage = classify(document=version.document, live=live.document if live else None,
                          brand=store.brand, store_id=store.pk, now=now)
        if previous is not None:
            # The fair clock: the brand's wait counts from its first unanswered submission.
            wait_started_at, deadline = previous.wait_started_at, previous.sla_deadline
            place = min(previous.queue_at,
                        queue_at(risk=triage.risk, sla_deadline=previous.sla_deadline))
        else:
            wait_started_at, deadline = now, deadline_for(wait_started_at=now)
            place = queue_at(risk=triage.risk, sla_deadline=deadline)
        submission = Submission.objects.create(
            store=store, version=version, submitted_by=user, submitted_at=now,
            wait_started_at=wait_started_at, sla_deadline=deadline, queue_at=place,
            status=S.SUBMITTED, risk=triage.risk, risk_reasons=triage.reasons,
            # A breach or alert already recorded for the brand's wait stays recorded.
            at_risk_at=previous.at_risk_at if previous else None,
            escalated_at=previous.escalated_at if previous else None,
            breached_at=previous.breached_at if previous else None,
        )
        note = StoredText(gettext_noop("Version %(number)s submitted."), number=number)
        if previous is not None:
            note = StoredText(gettext_noop("Version %(number)s submitted. It replaces version "
                                           "%(previous)s and keeps its deadline "
                                           "(%(deadline)s)."),
                              number=number, previous=previous.version.number,
                              deadline=deadline)
        SubmissionEvent.objects.create(
            submission=submission, actor=user, from_status="", to_status=S.SUBMITTED,
            note=stored_text_fallback(note), note_data=stored_text_data(note), created_at=now,
        )
        store.review_state = Store.ReviewState.IN_REVIEW
        store.save(update_fields=["review_state"])
        _enqueue_checks(submission.pk)
    return submission


@retry_on_deadlock
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


@retry_on_deadlock
def submission_checks_finish(
    *, submission_id: int, findings: list[dict[str, Any]], now: datetime | None = None
) -> Submission | None:
    """Store the findings (replacing earlier ones) and move the submission on.

    Blocking findings reject it at once, with reasons, and the brand is told; otherwise it
    waits in the queue. A submission that left `checking` meanwhile is left alone (None).
    """
    now = _now(now)
    store_id = Submission.objects.filter(pk=submission_id).values_list(
        "store_id", flat=True).first()
    if store_id is None:
        return None
    with transaction.atomic():
        # Locks in submission_create's order, the Store first: an automated approval
        # publishes (Store) while a resubmission supersedes (Submission); the other order
        # deadlocks.
        Store.objects.select_for_update().filter(pk=store_id).first()
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
        if not blocking and submission_auto_approve(submission=submission, now=now):
            return submission
        if not blocking:
            submission_transition(submission=submission, to=S.QUEUED, now=now,
                                  note=StoredText(gettext_noop("Automated checks passed.")))
            return submission
        _decide_reject(
            submission,
            reasons=[
                {"code": f["reason_code"], "tile": f.get("tile") or None, "note": f["message"],
                 "note_data": f.get("message_data") or {}}
                for f in blocking
            ],
            actor=None,
            note=StoredText.plural("Automated checks found %(n)s blocking problem.",
                                   "Automated checks found %(n)s blocking problems.",
                                   len(blocking), n=len(blocking)),
            now=now,
        )
    return submission


