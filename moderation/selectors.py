"""Reads of moderation: the queue, a Store's submissions and versions, SLA state and the SLA
report."""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from catalog.selectors import brands_for_user
from stores.models import Store, StoreVersion
from stores.selectors import live_version_for

from .models import DECIDED_STATUSES, OPEN_STATUSES, QUEUE_STATUSES, Submission

AT_RISK_LEFT = timedelta(hours=12)


def stores_visible_to(*, user) -> QuerySet[Store]:
    return Store.objects.filter(brand__in=brands_for_user(user=user))


def submissions_for_store(*, store: Store) -> QuerySet[Submission]:
    return (
        Submission.objects.filter(store=store)
        .select_related("version")
        .prefetch_related("reasons", "findings")
        .order_by("-submitted_at", "-id")
    )


@dataclass
class VersionRow:
    """One version of a Store as the moderators' version history shows it."""

    version: StoreVersion
    submission: Submission | None
    evergreen: bool  # the Store's published version (live whenever no window runs)
    live_now: bool  # what shoppers see right now
    window: str  # "", "pending", "running" or "ended"

    @property
    def approved(self) -> bool:
        return self.version.approved_at is not None

    @property
    def cancellable(self) -> bool:
        return self.window in ("pending", "running")


def _window_state(version: StoreVersion, now: datetime) -> str:
    if version.schedule_starts_at is None:
        return ""
    if version.schedule_starts_at > now:
        return "pending"
    if version.schedule_ends_at is None or version.schedule_ends_at > now:
        return "running"
    return "ended"


def store_versions(*, store: Store, now: datetime | None = None) -> list[VersionRow]:
    """Every version of `store`, newest first, with its submission and whether shoppers see
    it now (stores.selectors.live_version_for decides that, windows included)."""
    now = now or timezone.now()
    live = live_version_for(store=store, at=now)
    versions = (
        StoreVersion.objects.filter(store=store)
        .select_related("submission", "created_by")
        .order_by("-number")
    )
    return [
        VersionRow(
            version=version,
            # A version made outside moderation (demo data, imports) has no submission.
            submission=getattr(version, "submission", None),
            evergreen=version.pk == store.published_version_id,
            live_now=live is not None and version.pk == live.pk,
            window=_window_state(version, now),
        )
        for version in versions
    ]


def submission_queue() -> QuerySet[Submission]:
    """Submissions waiting for a moderator, earliest deadline first."""
    return (
        Submission.objects.filter(status__in=QUEUE_STATUSES)
        .select_related("store", "version", "claimed_by")
        .order_by("sla_deadline", "id")
    )


def sla_state(*, submission: Submission, now: datetime | None = None) -> str:
    """"on_track", "at_risk" (under 12 h left) or "breached"; "decided" once decided."""
    now = now or timezone.now()
    if submission.status not in OPEN_STATUSES:
        return "decided"
    left = submission.sla_deadline - now
    if left <= timedelta(0):
        return "breached"
    if left < AT_RISK_LEFT:
        return "at_risk"
    return "on_track"


def _percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile of sorted values."""
    if not values:
        return 0.0
    rank = max(1, min(len(values), round(share * len(values) + 0.4999)))
    return values[rank - 1]


@dataclass
class SlaReport:
    decided: int
    median_hours: float
    p95_hours: float
    within_sla_share: float
    backlog: list[tuple[str, int]]
    open_total: int


def sla_report(*, now: datetime | None = None, since: datetime | None = None) -> SlaReport:
    """Decisions (all, or since `since`): count, median and p95 hours from submission to
    decision, share decided within the SLA; the open backlog by time left."""
    now = now or timezone.now()
    decided = Submission.objects.filter(status__in=DECIDED_STATUSES, decided_at__isnull=False)
    if since is not None:
        decided = decided.filter(decided_at__gte=since)
    hours = sorted(
        (decided_at - submitted_at).total_seconds() / 3600
        for submitted_at, decided_at in decided.values_list("submitted_at", "decided_at")
    )
    sla = settings.MODERATION_SLA_HOURS
    buckets = [("breached", None, timedelta(0)), ("under 12 h", timedelta(0), AT_RISK_LEFT),
               ("12–24 h", AT_RISK_LEFT, timedelta(hours=24)),
               ("24–48 h", timedelta(hours=24), timedelta(hours=48)),
               (f"48–{sla} h", timedelta(hours=48), None)]
    deadlines = list(
        Submission.objects.filter(status__in=OPEN_STATUSES).values_list("sla_deadline", flat=True)
    )
    backlog = []
    for label, low, high in buckets:
        count = sum(
            1 for d in deadlines
            if (low is None or d - now > low) and (high is None or d - now <= high)
        )
        backlog.append((label, count))
    return SlaReport(
        decided=len(hours),
        median_hours=round(statistics.median(hours), 1) if hours else 0.0,
        p95_hours=round(_percentile(hours, 0.95), 1),
        within_sla_share=round(sum(1 for h in hours if h <= sla) / len(hours), 3) if hours else 0.0,
        backlog=backlog,
        open_total=len(deadlines),
    )
