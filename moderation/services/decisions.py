"""Decisions: approve (publish or schedule) and reject with reasons."""
from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from catalog.stored_texts import StoredText
from config.errors import DomainError
from outbox.services import outbox_enqueue
from stores.documents import iter_tiles
from stores.models import Store

from ..errors import InvalidReasons, ModerationErrorCode, ScheduleRefused
from ..models import DecidedBy, ReasonCode, RejectionReason, Risk, Submission
from ..triage import reasons_text
from ._common import (
    MAX_NOTE_LENGTH,
    S,
    _event,
    _locked,
    _now,
    _require_moderator,
    submission_transition,
)
from .claims import _ensure_claimed_by
from .versions import _schedule, window_label

MAX_REASONS = 50


def _notify_on_commit(submission_id: int) -> None:
    # Sent by a worker after commit: a failing mail server never fails a decision.
    outbox_enqueue(task="moderation.tasks.decision_email",
                   kwargs={"submission_id": submission_id})


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
                note=StoredText(gettext_noop("Live %(window)s."),
                                window=window_label(starts_at, ends_at)),
            )
        else:
            store.published_version = version
            submission_transition(submission=submission, to=S.PUBLISHED, actor=moderator,
                                  now=now, note=_live_note(version))
        store.review_state = Store.ReviewState.APPROVED
        store.save(update_fields=["published_version", "review_state"])
        _decided(submission, by=moderator, how=DecidedBy.MODERATOR, now=now)
        _notify_on_commit(submission.pk)
    return submission


def _live_note(version) -> StoredText:
    return StoredText(gettext_noop("Version %(number)s is live."), number=version.number)


def _decided(submission: Submission, *, by, how: str, now: datetime) -> None:
    submission.decided_at = now
    submission.decided_by = by
    submission.decided_how = how
    submission.claim_expires_at = None
    submission.save(update_fields=["decided_at", "decided_by", "decided_how",
                                   "claim_expires_at"])


def submission_auto_approve(*, submission: Submission, now: datetime) -> bool:
    """Approve and publish a trivial submission whose checks found nothing, without a
    moderator, when MODERATION_AUTO_APPROVE is on. The caller holds the row (status
    `checking`). The history says it was automated and why; a MODERATION_AUDIT_SHARE
    sample is flagged for a moderator's look after publication. False when it does not
    qualify (nothing written then).
    """
    if not settings.MODERATION_AUTO_APPROVE or submission.risk != Risk.TRIVIAL:
        return False
    if submission.findings.exists():
        return False
    store = Store.objects.select_for_update().get(pk=submission.store_id)
    version = submission.version
    why = reasons_text(submission.risk_reasons)
    submission_transition(
        submission=submission, to=S.APPROVED, now=now,
        note=StoredText(gettext_noop("Approved automatically: a trivial change (%(why)s) "
                                     "that passed every automated check."), why=why))
    version.approved_at = now
    version.save(update_fields=["approved_at"])
    store.published_version = version
    submission_transition(submission=submission, to=S.PUBLISHED, now=now,
                          note=_live_note(version))
    store.review_state = Store.ReviewState.APPROVED
    store.save(update_fields=["published_version", "review_state"])
    _decided(submission, by=None, how=DecidedBy.AUTOMATED, now=now)
    if random.random() < settings.MODERATION_AUDIT_SHARE:  # noqa: S311 (a sample, not a secret)
        submission.audit_requested_at = now
        submission.save(update_fields=["audit_requested_at"])
        _event(submission, now=now,
               note=StoredText(gettext_noop("Sampled for audit after publication.")))
    _notify_on_commit(submission.pk)
    return True


def submission_audit_done(*, submission: Submission, moderator, now: datetime | None = None
                          ) -> Submission:
    """A moderator looked at a sampled automated approval after publication."""
    _require_moderator(moderator)
    now = _now(now)
    with transaction.atomic():
        submission = _locked(submission)
        if submission.audit_requested_at is None or submission.audited_at is not None:
            raise DomainError(_("This submission is not waiting for an audit."),
                              code=ModerationErrorCode.NO_AUDIT)
        submission.audited_at = now
        submission.audited_by = moderator
        submission.save(update_fields=["audited_at", "audited_by"])
        _event(submission, actor=moderator, now=now,
               note=StoredText(gettext_noop("Audited after publication.")))
    return submission


def tile_keys(document: dict) -> set[str]:
    """Every tile key in a Store document."""
    return {at.key for at in iter_tiles(document) if at.key}


def reasons_validate(*, reasons: Any, document: dict) -> list[dict[str, Any]]:
    """Clean rejection reasons or raise InvalidReasons (400) naming each bad field."""
    if not isinstance(reasons, list) or not reasons:
        raise InvalidReasons("Give at least one reason.",
                             details=[{"field": "reasons", "code": "required",
                                       "message": "Give at least one reason."}])
    if len(reasons) > MAX_REASONS:
        raise InvalidReasons(f"Give at most {MAX_REASONS} reasons.",
                             details=[{"field": "reasons", "code": "too_many",
                                       "message": f"At most {MAX_REASONS} reasons."}])
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
        RejectionReason(submission=submission, code=r["code"], tile=r["tile"], note=r["note"],
                        note_data=r.get("note_data") or {})
        for r in reasons
    )
    _decided(submission, by=actor, how=DecidedBy.MODERATOR if actor else DecidedBy.AUTOMATED,
             now=now)
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


