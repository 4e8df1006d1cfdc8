"""The moderation API: who may submit, read, claim and decide, and what refused requests
leave unchanged."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from moderation.models import RejectionReason, Submission, SubmissionStatus
from stores.models import Store

pytestmark = pytest.mark.django_db


def days_ahead(days: int) -> datetime:
    """Midnight UTC `days` from today: windows are booked ahead, so they must stay future."""
    today = timezone.now().astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return today + timedelta(days=days)


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def client_for(actor) -> APIClient:
    client = APIClient()
    if actor is not None:
        client.force_authenticate(actor.user)
    return client


@pytest.fixture
def people(seller, other_brand_owner, moderator):
    return {"anonymous": None, "other_brand": other_brand_owner, "owner": seller,
            "moderator": moderator}


@pytest.mark.parametrize(("who", "expected"), [
    ("anonymous", 403), ("other_brand", 404), ("owner", 201), ("moderator", 404),
])
def test_only_the_brand_may_submit_its_store(people, store, who, expected):
    response = client_for(people[who]).post(f"/api/v1/stores/{store.pk}/submissions/")

    assert response.status_code == expected
    assert Submission.objects.count() == (1 if expected == 201 else 0)


def test_the_submit_answer_has_id_status_deadline_and_version(seller, store):
    response = client_for(seller).post(f"/api/v1/stores/{store.pk}/submissions/")

    body = response.json()
    submission = Submission.objects.get()
    assert body["id"] == submission.pk
    assert body["status"] in ("queued", "submitted")  # eager checks may already have run
    assert body["version"] == 1
    assert body["version_id"] == submission.version_id
    assert body["sla_deadline"] == submission.sla_deadline.isoformat().replace("+00:00", "Z")
    assert body["reasons"] == []


@pytest.mark.parametrize(("who", "expected"), [
    ("anonymous", 403), ("other_brand", 404), ("owner", 200), ("moderator", 404),
])
def test_only_the_brand_reads_its_submissions(people, make_submission, store, who, expected):
    make_submission(SubmissionStatus.QUEUED)

    response = client_for(people[who]).get(f"/api/v1/stores/{store.pk}/submissions/")

    assert response.status_code == expected


def test_the_brand_reads_the_rejection_reasons_with_their_tiles(
    seller, make_submission, store, django_assert_num_queries
):
    rejected = make_submission(SubmissionStatus.REJECTED)
    RejectionReason.objects.create(submission=rejected, code="hashtags", tile="t2",
                                   note="Remove #summer")
    make_submission(SubmissionStatus.QUEUED)
    client = client_for(seller)

    with django_assert_num_queries(4):
        # the Store (scoped to the user's brands), submissions + versions, reasons, findings
        response = client.get(f"/api/v1/stores/{store.pk}/submissions/")

    rows = response.json()
    assert [r["status"] for r in rows] == ["queued", "rejected"]
    assert rows[1]["reasons"] == [{"code": "hashtags", "tile": "t2", "note": "Remove #summer"}]


@pytest.mark.parametrize(("who", "expected"), [
    ("anonymous", 403), ("other_brand", 403), ("owner", 403), ("moderator", 200),
])
def test_only_moderators_see_the_queue(people, make_submission, who, expected):
    make_submission(SubmissionStatus.QUEUED)

    response = client_for(people[who]).get("/api/v1/moderation/submissions/")

    assert response.status_code == expected


def test_the_queue_lists_earliest_deadline_first(moderator, make_submission, other_brand_owner):
    from datetime import timedelta

    from django.utils import timezone

    from tests import factories

    now = timezone.now()
    later = make_submission(SubmissionStatus.QUEUED, submitted_at=now - timedelta(hours=1))
    other_store = factories.StoreFactory(brand=other_brand_owner.brand)
    sooner = make_submission(SubmissionStatus.QUEUED, target=other_store,
                             submitted_at=now - timedelta(hours=65))

    rows = client_for(moderator).get("/api/v1/moderation/submissions/").json()["results"]

    assert [r["id"] for r in rows] == [sooner.pk, later.pk]
    assert [r["sla_state"] for r in rows] == ["at_risk", "on_track"]


@pytest.mark.parametrize("action", ["claim", "approve", "reject"])
@pytest.mark.parametrize("who", ["owner", "other_brand"])
def test_brand_users_may_not_act_as_moderators(people, make_submission, action, who):
    submission = make_submission(SubmissionStatus.QUEUED)

    response = client_for(people[who]).post(
        f"/api/v1/moderation/submissions/{submission.pk}/{action}/",
        {"reasons": [{"code": "typos", "tile": None, "note": ""}]}, format="json")

    assert response.status_code == 403
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.QUEUED
    assert submission.claimed_by is None


def test_a_moderator_claims_then_approves_and_the_store_goes_live(moderator, make_submission,
                                                                   store):
    submission = make_submission(SubmissionStatus.QUEUED)
    client = client_for(moderator)

    claimed = client.post(f"/api/v1/moderation/submissions/{submission.pk}/claim/")
    approved = client.post(f"/api/v1/moderation/submissions/{submission.pk}/approve/")

    assert claimed.status_code == 200
    assert claimed.json()["claimed_by"] == "mod_one"
    assert approved.status_code == 200
    assert approved.json()["status"] == "published"
    store.refresh_from_db()
    assert store.published_version_id == submission.version_id


def test_a_claim_held_by_another_moderator_gets_409(moderator, make_submission):
    from django.contrib.auth.models import Group

    from tests import factories

    rival = factories.UserFactory(username="mod_two", is_staff=True)
    rival.groups.add(Group.objects.get(name="Moderators"))
    submission = make_submission(SubmissionStatus.QUEUED)
    client_for(moderator).post(f"/api/v1/moderation/submissions/{submission.pk}/claim/")

    response = APIClient()
    response.force_authenticate(rival)
    answer = response.post(f"/api/v1/moderation/submissions/{submission.pk}/claim/")

    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "claimed"
    submission.refresh_from_db()
    assert submission.claimed_by == moderator.user


@pytest.mark.parametrize(("reasons", "field"), [
    ([{"code": "ugly", "tile": None, "note": ""}], "code"),
    ([{"code": "hashtags", "tile": "t99", "note": ""}], "tile"),
    ([], "reasons"),
])
def test_rejecting_with_an_unknown_code_or_tile_is_400_and_changes_nothing(
    moderator, make_submission, store, reasons, field
):
    submission = make_submission(SubmissionStatus.QUEUED)

    response = client_for(moderator).post(
        f"/api/v1/moderation/submissions/{submission.pk}/reject/", {"reasons": reasons},
        format="json")

    assert response.status_code == 400
    assert field in str(response.json())
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.QUEUED
    assert submission.claimed_by is None
    assert RejectionReason.objects.count() == 0
    store.refresh_from_db()
    assert store.review_state == Store.ReviewState.NONE


def test_rejecting_records_reasons_per_tile(moderator, make_submission, store):
    submission = make_submission(SubmissionStatus.QUEUED)

    response = client_for(moderator).post(
        f"/api/v1/moderation/submissions/{submission.pk}/reject/",
        {"reasons": [{"code": "typos", "tile": "t2", "note": "'trial' should be 'trail'"},
                     {"code": "low_quality_image", "tile": None, "note": ""}]},
        format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert list(RejectionReason.objects.values_list("code", "tile")) == [
        ("typos", "t2"), ("low_quality_image", None)]
    store.refresh_from_db()
    assert store.status == "rejected"


def test_approving_with_a_window_schedules_the_version(moderator, make_submission, store):
    submission = make_submission(SubmissionStatus.QUEUED)

    response = client_for(moderator).post(
        f"/api/v1/moderation/submissions/{submission.pk}/approve/",
        {"starts_at": iso(days_ahead(23)), "ends_at": iso(days_ahead(30))},
        format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "scheduled"
    submission.version.refresh_from_db()
    assert submission.version.schedule_starts_at == days_ahead(23)
    store.refresh_from_db()
    assert store.published_version_id is None


def test_approving_with_a_bad_window_is_400(moderator, make_submission):
    submission = make_submission(SubmissionStatus.QUEUED)

    response = client_for(moderator).post(
        f"/api/v1/moderation/submissions/{submission.pk}/approve/",
        {"starts_at": iso(days_ahead(23)), "ends_at": iso(days_ahead(22))},
        format="json")

    assert response.status_code == 400
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.QUEUED
    submission.version.refresh_from_db()
    assert submission.version.approved_at is None


def approved(make_submission, moderator, **kwargs):
    from moderation import services

    submission = make_submission(SubmissionStatus.QUEUED, **kwargs)
    services.submission_approve(submission=submission, moderator=moderator.user)
    return submission.version


@pytest.mark.parametrize(("who", "expected"), [
    ("anonymous", 403), ("other_brand", 404), ("owner", 200), ("moderator", 200),
])
def test_rolling_back_through_the_api(people, make_submission, moderator, store, who,
                                      expected):
    first = approved(make_submission, moderator)
    second = approved(make_submission, moderator)

    response = client_for(people[who]).post(
        f"/api/v1/stores/{store.pk}/versions/{first.pk}/rollback/")

    assert response.status_code == expected
    store.refresh_from_db()
    assert store.published_version == (first if expected == 200 else second)


def test_scheduling_an_overlapping_window_through_the_api_is_409(
    seller, make_submission, moderator, store
):
    first = approved(make_submission, moderator)
    second = approved(make_submission, moderator)
    client = client_for(seller)
    booked = client.post(f"/api/v1/stores/{store.pk}/versions/{first.pk}/schedule/",
                         {"starts_at": iso(days_ahead(23)),
                          "ends_at": iso(days_ahead(30))}, format="json")

    refused = client.post(f"/api/v1/stores/{store.pk}/versions/{second.pk}/schedule/",
                          {"starts_at": iso(days_ahead(29))}, format="json")

    assert booked.status_code == 200
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "schedule_overlap"
    second.refresh_from_db()
    assert second.schedule_starts_at is None
    removed = client.delete(f"/api/v1/stores/{store.pk}/versions/{first.pk}/schedule/")
    assert removed.json()["schedule_starts_at"] is None


def test_the_queue_costs_the_same_queries_however_long_it_is(
    moderator, make_submission, other_brand_owner, django_assert_num_queries
):
    from tests import factories

    make_submission(SubmissionStatus.QUEUED)
    for _ in range(3):
        make_submission(SubmissionStatus.QUEUED,
                        target=factories.StoreFactory(brand=other_brand_owner.brand))
    client = client_for(moderator)

    # The moderator's permissions (2), their marketplaces, count, one page.
    with django_assert_num_queries(5):
        body = client.get("/api/v1/moderation/submissions/").json()

    assert body["count"] == 4
    assert len(body["results"]) == 4


def test_scheduling_a_start_in_the_past_through_the_api_is_400_and_changes_nothing(
    seller, make_submission, moderator, store
):
    first = approved(make_submission, moderator)

    response = client_for(seller).post(
        f"/api/v1/stores/{store.pk}/versions/{first.pk}/schedule/",
        {"starts_at": iso(days_ahead(-1))}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_schedule"
    assert response.json()["errors"] == {"field": "starts_at"}
    first.refresh_from_db()
    assert first.schedule_starts_at is None


def test_approving_with_a_window_in_the_past_is_400_and_leaves_it_in_the_queue(
    moderator, make_submission
):
    submission = make_submission(SubmissionStatus.QUEUED)

    response = client_for(moderator).post(
        f"/api/v1/moderation/submissions/{submission.pk}/approve/",
        {"starts_at": iso(days_ahead(-2)), "ends_at": iso(days_ahead(3))}, format="json")

    assert response.status_code == 400
    assert "is in the past" in response.json()["error"]["message"]
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.QUEUED
    submission.version.refresh_from_db()
    assert submission.version.approved_at is None


@pytest.mark.parametrize(("who", "expected"), [
    ("anonymous", 403), ("other_brand", 404), ("owner", 200), ("moderator", 200),
])
def test_scheduling_through_the_api(people, make_submission, moderator, store, who,
                                    expected):
    first = approved(make_submission, moderator)
    approved(make_submission, moderator)

    response = client_for(people[who]).post(
        f"/api/v1/stores/{store.pk}/versions/{first.pk}/schedule/",
        {"starts_at": iso(days_ahead(3))}, format="json")

    assert response.status_code == expected
    first.refresh_from_db()
    assert first.schedule_starts_at == (days_ahead(3) if expected == 200 else None)


def test_rolling_back_to_the_live_version_through_the_api_is_400(
    seller, make_submission, moderator, store
):
    live = approved(make_submission, moderator)

    response = client_for(seller).post(
        f"/api/v1/stores/{store.pk}/versions/{live.pk}/rollback/")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "already_live"


@pytest.fixture
def per_marketplace(seller, make_submission):
    """A queued submission in the Dutch and in the British marketplace; the British one is
    the more urgent, so an unfiltered claim would take it first."""
    from tests import factories

    now = timezone.now()
    dutch = factories.StoreFactory(brand=seller.brand, slug="acme-nl", name="Acme NL",
                                   marketplace_id="nl")
    british = factories.StoreFactory(brand=seller.brand, slug="acme-uk", name="Acme UK",
                                     marketplace_id="uk")
    return {
        "nl": make_submission(SubmissionStatus.QUEUED, target=dutch, submitted_at=now),
        "uk": make_submission(SubmissionStatus.QUEUED, target=british,
                              submitted_at=now - timedelta(hours=5)),
    }


def assign(moderator, *codes: str) -> None:
    from catalog.models import UserPreferences

    prefs, _ = UserPreferences.objects.get_or_create(user=moderator.user,
                                                     defaults={"language": "en"})
    prefs.marketplaces.set(codes)


def test_claim_next_takes_only_the_moderators_marketplaces(per_marketplace, moderator):
    assign(moderator, "nl")
    client = client_for(moderator)

    first = client.post("/api/v1/moderation/submissions/claim-next/")
    second = client.post("/api/v1/moderation/submissions/claim-next/")

    assert first.status_code == 200 and first.json()["id"] == per_marketplace["nl"].pk
    assert second.status_code == 204  # the British one is not this moderator's
    british = Submission.objects.get(pk=per_marketplace["uk"].pk)
    assert (british.status, british.claimed_by_id) == (SubmissionStatus.QUEUED, None)


def test_claim_next_with_no_marketplace_assigned_takes_every_marketplace(
        per_marketplace, moderator):
    client = client_for(moderator)

    taken = [client.post("/api/v1/moderation/submissions/claim-next/").json()["id"]
             for _ in range(2)]

    # Queue order across marketplaces: the more urgent British submission first.
    assert taken == [per_marketplace["uk"].pk, per_marketplace["nl"].pk]


def test_the_api_queue_and_the_admin_claim_follow_the_same_assignment(
        per_marketplace, moderator):
    assign(moderator, "uk")
    client = client_for(moderator)

    mine = client.get("/api/v1/moderation/submissions/").json()["results"]
    every = client.get("/api/v1/moderation/submissions/?marketplace=all").json()["results"]
    dutch = client.get("/api/v1/moderation/submissions/?marketplace=nl").json()["results"]
    refused = client.get("/api/v1/moderation/submissions/?marketplace=xx")
    admin = APIClient()
    admin.force_login(moderator.user)
    admin.post("/admin/moderation/submission/claim-next/")

    assert [row["id"] for row in mine] == [per_marketplace["uk"].pk]
    assert {row["id"] for row in every} == {s.pk for s in per_marketplace.values()}
    assert [row["id"] for row in dutch] == [per_marketplace["nl"].pk]
    assert refused.status_code == 400 and "marketplace" in refused.json()["errors"]
    assert Submission.objects.get(pk=per_marketplace["uk"].pk).claimed_by_id == \
        moderator.user.pk
    assert Submission.objects.get(pk=per_marketplace["nl"].pk).claimed_by_id is None


def test_claim_next_is_for_moderators_only(per_marketplace, seller):
    response = client_for(seller).post("/api/v1/moderation/submissions/claim-next/")

    assert response.status_code == 403
    assert not Submission.objects.filter(claimed_by__isnull=False).exists()
