"""Separation of duties: nobody decides a submission of a brand they act for, whether
through the API, the admin or the services; another moderator still can."""
from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from config.api import Forbidden
from moderation import services
from moderation.models import RejectionReason, SubmissionStatus
from tests import factories

QUEUE = "/admin/moderation/submission/"
REASONS = [{"code": "typos", "tile": None, "note": "Spelling"}]


@pytest.fixture
def moderating_member(seller):
    """A moderator who is also a member of the seller's account."""
    from django.contrib.auth.models import Group

    user = factories.UserFactory(username="mod_member", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    factories.MembershipFactory(user=user, account=seller.account)
    return user


@pytest.fixture
def moderating_agent(agency):
    """A moderator who works at the agency acting for the vendor."""
    from django.contrib.auth.models import Group

    user = agency.user
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    return user


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def assert_undecided(submission, store) -> None:
    submission.refresh_from_db()
    store.refresh_from_db()
    assert submission.status == SubmissionStatus.QUEUED
    assert submission.decided_by is None
    assert store.published_version_id is None
    assert not RejectionReason.objects.filter(submission=submission).exists()


@pytest.mark.parametrize("action, body", [("approve", {}), ("reject", {"reasons": REASONS})])
def test_a_moderator_who_belongs_to_the_brand_cannot_decide_through_the_api(
        moderating_member, make_submission, store, action, body):
    submission = make_submission(SubmissionStatus.QUEUED)

    response = api(moderating_member).post(
        f"/api/v1/moderation/submissions/{submission.pk}/{action}/", body, format="json")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "own_brand"
    assert_undecided(submission, store)


def test_an_agency_moderator_cannot_approve_the_vendor_it_represents(
        moderating_agent, vendor, make_submission):
    vendor_store = factories.StoreFactory(brand=vendor.brand, slug="nordic")
    submission = make_submission(SubmissionStatus.QUEUED, target=vendor_store)

    response = api(moderating_agent).post(
        f"/api/v1/moderation/submissions/{submission.pk}/approve/", format="json")

    assert response.status_code == 403
    assert_undecided(submission, vendor_store)


@pytest.mark.parametrize("action, data", [
    ("approve", {"starts_at": "", "ends_at": ""}),
    ("reject", {"reason-0-code": "typos", "reason-0-tile": "", "reason-0-note": "Spelling"}),
])
def test_a_moderator_who_belongs_to_the_brand_cannot_decide_in_the_admin(
        client, moderating_member, make_submission, store, action, data):
    submission = make_submission(SubmissionStatus.QUEUED)
    client.force_login(moderating_member)

    response = client.post(f"{QUEUE}{submission.pk}/{action}/", data, follow=True)

    assert "another moderator must decide" in response.content.decode()
    assert_undecided(submission, store)


def test_the_service_refuses_self_approval_whoever_calls_it(moderating_member,
                                                            make_submission, store):
    submission = make_submission(SubmissionStatus.QUEUED)

    with pytest.raises(Forbidden) as refused:
        services.submission_approve(submission=submission, moderator=moderating_member)

    assert refused.value.code == "own_brand"
    assert_undecided(submission, store)


def test_an_independent_moderator_still_decides(moderator, moderating_member,
                                                make_submission, store):
    submission = make_submission(SubmissionStatus.QUEUED)

    response = api(moderator.user).post(
        f"/api/v1/moderation/submissions/{submission.pk}/approve/", format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "published"
