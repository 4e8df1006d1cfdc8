"""Every write of moderation: submit, check, claim, decide, publish, schedule, sweep.

The admin, the API and the Celery tasks all call these functions, so each rule lives in
one place. Status changes go through `submission_transition` only.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from catalog.selectors import store_eligibility
from config.api import Conflict, DomainError, Forbidden
from stores.models import Store, StoreVersion

from .errors import IllegalTransition, InvalidReasons, ScheduleOverlap, ScheduleRefused
from .models import (
    OPEN_STATUSES,
    TRANSITIONS,
    CheckFinding,
    ReasonCode,
    RejectionReason,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
)
from .permissions import is_moderator
from .readiness import draft_require_ready

logger = logging.getLogger(__name__)

S = SubmissionStatus
DEFAULT_LEASE = timedelta(minutes=30)
AT_RISK_HOURS = 12
MAX_NOTE_LENGTH = 2000
# A window may start this far in the past: the admin's datetime-local fields have minute
# precision, so "now" typed by a moderator is up to a minute old when it arrives.
SCHEDULE_GRACE = timedelta(minutes=1)


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _require_moderator(user) -> None:
    if not is_moderator(user):
        raise Forbidden("Only moderators may do this.", code="not_moderator")


# --- transitions -------------------------------------------------------------------------


def submission_transition(
    *, submission: Submission, to: str, actor=None, note: str = "", now: datetime | None = None
) -> Submission:
    """Move `submission` to status `to` and write the audit row.

    The caller holds the row (select_for_update inside a transaction). Raises
    IllegalTransition when TRANSITIONS does not allow the move; nothing is written then.
    """
    current = submission.status
    if to not in TRANSITIONS.get(current, frozenset()):
        raise IllegalTransition(
            f"A submission cannot go from {current} to {to}.",
            details={"from": current, "to": to},
        )
    submission.status = to
    submission.save(update_fields=["status"])
    SubmissionEvent.objects.create(
        submission=submission, actor=actor, from_status=current, to_status=to, note=note,
        created_at=_now(now),
    )
    return submission


def _event(submission: Submission, *, actor=None, note: str, now: datetime) -> None:
    """An audit row that records something other than a status move (claims, SLA)."""
    SubmissionEvent.objects.create(
        submission=submission, actor=actor, from_status=submission.status,
        to_status=submission.status, note=note, created_at=now,
    )


def _locked(submission: Submission | int) -> Submission:
    pk = submission if isinstance(submission, int) else submission.pk
    return Submission.objects.select_for_update().get(pk=pk)


# --- submitting --------------------------------------------------------------------------


def _enqueue_checks(submission_id: int) -> None:
    from .tasks import submission_run_checks

    transaction.on_commit(lambda: submission_run_checks.delay(submission_id))


def submission_create(*, store: Store, user, now: datetime | None = None) -> Submission:
    """Snapshot the Store's draft into a new version and put it in the moderation queue.

    Guarantees, in one transaction: the user may build this brand's Store (else Forbidden);
    an open submission of the Store is superseded; the new version gets the next number;
    the deadline is now + MODERATION_SLA_HOURS; the Store shows "in review". The automated
    checks are enqueued only once this has committed. A draft that is incomplete or has
    blocking findings is refused (DraftNotReady) and nothing is created.
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


# --- automated checks --------------------------------------------------------------------


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


# --- claims ------------------------------------------------------------------------------


def _claim_live(submission: Submission, now: datetime) -> bool:
    return (
        submission.status == S.IN_REVIEW
        and submission.claimed_by_id is not None
        and submission.claim_expires_at is not None
        and submission.claim_expires_at > now
    )


def _take(submission: Submission, *, moderator, lease: timedelta, now: datetime) -> Submission:
    """Give the locked submission to `moderator` (caller checked it may)."""
    if submission.status == S.QUEUED:
        submission_transition(submission=submission, to=S.IN_REVIEW, actor=moderator, now=now,
                              note="Claimed.")
    elif submission.claimed_by_id != moderator.pk:
        _event(submission, actor=moderator, now=now,
               note="Claim taken over after its lease expired.")
    submission.claimed_by = moderator
    submission.claim_expires_at = now + lease
    submission.save(update_fields=["claimed_by", "claim_expires_at"])
    return submission


