"""SLA sweeps by time travel: at risk at 60 h, breached at 72 h; leases; stuck checks;
the SLA report."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from moderation import services
from moderation.models import SubmissionStatus
from moderation.selectors import sla_report, sla_state
from outbox.models import OutboxMessage
from tests import factories

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
def lead(settings):
    settings.MODERATION_LEADS = ["lead@storefront.example"]


def test_a_submission_is_on_track_at_59_hours(make_submission, lead):
    submission = make_submission(SubmissionStatus.QUEUED, submitted_at=T0)

    result = services.submission_sla_sweep(now=T0 + timedelta(hours=59, minutes=59))

    assert result.at_risk == []
    submission.refresh_from_db()
    assert submission.at_risk_at is None
    assert sla_state(submission=submission, now=T0 + timedelta(hours=59)) == "on_track"


def test_at_60_hours_it_is_at_risk_escalated_and_leads_are_told(
    make_submission, lead, django_capture_on_commit_callbacks
):
    submission = make_submission(SubmissionStatus.QUEUED, submitted_at=T0)
    at_60 = T0 + timedelta(hours=60)

    with django_capture_on_commit_callbacks(execute=True):
        result = services.submission_sla_sweep(now=at_60)

    assert result.at_risk == [submission.pk]
    assert result.breached == []
    submission.refresh_from_db()
    assert (submission.at_risk_at, submission.escalated_at) == (at_60, at_60)
    assert submission.breached_at is None
    assert sla_state(submission=submission, now=at_60 + timedelta(seconds=1)) == "at_risk"
    assert mail.outbox[0].to == ["lead@storefront.example"]
    assert mail.outbox[0].subject == "Moderation SLA: 0 breached, 1 at risk"
    assert "Acme Outdoor v101" in mail.outbox[0].body


def test_sweeping_again_does_not_escalate_twice(make_submission, lead,
                                                django_capture_on_commit_callbacks):
    make_submission(SubmissionStatus.QUEUED, submitted_at=T0)
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_sla_sweep(now=T0 + timedelta(hours=60))
        second = services.submission_sla_sweep(now=T0 + timedelta(hours=61))

    assert (second.at_risk, second.breached) == ([], [])
    assert len(mail.outbox) == 1


def test_at_72_hours_the_breach_is_recorded(make_submission, lead,
                                            django_capture_on_commit_callbacks):
    submission = make_submission(SubmissionStatus.IN_REVIEW, submitted_at=T0)
    services.submission_sla_sweep(now=T0 + timedelta(hours=60))
    at_72 = T0 + timedelta(hours=72)

    with django_capture_on_commit_callbacks(execute=True):
        result = services.submission_sla_sweep(now=at_72)

    assert result.breached == [submission.pk]
    submission.refresh_from_db()
    assert submission.breached_at == at_72
    assert sla_state(submission=submission, now=at_72) == "breached"
    assert mail.outbox[-1].subject == "Moderation SLA: 1 breached, 0 at risk"
    assert [e.note for e in submission.events.all()] == [
        "At risk: 12 h 00 min of moderator shifts left before the deadline (threshold "
        "12 hours). Escalated.",
        "SLA breached: no decision within 72 hours of the brand's first submission."]


def test_decided_submissions_are_never_at_risk_or_breached(make_submission):
    make_submission(SubmissionStatus.PUBLISHED, submitted_at=T0)

    result = services.submission_sla_sweep(now=T0 + timedelta(hours=100))

    assert (result.at_risk, result.breached) == ([], [])


def test_an_expired_lease_puts_the_submission_back_in_the_queue(make_submission, moderator):
    submission = make_submission(SubmissionStatus.QUEUED, submitted_at=T0)
    services.submission_claim(submission=submission, moderator=moderator.user, now=T0,
                              lease=timedelta(minutes=30))

    assert services.submission_leases_expire(now=T0 + timedelta(minutes=29)) == []
    assert services.submission_leases_expire(now=T0 + timedelta(minutes=30)) == [submission.pk]

    submission.refresh_from_db()
    assert (submission.status, submission.claimed_by) == (SubmissionStatus.QUEUED, None)


def test_checks_stuck_for_more_than_10_minutes_are_enqueued_again(
    make_submission, django_capture_on_commit_callbacks
):
    stuck = make_submission(SubmissionStatus.CHECKING, submitted_at=T0,
                            checks_started_at=T0)
    lost = make_submission(SubmissionStatus.SUBMITTED, submitted_at=T0,
                           target=factories.StoreFactory(brand=stuck.store.brand),
                           document=stuck.version.document)
    recent = make_submission(SubmissionStatus.CHECKING, submitted_at=T0,
                             checks_started_at=T0 + timedelta(minutes=5),
                             target=factories.StoreFactory(brand=stuck.store.brand))

    with django_capture_on_commit_callbacks(execute=True):
        requeued = services.submission_stuck_checks_requeue(now=T0 + timedelta(minutes=11))

    assert sorted(requeued) == sorted([stuck.pk, lost.pk])
    assert sorted(OutboxMessage.objects.filter(
        task="moderation.tasks.submission_run_checks", done_at__isnull=False,
    ).values_list("kwargs__submission_id", flat=True)) == sorted([stuck.pk, lost.pk])
    stuck.refresh_from_db()
    lost.refresh_from_db()
    recent.refresh_from_db()
    # The re-enqueued checks ran (eagerly) and finished.
    assert (stuck.status, lost.status) == (SubmissionStatus.QUEUED, SubmissionStatus.QUEUED)
    assert recent.status == SubmissionStatus.CHECKING


def test_the_sla_report_counts_decisions_median_p95_and_the_backlog(
    make_submission, other_brand_owner
):
    now = T0 + timedelta(days=10)
    for hours in (10, 20, 30, 40, 80):
        submission = make_submission(SubmissionStatus.PUBLISHED, submitted_at=T0,
                                     decided_at=T0 + timedelta(hours=hours))
    brand = other_brand_owner.brand
    for hours_ago in (1, 30, 65, 80):
        make_submission(SubmissionStatus.QUEUED, submitted_at=now - timedelta(hours=hours_ago),
                        target=factories.StoreFactory(brand=brand))

    report = sla_report(now=now)

    assert report.decided == 5
    assert report.median_hours == 30.0
    assert report.p95_hours == 80.0
    assert report.within_sla_share == 0.8
    assert report.open_total == 4
    assert report.backlog == [("breached", 1), ("under 12 h", 1), ("12–24 h", 0),
                              ("24–48 h", 1), ("48–72 h", 1)]
    assert submission.store_id
