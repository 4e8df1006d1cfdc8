"""Claims: a moderator takes a submission for review for a lease, gives it back."""
from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext_noop

from catalog.stored_texts import StoredText
from config.api import Conflict

from ..errors import IllegalTransition
from ..models import Submission
from ..permissions import require_independent
from ..selectors import submissions_moderated_by
from ._common import (
    DEFAULT_LEASE,
    S,
    _event,
    _locked,
    _now,
    _require_moderator,
    submission_transition,
)


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
                              note=StoredText(gettext_noop("Claimed.")))
    elif submission.claimed_by_id != moderator.pk:
        _event(submission, actor=moderator, now=now,
               note=StoredText(gettext_noop("Claim taken over after its lease expired.")))
    if submission.claimed_by_id != moderator.pk or submission.claimed_at is None:
        submission.claimed_at = now
    submission.claimed_by = moderator
    submission.claim_expires_at = now + lease
    submission.save(update_fields=["claimed_by", "claim_expires_at", "claimed_at"])
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
    """Claim the first waiting submission in queue order (the deadline, earlier for high-risk
    items: Submission.queue_at) among the marketplaces `moderator` works
    (moderation.selectors.submissions_moderated_by); None when there is none.

    Rows another moderator is claiming right now are skipped (SKIP LOCKED), so concurrent
    callers each get a different submission.
    """
    _require_moderator(moderator)
    now = _now(now)
    with transaction.atomic():
        # Two index-backed probes (queued; in review with a lapsed lease) rather than one
        # OR, which databases answer by scanning the whole queue.
        earliest = submissions_moderated_by(
            Submission.objects.select_for_update(skip_locked=True, of=("self",)),
            user=moderator,
        ).order_by("queue_at", "id")
        candidates = [
            s for s in (
                earliest.filter(status=S.QUEUED).first(),
                earliest.filter(status=S.IN_REVIEW, claim_expires_at__lte=now).first(),
            ) if s is not None
        ]
        if not candidates:
            return None
        submission = min(candidates, key=lambda s: (s.queue_at, s.pk))
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
                              note=StoredText(gettext_noop("Released.")))
        submission.claimed_by = None
        submission.claim_expires_at = None
        submission.save(update_fields=["claimed_by", "claim_expires_at"])
    return submission


def _ensure_claimed_by(submission: Submission, moderator, now: datetime) -> None:
    """Deciding needs the claim: take it when free, refuse when another holds it live.
    Nobody decides a submission of a brand they act for (Forbidden, "own_brand")."""
    require_independent(user=moderator, store_id=submission.store_id)
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




def submission_claim_renew(*, submission: Submission, moderator, now: datetime | None = None
                           ) -> Submission:
    """The review page's heartbeat: extend one's own claim by a lease from now.

    A lapsed claim nobody took is taken again (so its holder can still decide it); one
    another moderator holds raises Conflict (409, code "claimed"); a decided submission
    raises IllegalTransition. Renewing writes no audit row: it is not a decision.
    """
    return submission_claim(submission=submission, moderator=moderator, now=now)


def claims_release_for(*, moderator, now: datetime | None = None) -> list[int]:
    """Give back every claim `moderator` holds (on logout): the work goes back to the queue
    for the others at once instead of after the lease."""
    now = _now(now)
    released = []
    with transaction.atomic():
        for submission in Submission.objects.select_for_update(skip_locked=True).filter(
                status=S.IN_REVIEW, claimed_by=moderator):
            submission_transition(submission=submission, to=S.QUEUED, actor=moderator, now=now,
                                  note=StoredText(gettext_noop(
                                      "Released: the moderator signed out.")))
            submission.claimed_by = None
            submission.claim_expires_at = None
            submission.claimed_at = None
            submission.save(update_fields=["claimed_by", "claim_expires_at", "claimed_at"])
            released.append(submission.pk)
    return released