def submission_claim(
    *, submission: Submission, moderator, lease: timedelta = DEFAULT_LEASE,
    now: datetime | None = None,
) -> Submission:
    """Claim a submission for review for `lease` (renewing one's own claim is fine).

    Raises Forbidden for non-moderators, Conflict (409, code "claimed") when another
    moderator holds a live claim, IllegalTransition when it is not waiting for review.
    Of two moderators claiming at once exactly one wins: the row is locked first.
    """
    _require_moderator(moderator)
    now = _now(now)
    with transaction.atomic():
        submission = _locked(submission)
        if _claim_live(submission, now) and submission.claimed_by_id != moderator.pk:
            raise Conflict(
                f"{submission.claimed_by} is reviewing this submission until "
                f"{submission.claim_expires_at:%Y-%m-%d %H:%M} UTC.",
                code="claimed",
                details={"claimed_by": str(submission.claimed_by),
                         "claim_expires_at": submission.claim_expires_at.isoformat()},
            )
        if submission.status not in (S.QUEUED, S.IN_REVIEW):
            raise IllegalTransition(
                f"This submission is {submission.get_status_display().lower()}, not waiting "
                "for review.", details={"from": submission.status, "to": S.IN_REVIEW},
            )
        return _take(submission, moderator=moderator, lease=lease, now=now)


def submission_claim_next(
    *, moderator, lease: timedelta = DEFAULT_LEASE, now: datetime | None = None
) -> Submission | None:
    """Claim the waiting submission with the earliest deadline (None when the queue is empty).

    Rows another moderator is claiming right now are skipped (SKIP LOCKED), so concurrent
    callers each get a different submission.
    """
    _require_moderator(moderator)
    now = _now(now)
    with transaction.atomic():
        # Two index-backed probes (queued; in review with a lapsed lease) rather than one
        # OR, which databases answer by scanning the whole queue.
        earliest = Submission.objects.select_for_update(skip_locked=True).order_by(
            "sla_deadline", "id")
        candidates = [
            s for s in (
                earliest.filter(status=S.QUEUED).first(),
                earliest.filter(status=S.IN_REVIEW, claim_expires_at__lte=now).first(),
            ) if s is not None
        ]
        if not candidates:
            return None
        submission = min(candidates, key=lambda s: (s.sla_deadline, s.pk))
        return _take(submission, moderator=moderator, lease=lease, now=now)


def submission_release(*, submission: Submission, moderator, now: datetime | None = None
                       ) -> Submission:
    """Give a claimed submission back to the queue (only its holder may)."""
    _require_moderator(moderator)
    now = _now(now)
    with transaction.atomic():
        submission = _locked(submission)
        if submission.status != S.IN_REVIEW or submission.claimed_by_id != moderator.pk:
            raise Conflict("You do not hold this submission.", code="not_claimed")
        submission_transition(submission=submission, to=S.QUEUED, actor=moderator, now=now,
                              note="Released.")
        submission.claimed_by = None
        submission.claim_expires_at = None
        submission.save(update_fields=["claimed_by", "claim_expires_at"])
    return submission


def _ensure_claimed_by(submission: Submission, moderator, now: datetime) -> None:
    """Deciding needs the claim: take it when free, refuse when another holds it live."""
    if submission.status == S.IN_REVIEW and submission.claimed_by_id == moderator.pk:
        return
    if _claim_live(submission, now):
        raise Conflict(
            f"{submission.claimed_by} is reviewing this submission.", code="claimed",
            details={"claimed_by": str(submission.claimed_by)},
        )
    if submission.status not in (S.QUEUED, S.IN_REVIEW):
        raise IllegalTransition(
            f"This submission is {submission.get_status_display().lower()}; it cannot be "
            "decided now.", details={"from": submission.status},
        )
    _take(submission, moderator=moderator, lease=DEFAULT_LEASE, now=now)


