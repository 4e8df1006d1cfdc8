"""Submitting a Store: snapshot, deadline, supersede, one open submission per Store."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction

from catalog.models import BrandRegistryEnrollment
from config.api import Forbidden
from moderation import services
from moderation.models import Submission, SubmissionEvent, SubmissionStatus
from stores.models import Store, StoreVersion

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def test_submitting_snapshots_the_draft_into_the_next_version_with_a_72_hour_deadline(
    store, seller
):
    submission = services.submission_create(store=store, user=seller.user, now=NOW)

    version = submission.version
    assert version.number == 1
    assert version.document == store.draft
    assert version.source_revision == 3
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.submitted_at == NOW
    assert submission.sla_deadline == datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    store.refresh_from_db()
    assert store.review_state == Store.ReviewState.IN_REVIEW
    assert store.status == "in_review"
    assert list(submission.events.values_list("from_status", "to_status")) == [
        ("", "submitted")]


def test_the_snapshot_does_not_change_when_the_draft_is_edited_afterwards(store, seller):
    submission = services.submission_create(store=store, user=seller.user)
    before = dict(submission.version.document)
    store.draft = {**store.draft, "name": "Edited later"}
    store.save()

    submission.version.refresh_from_db()
    assert submission.version.document == before


def test_checks_run_after_commit_and_a_clean_store_reaches_the_queue(
    store, seller, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        submission = services.submission_create(store=store, user=seller.user)
        # Nothing is enqueued before the submission's transaction commits.
        assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.SUBMITTED

    assert len([c for c in callbacks if "_enqueue_checks" in c.__qualname__]) == 1
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.QUEUED
    assert submission.checks_finished_at is not None
    assert list(submission.findings.all()) == []


def test_submitting_again_supersedes_the_waiting_submission(store, seller):
    first = services.submission_create(store=store, user=seller.user)
    store.refresh_from_db()
    second = services.submission_create(store=store, user=seller.user)

    first.refresh_from_db()
    assert first.status == SubmissionStatus.SUPERSEDED
    assert second.status == SubmissionStatus.SUBMITTED
    assert second.version.number == 2
    assert Submission.objects.filter(store=store, status__in=["submitted", "checking", "queued",
                                                              "in_review"]).count() == 1
    assert SubmissionEvent.objects.filter(submission=first, to_status="superseded").count() == 1


def test_a_claimed_submission_is_superseded_too(store, seller, make_submission):
    claimed = make_submission(SubmissionStatus.IN_REVIEW)

    services.submission_create(store=store, user=seller.user)

    claimed.refresh_from_db()
    assert claimed.status == SubmissionStatus.SUPERSEDED


def test_the_database_refuses_a_second_open_submission_for_a_store(store, make_submission):
    make_submission(SubmissionStatus.QUEUED)

    with pytest.raises(IntegrityError), transaction.atomic():
        make_submission(SubmissionStatus.CHECKING)

    assert Submission.objects.filter(store=store).count() == 1


def test_decided_submissions_do_not_count_as_open(store, make_submission):
    make_submission(SubmissionStatus.REJECTED)
    make_submission(SubmissionStatus.PUBLISHED)
    make_submission(SubmissionStatus.SUPERSEDED)

    make_submission(SubmissionStatus.QUEUED)

    assert Submission.objects.filter(store=store).count() == 4


def test_a_seller_whose_trademark_is_pending_may_not_submit_and_nothing_is_written(
    store, seller
):
    BrandRegistryEnrollment.objects.filter(brand=seller.brand).update(status="pending")

    with pytest.raises(Forbidden) as refused:
        services.submission_create(store=store, user=seller.user)

    assert refused.value.code == "trademark_pending"
    assert StoreVersion.objects.count() == 0
    assert Submission.objects.count() == 0
    store.refresh_from_db()
    assert store.review_state == Store.ReviewState.NONE


def test_another_brand_may_not_submit_my_store(store, other_brand_owner):
    with pytest.raises(Forbidden):
        services.submission_create(store=store, user=other_brand_owner.user)

    assert Submission.objects.count() == 0


def test_an_agency_may_submit_for_the_vendor_it_represents(agency, vendor):
    from tests import factories
    from tests.documents import home_document, section, tile

    vendor_store = factories.StoreFactory(brand=vendor.brand, draft=home_document(
        section("s1", tile("t1", "text", html="<p>Made to last.</p>"))))

    submission = services.submission_create(store=vendor_store, user=agency.user)

    assert submission.submitted_by == agency.user
    assert submission.sla_deadline - submission.submitted_at == timedelta(hours=72)
