"""Bulk work from the queue: approve or reject several submissions with one action.

Each submission still goes through submission_approve / submission_reject on its own (its
own claim check, transaction and audit row), so one refusal leaves the others decided.
High-risk submissions are refused here: they need a moderator's look, one at a time.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from config.api import DomainError

from ..models import Risk, Submission
from ._common import _require_moderator
from .decisions import submission_approve, submission_reject


@dataclass
class BulkResult:
    done: list[int] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)  # (id, why)


def _each(submissions, moderator, decide) -> BulkResult:
    _require_moderator(moderator)
    result = BulkResult()
    for submission in submissions:
        if submission.risk == Risk.HIGH:
            result.refused.append((submission.pk, _("high risk: review it on its own page")))
            continue
        try:
            decide(submission)
        except DomainError as error:
            result.refused.append((submission.pk, error.message))
        else:
            result.done.append(submission.pk)
    return result


def submissions_bulk_approve(*, submissions: list[Submission], moderator,
                             note: str = "") -> BulkResult:
    """Approve and publish each trivial or standard submission; report the refused."""
    return _each(submissions, moderator, lambda s: submission_approve(
        submission=s, moderator=moderator, note=note))


def submissions_bulk_reject(*, submissions: list[Submission], moderator,
                            reasons: list[dict[str, Any]], note: str = "") -> BulkResult:
    """Reject each with the same reasons (tile-less: they apply to the whole Store)."""
    return _each(submissions, moderator, lambda s: submission_reject(
        submission=s, moderator=moderator, reasons=reasons, note=note))
