"""What every moderation write shares: errors, the one status-transition function, audit rows."""
from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from catalog.stored_texts import StoredText, stored_text_data, stored_text_fallback
from config.api import Forbidden

from ..errors import IllegalTransition
from ..models import TRANSITIONS, Submission, SubmissionEvent, SubmissionStatus
from ..permissions import is_moderator

S = SubmissionStatus
DEFAULT_LEASE = timedelta(minutes=settings.MODERATION_LEASE_MINUTES)
MAX_NOTE_LENGTH = 2000
# A window may start this far in the past: the admin's datetime-local fields have minute
# precision, so "now" typed by a moderator is up to a minute old when it arrives.
SCHEDULE_GRACE = timedelta(minutes=1)



def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _require_moderator(user) -> None:
    if not is_moderator(user):
        raise Forbidden("Only moderators may do this.", code="not_moderator")


def submission_transition(
    *, submission: Submission, to: str, actor=None, note: str | StoredText = "",
    now: datetime | None = None,
) -> Submission:
    """Move `submission` to status `to` and write the audit row. `note`: a person's text
    as written, or the system's StoredText (read later in each reader's language).

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
        submission=submission, actor=actor, from_status=current, to_status=to,
        note=stored_text_fallback(note), note_data=stored_text_data(note), created_at=_now(now),
    )
    return submission


def _event(submission: Submission, *, actor=None, note: str | StoredText,
           now: datetime) -> None:
    """An audit row that records something other than a status move (claims, SLA)."""
    SubmissionEvent.objects.create(
        submission=submission, actor=actor, from_status=submission.status,
        to_status=submission.status, note=stored_text_fallback(note),
        note_data=stored_text_data(note), created_at=now,
    )


def _locked(submission: Submission | int) -> Submission:
    pk = submission if isinstance(submission, int) else submission.pk
    return Submission.objects.select_for_update().get(pk=pk)


