"""The moderators' admin: the queue, the review page and its buttons, the SLA report."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from moderation.models import CheckFinding, RejectionReason, SubmissionStatus
from tests import factories

pytestmark = pytest.mark.django_db
QUEUE = "/admin/moderation/submission/"


@pytest.fixture
def mod_client(client, moderator):
    client.force_login(moderator.user)
    return client


def test_the_queue_shows_earliest_deadline_first_with_time_left_and_markers(
    mod_client, make_submission, other_brand_owner
):
    now = timezone.now()
    make_submission(SubmissionStatus.QUEUED, submitted_at=now - timedelta(hours=2))
    rival_store = factories.StoreFactory(brand=other_brand_owner.brand, name="Rival Store")
    make_submission(SubmissionStatus.QUEUED, submitted_at=now - timedelta(hours=61),
                    target=rival_store)

    page = mod_client.get(QUEUE).content.decode()

    assert page.index("Rival Store") < page.index("Acme Outdoor")
    assert '<span class="sla sla--at_risk">At risk</span>' in page
    assert '<span class="sla sla--on_track">On track</span>' in page
    assert "10 h 59 min left" in page or "11 h 00 min left" in page


def test_the_review_page_shows_preview_diff_findings_and_the_decision_forms(
    mod_client, make_submission
):
    submission = make_submission(SubmissionStatus.QUEUED, checks_finished_at=timezone.now())
    CheckFinding.objects.create(submission=submission, check_name="image_quality",
                                severity="warning", tile="t2", message="Blocky JPEG")

    page = mod_client.get(f"{QUEUE}{submission.pk}/change/").content.decode()

    # Phone and desktop previews of each changed page (nothing is live: home and p2).
    assert page.count('<iframe src="/stores/_preview/') == 4
    assert 'data-diff-tile="t1"' in page
    assert "Blocky JPEG" in page
    assert "Claim for review" in page
    assert f'action="{QUEUE}{submission.pk}/approve/"' in page
    assert 'name="reason-0-code"' in page


def test_the_approve_button_publishes_through_the_service(mod_client, make_submission, store):
    submission = make_submission(SubmissionStatus.QUEUED)

    response = mod_client.post(f"{QUEUE}{submission.pk}/approve/", {"starts_at": "",
                                                                    "note": ""})

    assert response.status_code == 302
    store.refresh_from_db()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PUBLISHED
    assert store.published_version_id == submission.version_id


def test_the_reject_button_records_reasons_per_tile(mod_client, make_submission):
    submission = make_submission(SubmissionStatus.QUEUED)

    mod_client.post(f"{QUEUE}{submission.pk}/reject/", {
        "reason-0-code": "typos", "reason-0-tile": "t2", "reason-0-note": "trial → trail",
        "reason-1-code": "", "reason-1-tile": "t1", "note": ""})

    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.REJECTED
    assert list(RejectionReason.objects.values_list("code", "tile", "note")) == [
        ("typos", "t2", "trial → trail")]


def test_a_reject_with_an_unknown_tile_shows_the_error_and_changes_nothing(
    mod_client, make_submission
):
    submission = make_submission(SubmissionStatus.QUEUED)

    response = mod_client.post(f"{QUEUE}{submission.pk}/reject/", {
        "reason-0-code": "typos", "reason-0-tile": "t404"}, follow=True)

    assert "This version has no tile &#x27;t404&#x27;." in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.QUEUED


def test_claim_next_opens_the_most_urgent_submission(mod_client, make_submission, moderator):
    submission = make_submission(SubmissionStatus.QUEUED)

    response = mod_client.post(f"{QUEUE}claim-next/")

    assert response["Location"] == f"{QUEUE}{submission.pk}/change/"
    submission.refresh_from_db()
    assert submission.claimed_by == moderator.user


def test_staff_outside_the_moderators_group_cannot_act(client, make_submission):
    staff = factories.UserFactory(username="staff_only", is_staff=True)
    client.force_login(staff)
    submission = make_submission(SubmissionStatus.QUEUED)

    assert client.get(QUEUE).status_code == 403
    assert client.post(f"{QUEUE}{submission.pk}/approve/").status_code == 403
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.QUEUED


def test_a_brand_user_is_sent_to_the_admin_login(client, seller, make_submission):
    client.force_login(seller.user)
    submission = make_submission(SubmissionStatus.QUEUED)

    response = client.post(f"{QUEUE}{submission.pk}/approve/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.QUEUED


def test_the_sla_report_shows_the_figures(mod_client, make_submission):
    now = timezone.now()
    make_submission(SubmissionStatus.PUBLISHED, submitted_at=now - timedelta(hours=50),
                    decided_at=now - timedelta(hours=2))

    page = mod_client.get(f"{QUEUE}sla-report/").content.decode()

    assert '<span class="mod-card__value" data-figure="decided">1</span>' in page
    assert '<span class="mod-card__value" data-figure="median">48.0 h</span>' in page
    assert '<span class="mod-card__value" data-figure="within">100.0 %</span>' in page