# --- decisions ---------------------------------------------------------------------------


def _notify_on_commit(submission_id: int) -> None:
    from .notifications import decision_notify

    transaction.on_commit(lambda: decision_notify(submission_id=submission_id))


def submission_approve(
    *, submission: Submission, moderator, starts_at: datetime | None = None,
    ends_at: datetime | None = None, note: str = "", now: datetime | None = None,
) -> Submission:
    """Approve and publish (or schedule, when a window is given), in one transaction.

    Publishing points `store.published_version` at this version; earlier versions stay.
    With `starts_at` the version replaces the live one during its window instead
    (ScheduleRefused / ScheduleOverlap as for `version_schedule`, nothing written then).
    """
    _require_moderator(moderator)
    now = _now(now)
    if ends_at is not None and starts_at is None:
        raise ScheduleRefused("A schedule needs a start.", details={"field": "starts_at"})
    with transaction.atomic():
        submission = _locked(submission)
        _ensure_claimed_by(submission, moderator, now)
        store = Store.objects.select_for_update().get(pk=submission.store_id)
        version = submission.version
        submission_transition(submission=submission, to=S.APPROVED, actor=moderator, now=now,
                              note=note[:MAX_NOTE_LENGTH])
        version.approved_at = now
        version.save(update_fields=["approved_at"])
        if starts_at is not None:
            _schedule(version=version, starts_at=starts_at, ends_at=ends_at, store=store,
                      now=now)
            submission_transition(
                submission=submission, to=S.SCHEDULED, actor=moderator, now=now,
                note=f"Live from {starts_at:%Y-%m-%d %H:%M} UTC"
                + (f" to {ends_at:%Y-%m-%d %H:%M} UTC." if ends_at else "."),
            )
        else:
            store.published_version = version
            submission_transition(submission=submission, to=S.PUBLISHED, actor=moderator,
                                  now=now, note=f"Version {version.number} is live.")
        store.review_state = Store.ReviewState.APPROVED
        store.save(update_fields=["published_version", "review_state"])
        submission.decided_at = now
        submission.decided_by = moderator
        submission.claim_expires_at = None
        submission.save(update_fields=["decided_at", "decided_by", "claim_expires_at"])
        _notify_on_commit(submission.pk)
    return submission


def tile_keys(document: dict) -> set[str]:
    """Every tile key in a Store document."""
    keys: set[str] = set()
    for page in document.get("pages") or []:
        for section in page.get("sections") or []:
            for tile in section.get("tiles") or []:
                if isinstance(tile, dict) and tile.get("key"):
                    keys.add(str(tile["key"]))
    return keys


def reasons_validate(*, reasons: Any, document: dict) -> list[dict[str, Any]]:
    """Clean rejection reasons or raise InvalidReasons (400) naming each bad field."""
    if not isinstance(reasons, list) or not reasons:
        raise InvalidReasons("Give at least one reason.",
                             details=[{"field": "reasons", "code": "required",
                                       "message": "Give at least one reason."}])
    known_tiles = tile_keys(document)
    errors: list[dict[str, Any]] = []
    cleaned: list[dict[str, Any]] = []
    for index, reason in enumerate(reasons):
        if not isinstance(reason, dict):
            errors.append({"index": index, "field": "reasons", "code": "invalid",
                           "message": "Each reason is an object with code, tile and note."})
            continue
        code, tile, note = reason.get("code"), reason.get("tile"), reason.get("note") or ""
        if code not in ReasonCode.values:
            errors.append({"index": index, "field": "code", "code": "unknown_code",
                           "message": f"Unknown reason code {code!r}; use one of "
                           f"{', '.join(ReasonCode.values)}."})
        if tile in ("", None):
            tile = None
        elif not isinstance(tile, str) or tile not in known_tiles:
            errors.append({"index": index, "field": "tile", "code": "unknown_tile",
                           "message": f"This version has no tile {tile!r}."})
        if not isinstance(note, str) or len(note) > MAX_NOTE_LENGTH:
            errors.append({"index": index, "field": "note", "code": "invalid_note",
                           "message": f"A note is text of at most {MAX_NOTE_LENGTH} "
                           "characters."})
        if code == ReasonCode.OTHER and not (isinstance(note, str) and note.strip()):
            errors.append({"index": index, "field": "note", "code": "note_required",
                           "message": "Say what is wrong when the reason is 'other'."})
        cleaned.append({"code": code, "tile": tile, "note": note.strip()
                        if isinstance(note, str) else ""})
    if errors:
        raise InvalidReasons("Some rejection reasons are not valid.", details=errors)
    return cleaned


