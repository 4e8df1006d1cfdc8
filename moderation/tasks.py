"""Celery tasks: take ids, call services. Idempotent; acknowledged after they finish."""
from __future__ import annotations

import logging

from celery import shared_task

from . import services
from .checks import document_check
from .models import Submission

logger = logging.getLogger(__name__)
# After this many failed runs the submission goes to a moderator without automated findings.
MAX_ATTEMPTS = 3


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def submission_run_checks(submission_id: int) -> str:
    """Run the automated checks of one submission.

    Safe to run twice or after a worker died mid-way: a submission that is no longer
    submitted/checking is left alone, and re-running replaces the findings.
    """
    if not services.submission_checks_start(submission_id=submission_id):
        return "skipped"
    submission = Submission.objects.select_related("version", "store__brand").get(
        pk=submission_id
    )
    try:
        findings = document_check(document=submission.version.document,
                                  brand=submission.store.brand)
    except Exception:
        if submission.checks_attempts < MAX_ATTEMPTS:
            raise  # the stuck-checks sweep enqueues it again
        logger.exception("Checks of submission %s failed %s times", submission_id,
                         submission.checks_attempts)
        # Never leave a brand waiting on a broken check: a moderator reviews it by hand.
        findings = [{"check_name": "checks_failed", "severity": "warning",
                     "reason_code": "other", "page": "", "section": "", "tile": "",
                     "message": "The automated checks could not run; review by hand."}]
    result = services.submission_checks_finish(submission_id=submission_id, findings=findings)
    return result.status if result is not None else "skipped"


@shared_task(ignore_result=True)
def sla_sweep() -> None:
    services.submission_sla_sweep()


@shared_task(ignore_result=True)
def leases_expire() -> None:
    services.submission_leases_expire()


@shared_task(ignore_result=True)
def stuck_checks_requeue() -> None:
    services.submission_stuck_checks_requeue()
