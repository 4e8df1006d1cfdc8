"""Moderation's domain errors and their codes (no HTTP here: see config.api)."""
from __future__ import annotations

from enum import StrEnum

from config.errors import Conflict, DomainError


class ModerationErrorCode(StrEnum):
    ILLEGAL_TRANSITION = "illegal_transition"
    INVALID_REASONS = "invalid_reasons"
    INVALID_SCHEDULE = "invalid_schedule"
    SCHEDULE_OVERLAP = "schedule_overlap"
    DRAFT_NOT_READY = "draft_not_ready"
    CLAIMED = "claimed"
    NOT_CLAIMED = "not_claimed"
    NOT_MODERATOR = "not_moderator"


class IllegalTransition(Conflict):
    code = ModerationErrorCode.ILLEGAL_TRANSITION


class InvalidReasons(DomainError):
    code = ModerationErrorCode.INVALID_REASONS


class ScheduleRefused(DomainError):
    code = ModerationErrorCode.INVALID_SCHEDULE


class ScheduleOverlap(Conflict):
    code = ModerationErrorCode.SCHEDULE_OVERLAP


class DraftNotReady(DomainError):
    """The draft cannot be submitted yet: `details` holds `incomplete` (required values not
    given) and `findings` (blocking findings of the automated checks), each with its place."""

    code = ModerationErrorCode.DRAFT_NOT_READY