def _decide_reject(submission: Submission, *, reasons: list[dict[str, Any]], actor, note: str,
                   now: datetime) -> None:
    submission_transition(submission=submission, to=S.REJECTED, actor=actor, now=now, note=note)
    RejectionReason.objects.bulk_create(
        RejectionReason(submission=submission, code=r["code"], tile=r["tile"], note=r["note"])
        for r in reasons
    )
    submission.decided_at = now
    submission.decided_by = actor
    submission.claim_expires_at = None
    submission.save(update_fields=["decided_at", "decided_by", "claim_expires_at"])
    Store.objects.filter(pk=submission.store_id).update(
        review_state=Store.ReviewState.REJECTED
    )
    _notify_on_commit(submission.pk)


def submission_reject(
    *, submission: Submission, moderator, reasons: list[dict[str, Any]], note: str = "",
    now: datetime | None = None,
) -> Submission:
    """Reject with reasons (a code from ReasonCode, a tile key of this version or None, a
    note). Bad reasons raise InvalidReasons (400) before anything is written; a claim held
    by another moderator raises Conflict (409). The brand's owners are e-mailed.
    """
    _require_moderator(moderator)
    now = _now(now)
    cleaned = reasons_validate(reasons=reasons, document=submission.version.document)
    with transaction.atomic():
        submission = _locked(submission)
        _ensure_claimed_by(submission, moderator, now)
        _decide_reject(submission, reasons=cleaned, actor=moderator,
                       note=note[:MAX_NOTE_LENGTH], now=now)
    return submission


# --- versions: rollback and schedules ----------------------------------------------------


def _may_manage_versions(user, store: Store) -> bool:
    return is_moderator(user) or bool(store_eligibility(user=user, brand=store.brand))


def version_rollback(*, store: Store, version: StoreVersion, user) -> Store:
    """Make an earlier approved version the live one again, without a new review.

    Raises Forbidden (not the brand's user nor a moderator), DomainError "not_approved",
    "wrong_store" or "already_live"; nothing is written then.
    """
    if not _may_manage_versions(user, store):
        raise Forbidden("You may not change this Store's versions.")
    version = StoreVersion.objects.get(pk=version.pk)
    if version.store_id != store.pk:
        raise DomainError("This version belongs to another Store.", code="wrong_store")
    if version.approved_at is None:
        raise DomainError("Only approved versions can go live.", code="not_approved")
    with transaction.atomic():
        store = Store.objects.select_for_update().get(pk=store.pk)
        if store.published_version_id == version.pk:
            raise DomainError(f"Version {version.number} is the live version already.",
                              code="already_live")
        store.published_version = version
        store.save(update_fields=["published_version"])
        _version_event(version, user=user, now=timezone.now(),
                       note=f"Rolled back: version {version.number} is live again.")
    return store


def window_label(starts_at: datetime, ends_at: datetime | None) -> str:
    """'from 2026-12-01 09:00 UTC to 2026-12-08 09:00 UTC' (or '…, with no end')."""
    return f"from {starts_at:%Y-%m-%d %H:%M} UTC" + (
        f" to {ends_at:%Y-%m-%d %H:%M} UTC" if ends_at else ", with no end")


