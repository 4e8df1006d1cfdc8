"""Fixtures for moderation: a seller's Store with a reviewable draft, submissions in any
state."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from moderation.models import Submission, SubmissionStatus
from stores.models import StoreVersion
from tests import factories
from tests.documents import store_document


@pytest.fixture
def products(seller):
    return [factories.ProductFactory(brand=seller.brand) for _ in range(3)]


@pytest.fixture
def store(seller, products):
    return factories.StoreFactory(
        brand=seller.brand, name="Acme Outdoor", slug="acme-outdoor", revision=3,
        draft=store_document([p.asin for p in products]),
    )


@pytest.fixture
def make_submission(store, seller):
    """A submission of `store` in a given status, made directly (no services)."""
    counter = {"n": 100}

    def make(status: str = SubmissionStatus.QUEUED, *, target=None, submitted_at=None,
             document=None, **fields) -> Submission:
        target = target or store
        counter["n"] += 1
        submitted_at = submitted_at or timezone.now()
        version = StoreVersion.objects.create(
            store=target, number=counter["n"], document=document or target.draft,
            source_revision=target.revision, created_by=seller.user,
        )
        return Submission.objects.create(
            store=target, version=version, submitted_by=seller.user, submitted_at=submitted_at,
            sla_deadline=submitted_at + timedelta(hours=72), status=status, **fields,
        )

    return make
