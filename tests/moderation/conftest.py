"""Fixtures for moderation: a seller's Store with a reviewable draft, submissions in any
state."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from moderation.models import Submission, SubmissionStatus
from stores.models import StoreVersion
from tests import factories


def store_document(asins: list[str], *, text: str = "<p>Built for the trail.</p>") -> dict:
    return {
        "name": "Acme Outdoor",
        "theme": {"accent_color": "#0a7d5a"},
        "pages": [
            {"key": "home", "parent": None, "slug": "", "title": "Home", "sections": [
                {"key": "s1", "layout": "full", "tiles": [
                    {"key": "t1", "type": "product_grid",
                     "config": {"mode": "manual", "asins": asins, "hide_out_of_stock": False}},
                    {"key": "t2", "type": "text", "config": {"html": text}},
                ]},
            ]},
            {"key": "p2", "parent": "home", "slug": "tents", "title": "Tents", "sections": [
                {"key": "s2", "layout": "full", "tiles": [
                    {"key": "t3", "type": "best_sellers", "config": {"limit": 8}},
                ]},
            ]},
        ],
    }


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
        deadline = fields.pop("sla_deadline", submitted_at + timedelta(hours=72))
        fields.setdefault("wait_started_at", submitted_at)
        fields.setdefault("queue_at", deadline)
        return Submission.objects.create(
            store=target, version=version, submitted_by=seller.user, submitted_at=submitted_at,
            sla_deadline=deadline, status=status, **fields,
        )

    return make
