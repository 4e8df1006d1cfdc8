"""Claim latency of the moderation queue with 100,000 queued submissions.

`submission_claim_next` (earliest deadline first, SKIP LOCKED, one transition and an audit
row) against a baseline measured in the same run: a bare SELECT of one submission by
primary key. The partial index `submission_queue_edf` keeps the claim flat as the queue
grows.
"""
from __future__ import annotations

import os
import random
import statistics
import time
from datetime import timedelta

from bench.common import Row

QUEUED = int(os.environ.get("BENCH_CLAIM_QUEUED", "100000"))
CLAIMS = int(os.environ.get("BENCH_CLAIM_COUNT", "200"))
BATCH = 5000


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


def _populate(now):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import transaction

    from catalog.models import Account, Brand
    from moderation.models import Submission
    from stores.models import Store, StoreVersion

    account = Account.objects.create(name="Bench Claim Vendor", kind="vendor")
    brand = Brand.objects.create(account=account, name="Bench Claim", slug="bench-claim")
    moderator = get_user_model().objects.create(username="bench_moderator", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    document = {"name": "Bench", "pages": []}
    rng = random.Random(7)
    for start in range(0, QUEUED, BATCH):
        count = min(BATCH, QUEUED - start)
        with transaction.atomic():
            stores = Store.objects.bulk_create(
                Store(brand=brand, name=f"Bench {start + i}", slug=f"bench-claim-{start + i}")
                for i in range(count))
            versions = StoreVersion.objects.bulk_create(
                StoreVersion(store=store, number=1, document=document, source_revision=0)
                for store in stores)
            Submission.objects.bulk_create(
                Submission(store=store, version=version,
                           submitted_at=(at := now - timedelta(minutes=rng.randrange(0, 4300))),
                           wait_started_at=at, sla_deadline=at + timedelta(hours=72),
                           queue_at=at + timedelta(hours=72), status="queued")
                for store, version in zip(stores, versions, strict=True))
    return brand, moderator


def _cleanup(brand, moderator) -> None:
    from moderation.models import Submission, SubmissionEvent
    from stores.models import Store, StoreVersion

    # Raw deletes: the ORM's cascade collection would take longer than the benchmark.
    stores = Store.objects.filter(brand=brand)
    SubmissionEvent.objects.filter(submission__store__brand=brand).delete()
    for queryset in (Submission.objects.filter(store__brand=brand),
                     StoreVersion.objects.filter(store__brand=brand), stores):
        queryset._raw_delete(queryset.db)
    account = brand.account
    brand.delete()
    account.delete()
    moderator.delete()


def run() -> list[Row]:
    from django.db import connection
    from django.utils import timezone

    from moderation.models import Submission
    from moderation.services import submission_claim_next

    now = timezone.now()
    started = time.perf_counter()
    brand, moderator = _populate(now)
    populate_s = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE moderation_submission")

    claim_ms, baseline_ms, claimed = [], [], []
    for _ in range(CLAIMS):
        t0 = time.perf_counter()
        submission = submission_claim_next(moderator=moderator)
        claim_ms.append((time.perf_counter() - t0) * 1000)
        claimed.append(submission.pk)
    for pk in claimed:
        t0 = time.perf_counter()
        Submission.objects.filter(pk=pk).first()
        baseline_ms.append((time.perf_counter() - t0) * 1000)
    ordered = list(
        Submission.objects.filter(store__brand=brand).order_by("sla_deadline", "id")
        .values_list("pk", flat=True)[:CLAIMS])
    assert claimed == ordered, "claims must follow the earliest deadline"
    _cleanup(brand, moderator)

    base_median, base_p95 = statistics.median(baseline_ms), _p95(baseline_ms)
    label = f"SELECT by pk ({connection.vendor})"
    return [
        Row("claim", f"queued submissions (made in {populate_s:.0f} s)", QUEUED, "rows"),
        Row("claim", "claim_next median", statistics.median(claim_ms), "ms",
            statistics.median(claim_ms) / base_median, label),
        Row("claim", "claim_next p95", _p95(claim_ms), "ms", _p95(claim_ms) / base_p95, label),
        Row("claim", "baseline median", base_median, "ms", 1.0, label),
    ]
