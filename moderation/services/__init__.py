"""Every write of moderation: submit, check, claim, decide, publish, schedule, sweep.

The admin, the API and the Celery tasks all call these functions, so each rule lives in
one place. Status changes go through `submission_transition` only. One module per seam;
this package re-exports the public names so `from moderation import services` keeps
working.
"""
from __future__ import annotations

from ..errors import (
    IllegalTransition,
    InvalidReasons,
    NothingChanged,
    ScheduleOverlap,
    ScheduleRefused,
)
from ._common import (
    DEFAULT_LEASE,
    MAX_NOTE_LENGTH,
    SCHEDULE_GRACE,
    submission_transition,
)
from .bulk import BulkResult, submissions_bulk_approve, submissions_bulk_reject
from .claims import (
    claims_release_for,
    submission_claim,
    submission_claim_next,
    submission_claim_renew,
    submission_release,
)
from .decisions import (
    MAX_REASONS,
    reasons_validate,
    submission_approve,
    submission_audit_done,
    submission_auto_approve,
    submission_reject,
    tile_keys,
)
from .submissions import (
    submission_checks_finish,
    submission_checks_start,
    submission_create,
)
from .sweeps import (
    SweepResult,
    forecast_check,
    submission_leases_expire,
    submission_sla_sweep,
    submission_stuck_checks_requeue,
)
from .versions import version_rollback, version_schedule, version_unschedule, window_label

__all__ = [
    "DEFAULT_LEASE", "MAX_NOTE_LENGTH", "MAX_REASONS", "SCHEDULE_GRACE", "BulkResult",
    "IllegalTransition",
    "InvalidReasons", "NothingChanged", "ScheduleOverlap", "ScheduleRefused", "SweepResult",
    "claims_release_for", "forecast_check", "reasons_validate", "submission_approve",
    "submission_audit_done", "submission_auto_approve", "submission_checks_finish",
    "submission_checks_start", "submission_claim", "submission_claim_next",
    "submission_claim_renew", "submission_create", "submission_leases_expire",
    "submission_release", "submission_reject", "submission_sla_sweep",
    "submission_stuck_checks_requeue", "submission_transition", "submissions_bulk_approve",
    "submissions_bulk_reject", "tile_keys", "version_rollback", "version_schedule",
    "version_unschedule", "window_label",
]
