"""Celery tasks: take ids, call services. Idempotent; acknowledged after they finish."""
from __future__ import annotations

import logging

from celery import shared_task
from django.utils.translation import gettext

from catalog.marketplaces import marketplace_get

from . import notifications, services
from .checks import document_check
from .models import Submission

logger = logging.getLogger(__name__)
# After this many failed runs the submission goes to a moderator without automated findings.
MAX_ATTEMPTS = 3


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def submission_run_checks(self, submission_id: int) -> str:
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
                                  brand=submission.store.brand,
                                  language=marketplace_get(submission.store.marketplace_id).language)
    except Exception:
        # With a worker, retry: the stuck-checks sweep enqueues it again. Run in-process
        # (no Redis) the error would reach the brand who submitted: never let it.
        if submission.checks_attempts < MAX_ATTEMPTS and not self.request.is_eager:
            raise
        logger.exception("Checks of submission %s failed %s times", submission_id,
                         submission.checks_attempts)
        # Never leave a brand waiting on a broken check: a moderator reviews it by hand.
        findings = [{"check_name": "checks_failed", "severity": "warning",
                     "reason_code": "other", "page": "", "section": "", "tile": "",
                     "message": gettext("The automated checks could not run; review by "
                                        "hand.")}]
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


@shared_task(ignore_result=True)
def decision_email(submission_id: int) -> int:
    """E-mail the brand's owners a decision (enqueued through the outbox with it)."""
    return notifications.decision_notify(submission_id=submission_id)


@shared_task(ignore_result=True)
def leads_email(at_risk_ids: list[int], breached_ids: list[int]) -> int:
    """E-mail moderator leads about at-risk and breached submissions."""
    return notifications.leads_notify(at_risk_ids=at_risk_ids, breached_ids=breached_ids)
def forecast_sweep() -> None:
    services.forecast_check()