def _schedule(*, version: StoreVersion, starts_at: datetime, ends_at: datetime | None,
              store: Store, now: datetime) -> None:
    """Set a window on `version` (the Store row is locked by the caller)."""
    if timezone.is_naive(starts_at) or (ends_at is not None and timezone.is_naive(ends_at)):
        raise ScheduleRefused("Give times with a time zone.", details={"field": "starts_at"})
    if starts_at < now - SCHEDULE_GRACE:
        raise ScheduleRefused(
            f"The start ({starts_at:%Y-%m-%d %H:%M} UTC) is in the past; give a time from "
            "now on.", details={"field": "starts_at"})
    if ends_at is not None and ends_at <= starts_at:
        raise ScheduleRefused("The window must end after it starts.",
                              details={"field": "ends_at"})
    far_future = datetime.max.replace(tzinfo=starts_at.tzinfo) - timedelta(days=1)
    end = ends_at or far_future
    for other in (
        StoreVersion.objects.filter(store=store, schedule_starts_at__isnull=False)
        .exclude(pk=version.pk)
    ):
        other_end = other.schedule_ends_at or far_future
        if other.schedule_starts_at < end and starts_at < other_end:
            until = (f"{other.schedule_ends_at:%Y-%m-%d %H:%M} UTC" if other.schedule_ends_at
                     else "open-ended")
            raise ScheduleOverlap(
                f"This window overlaps version {other.number}'s window "
                f"({other.schedule_starts_at:%Y-%m-%d %H:%M} UTC to {until}).",
                details={"field": "starts_at", "version": other.pk, "number": other.number},
            )
    version.schedule_starts_at = starts_at
    version.schedule_ends_at = ends_at
    version.save(update_fields=["schedule_starts_at", "schedule_ends_at"])


def _version_event(version: StoreVersion, *, user, note: str, now: datetime) -> None:
    """Audit a version change on the submission that brought the version in, if any."""
    submission = Submission.objects.filter(version=version).first()
    if submission is not None:
        _event(submission, actor=user, now=now, note=note)


def version_schedule(*, version: StoreVersion, starts_at: datetime,
                     ends_at: datetime | None = None, user=None,
                     now: datetime | None = None) -> StoreVersion:
    """Give an approved version a window during which shoppers see it instead of the
    evergreen live version (replacing any window it had). Raises DomainError
    "not_approved", ScheduleRefused (bad window, or a start in the past), ScheduleOverlap
    (409: another version of the Store has an overlapping window); nothing is written then.
    """
    if user is not None and not _may_manage_versions(user, version.store):
        raise Forbidden("You may not change this Store's versions.")
    now = _now(now)
    with transaction.atomic():
        store = Store.objects.select_for_update().get(pk=version.store_id)
        version = StoreVersion.objects.select_for_update().get(pk=version.pk)
        if version.approved_at is None:
            raise DomainError("Only approved versions can be scheduled.", code="not_approved")
        _schedule(version=version, starts_at=starts_at, ends_at=ends_at, store=store, now=now)
        _version_event(version, user=user, now=now,
                       note=f"Version {version.number} scheduled: live "
                       f"{window_label(starts_at, ends_at)}.")
    return version


def version_unschedule(*, version: StoreVersion, user=None) -> StoreVersion:
    """Remove a version's window (shoppers see the evergreen version then)."""
    if user is not None and not _may_manage_versions(user, version.store):
        raise Forbidden("You may not change this Store's versions.")
    with transaction.atomic():
        version = StoreVersion.objects.select_for_update().get(pk=version.pk)
        had_window = version.schedule_starts_at is not None
        version.schedule_starts_at = None
        version.schedule_ends_at = None
        # save(), not update(): Store routes are refreshed by the model signals.
        version.save(update_fields=["schedule_starts_at", "schedule_ends_at"])
        if had_window:
            _version_event(version, user=user, now=timezone.now(),
                           note=f"Version {version.number}'s schedule cancelled.")
    return version


# --- sweeps (Celery beat) ----------------------------------------------------------------


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
            from .notifications import leads_notify

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
