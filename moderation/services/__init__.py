"""Every write of moderation: submit, check, claim, decide, publish, schedule, sweep.

The admin, the API and the Celery tasks all call these functions, so each rule lives in
one place. Status changes go through `submission_transition` only. One module per seam;
this package re-exports the public names so `from moderation import services` keeps
working.
"""
from __future__ import annotations

from ..errors import IllegalTransition, InvalidReasons, ScheduleOverlap, ScheduleRefused
from ._common import (
    DEFAULT_LEASE,
    MAX_NOTE_LENGTH,
    SCHEDULE_GRACE,
    submission_transition,
)
from .claims import submission_claim, submission_claim_next, submission_release
from .decisions import reasons_validate, submission_approve, submission_reject, tile_keys
from .submissions import submission_checks_finish, submission_checks_start, submission_create
from .sweeps import (
    AT_RISK_HOURS,
    SweepResult,
    submission_leases_expire,
    submission_sla_sweep,
    submission_stuck_checks_requeue,
)
from .versions import version_rollback, version_schedule, version_unschedule, window_label

__all__ = [
    "AT_RISK_HOURS", "DEFAULT_LEASE", "MAX_NOTE_LENGTH", "SCHEDULE_GRACE", "IllegalTransition",
    "InvalidReasons", "ScheduleOverlap", "ScheduleRefused", "SweepResult", "reasons_validate",
    "submission_approve", "submission_checks_finish", "submission_checks_start",
    "submission_claim", "submission_claim_next", "submission_create", "submission_leases_expire",
    "submission_release", "submission_reject", "submission_sla_sweep",
    "submission_stuck_checks_requeue", "submission_transition", "tile_keys", "version_rollback",
    "version_schedule", "version_unschedule", "window_label",
]
