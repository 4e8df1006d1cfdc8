"""Claims with leases, approve/publish, reject, rollback, schedules and the e-mails."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from config.api import Conflict, DomainError, Forbidden, http_status_for
from moderation import selectors, services
from moderation.models import SubmissionStatus
from moderation.services import IllegalTransition, ScheduleOverlap, ScheduleRefused
from stores.models import Store
from tests import factories

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
# Windows are booked ahead: scheduling "as of" a month before NOW keeps them in the future.
BEFORE = NOW - timedelta(days=30)


@pytest.fixture
def rival(db):
    user = factories.UserFactory(username="mod_two", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def test_claiming_takes_the_submission_for_the_lease(make_submission, moderator):
    submission = make_submission(SubmissionStatus.QUEUED)

    services.submission_claim(submission=submission, moderator=moderator.user,
                              lease=timedelta(minutes=20), now=NOW)

    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.IN_REVIEW
    assert submission.claimed_by == moderator.user
    assert submission.claim_expires_at == NOW + timedelta(minutes=20)


def test_a_live_claim_of_another_moderator_is_a_conflict(make_submission, moderator, rival):
    submission = make_submission(SubmissionStatus.QUEUED)
    services.submission_claim(submission=submission, moderator=moderator.user, now=NOW)

    with pytest.raises(Conflict) as refused:
        services.submission_claim(submission=submission, moderator=rival,
                                  now=NOW + timedelta(minutes=29))

    assert refused.value.code == "claimed"
    submission.refresh_from_db()
    assert submission.claimed_by == moderator.user


def test_an_expired_lease_can_be_taken_over(make_submission, moderator, rival):
    submission = make_submission(SubmissionStatus.QUEUED)
    services.submission_claim(submission=submission, moderator=moderator.user, now=NOW)

    services.submission_claim(submission=submission, moderator=rival,
                              now=NOW + timedelta(minutes=31))

    submission.refresh_from_db()
    assert submission.claimed_by == rival
    assert submission.events.last().note == "Claim taken over after its lease expired."


def test_a_brand_user_cannot_claim(make_submission, seller):
    submission = make_submission(SubmissionStatus.QUEUED)

    with pytest.raises(Forbidden):
        services.submission_claim(submission=submission, moderator=seller.user)


def test_a_staff_user_outside_the_moderators_group_cannot_claim(make_submission):
    staff = factories.UserFactory(username="staff_only", is_staff=True)
    submission = make_submission(SubmissionStatus.QUEUED)

    with pytest.raises(Forbidden):
        services.submission_claim(submission=submission, moderator=staff)


def test_a_submission_still_in_checks_cannot_be_claimed(make_submission, moderator):
    submission = make_submission(SubmissionStatus.CHECKING)

    with pytest.raises(IllegalTransition):
        services.submission_claim(submission=submission, moderator=moderator.user)


def test_claim_next_takes_the_earliest_deadline(make_submission, moderator, other_brand_owner):
    later = make_submission(SubmissionStatus.QUEUED, submitted_at=NOW)
    sooner = make_submission(SubmissionStatus.QUEUED, submitted_at=NOW - timedelta(hours=5),
                             target=factories.StoreFactory(brand=other_brand_owner.brand))

    first = services.submission_claim_next(moderator=moderator.user, now=NOW)
    second = services.submission_claim_next(moderator=moderator.user, now=NOW)
    third = services.submission_claim_next(moderator=moderator.user, now=NOW)

    assert (first.pk, second.pk, third) == (sooner.pk, later.pk, None)


def test_claim_next_follows_the_queue_so_high_risk_work_comes_earlier(
        make_submission, moderator, other_brand_owner):
    # Due 2 h later, but high risk: placed 6 h before its deadline, as the queue shows it.
    standard = make_submission(SubmissionStatus.QUEUED, submitted_at=NOW, risk="standard")
    high = make_submission(SubmissionStatus.QUEUED, submitted_at=NOW + timedelta(hours=2),
                           risk="high", queue_at=NOW + timedelta(hours=68),
                           target=factories.StoreFactory(brand=other_brand_owner.brand))
    queue = [s.pk for s in selectors.submission_queue()]

    first = services.submission_claim_next(moderator=moderator.user, now=NOW)
    second = services.submission_claim_next(moderator=moderator.user, now=NOW)

    assert queue == [high.pk, standard.pk]
    assert (first.pk, second.pk) == (high.pk, standard.pk)


def test_approving_publishes_the_version_and_keeps_the_previous_one(
    make_submission, moderator, store, django_capture_on_commit_callbacks
):
    old = make_submission(SubmissionStatus.PUBLISHED)
    old.version.approved_at = NOW - timedelta(days=3)
    old.version.save()
    store.published_version = old.version
    store.save()
    new = make_submission(SubmissionStatus.QUEUED)

    with django_capture_on_commit_callbacks(execute=True):
        services.submission_approve(submission=new, moderator=moderator.user, now=NOW)

    store.refresh_from_db()
    new.refresh_from_db()
    assert store.published_version == new.version
    assert store.status == "published"
    assert new.status == SubmissionStatus.PUBLISHED
    assert (new.decided_at, new.decided_by) == (NOW, moderator.user)
    assert new.version.approved_at == NOW
    assert list(store.versions.order_by("number").values_list("number", flat=True)) == [101, 102]
    assert [e.to_status for e in new.events.all()] == ["in_review", "approved", "published"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["seller_owner@example.com"]
    assert mail.outbox[0].subject == 'Your Store "Acme Outdoor" is live'
    assert f"http://127.0.0.1:8000/builder/stores/{store.pk}/" in mail.outbox[0].body


def test_approving_a_submission_another_moderator_holds_is_refused(
    make_submission, moderator, rival, store
):
    submission = make_submission(SubmissionStatus.QUEUED)
    services.submission_claim(submission=submission, moderator=rival)

    with pytest.raises(Conflict):
        services.submission_approve(submission=submission, moderator=moderator.user)

    store.refresh_from_db()
    assert store.published_version is None
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.IN_REVIEW


def test_a_rejection_email_lists_each_reason_with_its_tile(
    make_submission, moderator, django_capture_on_commit_callbacks
):
    submission = make_submission(SubmissionStatus.QUEUED)

    with django_capture_on_commit_callbacks(execute=True):
        services.submission_reject(
            submission=submission, moderator=moderator.user,
            reasons=[{"code": "typos", "tile": "t2", "note": "'trial' should be 'trail'"},
                     {"code": "qr_code", "tile": None, "note": ""}])

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == 'Your Store "Acme Outdoor" was not approved'
    assert "- Typos (tile t2): 'trial' should be 'trail'" in message.body
    assert "- QR code (whole Store)" in message.body
    assert "/builder/stores/" in message.body


def test_only_owners_of_the_brand_account_are_emailed(
    make_submission, moderator, seller, django_capture_on_commit_callbacks
):
    editor = factories.UserFactory(username="editor_one")
    factories.MembershipFactory(user=editor, account=seller.account, role="editor")
    submission = make_submission(SubmissionStatus.QUEUED)

    with django_capture_on_commit_callbacks(execute=True):
        services.submission_approve(submission=submission, moderator=moderator.user)

    assert [m.to for m in mail.outbox] == [["seller_owner@example.com"]]


def test_rollback_makes_an_earlier_approved_version_live_without_review(
    make_submission, moderator, store, seller
):
    first = make_submission(SubmissionStatus.QUEUED)
    services.submission_approve(submission=first, moderator=moderator.user)
    second = make_submission(SubmissionStatus.QUEUED)
    services.submission_approve(submission=second, moderator=moderator.user)

    services.version_rollback(store=store, version=first.version, user=seller.user)

    store.refresh_from_db()
    assert store.published_version == first.version
    assert store.submissions.filter(status__in=["submitted", "queued"]).count() == 0


def test_rollback_to_a_version_that_was_never_approved_is_refused(
    make_submission, store, seller
):
    rejected = make_submission(SubmissionStatus.REJECTED)

    with pytest.raises(DomainError) as refused:
        services.version_rollback(store=store, version=rejected.version, user=seller.user)

    assert refused.value.code == "not_approved"
    store.refresh_from_db()
    assert store.published_version is None


def test_another_brand_cannot_roll_back_my_store(make_submission, moderator, store,
                                                  other_brand_owner):
    first = make_submission(SubmissionStatus.QUEUED)
    services.submission_approve(submission=first, moderator=moderator.user)

    with pytest.raises(Forbidden):
        services.version_rollback(store=store, version=first.version,
                                  user=other_brand_owner.user)


def approved_version(make_submission, moderator):
    submission = make_submission(SubmissionStatus.QUEUED)
    services.submission_approve(submission=submission, moderator=moderator.user)
    submission.version.refresh_from_db()
    return submission.version


def test_an_approved_version_gets_a_window(make_submission, moderator):
    version = approved_version(make_submission, moderator)

    services.version_schedule(version=version, starts_at=NOW, ends_at=NOW + timedelta(days=7),
                              now=BEFORE)

    version.refresh_from_db()
    assert (version.schedule_starts_at, version.schedule_ends_at) == (
        NOW, NOW + timedelta(days=7))


@pytest.mark.parametrize(("start_days", "end_days"), [
    (3, 10),      # starts inside
    (-3, 2),      # ends inside
    (1, 2),       # inside
    (-5, None),   # open-ended, started before
    (6, None),    # open-ended, starts inside
])
def test_overlapping_windows_of_the_same_store_are_refused(
    make_submission, moderator, start_days, end_days
):
    booked = approved_version(make_submission, moderator)
    services.version_schedule(version=booked, starts_at=NOW, ends_at=NOW + timedelta(days=7),
                              now=BEFORE)
    other = approved_version(make_submission, moderator)
    ends_at = NOW + timedelta(days=end_days) if end_days is not None else None

    with pytest.raises(ScheduleOverlap) as refused:
        services.version_schedule(version=other, starts_at=NOW + timedelta(days=start_days),
                                  ends_at=ends_at, now=BEFORE)

    assert f"overlaps version {booked.number}'s window" in refused.value.message
    assert http_status_for(refused.value) == 409
    other.refresh_from_db()
    assert other.schedule_starts_at is None


def test_back_to_back_windows_are_fine(make_submission, moderator):
    first = approved_version(make_submission, moderator)
    services.version_schedule(version=first, starts_at=NOW, ends_at=NOW + timedelta(days=7),
                              now=BEFORE)
    second = approved_version(make_submission, moderator)

    services.version_schedule(version=second, starts_at=NOW + timedelta(days=7), now=BEFORE)

    second.refresh_from_db()
    assert second.schedule_starts_at == NOW + timedelta(days=7)


def test_windows_of_different_stores_do_not_clash(make_submission, moderator,
                                                  other_brand_owner):
    first = approved_version(make_submission, moderator)
    services.version_schedule(version=first, starts_at=NOW, now=BEFORE)
    other_store = factories.StoreFactory(brand=other_brand_owner.brand)
    submission = make_submission(SubmissionStatus.QUEUED, target=other_store)
    services.submission_approve(submission=submission, moderator=moderator.user)

    services.version_schedule(version=submission.version, starts_at=NOW, now=BEFORE)


def test_an_unapproved_version_cannot_be_scheduled(make_submission):
    waiting = make_submission(SubmissionStatus.QUEUED)

    with pytest.raises(DomainError) as refused:
        services.version_schedule(version=waiting.version, starts_at=NOW, now=BEFORE)

    assert refused.value.code == "not_approved"


def test_a_window_that_ends_before_it_starts_is_refused(make_submission, moderator):
    version = approved_version(make_submission, moderator)

    with pytest.raises(ScheduleRefused):
        services.version_schedule(version=version, starts_at=NOW, ends_at=NOW, now=BEFORE)


def test_a_window_that_starts_in_the_past_is_refused_and_nothing_is_written(
    make_submission, moderator
):
    version = approved_version(make_submission, moderator)

    with pytest.raises(ScheduleRefused) as refused:
        services.version_schedule(version=version, starts_at=NOW - timedelta(hours=1),
                                  ends_at=NOW + timedelta(days=1), now=NOW)

    assert refused.value.message == (
        "The start (Nov 20, 2026, 8:00\u202fAM UTC) is in the past; give a time from now on.")
    assert refused.value.details == {"field": "starts_at"}
    version.refresh_from_db()
    assert version.schedule_starts_at is None


def test_a_start_typed_as_the_current_minute_is_still_accepted(make_submission, moderator):
    version = approved_version(make_submission, moderator)

    services.version_schedule(version=version, starts_at=NOW, now=NOW + timedelta(seconds=59))

    version.refresh_from_db()
    assert version.schedule_starts_at == NOW


def test_scheduling_and_cancelling_are_written_to_the_audit_trail(
    make_submission, moderator
):
    version = approved_version(make_submission, moderator)

    services.version_schedule(version=version, starts_at=NOW, ends_at=NOW + timedelta(days=7),
                              user=moderator.user, now=BEFORE)
    services.version_unschedule(version=version, user=moderator.user)

    notes = list(version.submission.events.filter(actor=moderator.user).order_by("id")
                 .values_list("note", flat=True))
    assert notes[-2:] == [
        f"Version {version.number} scheduled: live from Nov 20, 2026, 9:00\u202fAM UTC to "
        "Nov 27, 2026, 9:00\u202fAM UTC.",
        f"The schedule of version {version.number} is cancelled.",
    ]


def test_rolling_back_to_the_version_that_is_live_already_is_refused(
    make_submission, moderator, store
):
    live = approved_version(make_submission, moderator)
    events = live.submission.events.count()

    with pytest.raises(DomainError) as refused:
        services.version_rollback(store=store, version=live, user=moderator.user)

    assert refused.value.code == "already_live"
    assert live.submission.events.count() == events


def test_the_store_shows_rejected_after_a_rejection(make_submission, moderator, store):
    submission = make_submission(SubmissionStatus.QUEUED)

    services.submission_reject(submission=submission, moderator=moderator.user,
                               reasons=[{"code": "hashtags", "tile": "t2", "note": ""}])

    store.refresh_from_db()
    assert store.review_state == Store.ReviewState.REJECTED
