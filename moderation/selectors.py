"""Reads of moderation: the queue, a Store's submissions and versions, SLA state and the SLA
report."""
from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from catalog.models import UserPreferences
from catalog.selectors import brands_for_user
from stores.models import Store, StoreVersion
from stores.selectors import live_version_for

from . import sla
from .forecast import Forecast, forecast
from .models import DECIDED_STATUSES, OPEN_STATUSES, QUEUE_STATUSES, DecidedBy, Submission
from .sla import ShiftCalendar


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


def marketplaces_moderated_by(*, user) -> list[str]:
    """The marketplace codes `user` is assigned to moderate (their preferences); an empty
    list means every marketplace: a moderator assigned to none works them all."""
    if user is None or not getattr(user, "pk", None):
        return []
    return list(UserPreferences.marketplaces.through.objects
                .filter(userpreferences__user=user)
                .values_list("marketplace_id", flat=True))


def submissions_moderated_by(queryset: QuerySet[Submission], *, user,
                             marketplace: str = "mine") -> QuerySet[Submission]:
    """`queryset` narrowed to the marketplaces a moderator works: "mine" (their assigned
    marketplaces, all when none is assigned), "all", or one marketplace code. The admin's
    queue, the API's queue and claiming the next submission all read this one rule."""
    if marketplace == "all":
        return queryset
    if marketplace == "mine":
        assigned = marketplaces_moderated_by(user=user)
        return queryset.filter(store__marketplace_id__in=assigned) if assigned else queryset
    return queryset.filter(store__marketplace_id=marketplace)


def submission_queue() -> QuerySet[Submission]:
    """Submissions waiting for a moderator in queue order: deadline first, high-risk ones
    earlier (moderation.triage.queue_at)."""
    return (
        Submission.objects.filter(status__in=QUEUE_STATUSES)
        .select_related("store", "version", "claimed_by")
        .order_by("queue_at", "id")
    )


def sla_state(*, submission: Submission, now: datetime | None = None,
              calendar: ShiftCalendar | None = None) -> str:
    """See moderation.sla.sla_state (kept here for the readers that import it)."""
    return sla.sla_state(submission=submission, now=now, calendar=calendar)


def _percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile of sorted values."""
    if not values:
        return 0.0
    rank = max(1, min(len(values), round(share * len(values) + 0.4999)))
    return values[rank - 1]


@dataclass
class DecisionStats:
    decided: int
    median_hours: float
    p95_hours: float
    within_sla_share: float


def _stats(hours: list[float]) -> DecisionStats:
    hours = sorted(hours)
    limit = settings.MODERATION_SLA_HOURS
    return DecisionStats(
        decided=len(hours),
        median_hours=round(statistics.median(hours), 1) if hours else 0.0,
        p95_hours=round(_percentile(hours, 0.95), 1),
        within_sla_share=round(sum(1 for h in hours if h <= limit) / len(hours), 3)
        if hours else 0.0,
    )


@dataclass
class SlaReport:
    decided: int
    median_hours: float
    p95_hours: float
    within_sla_share: float
    backlog: list[tuple[str, int]]
    open_total: int
    moderators: DecisionStats = field(default_factory=lambda: _stats([]))
    automated: DecisionStats = field(default_factory=lambda: _stats([]))
    automated_share: float = 0.0
    per_moderator: list[tuple[str, int]] = field(default_factory=list)
    per_day: list[tuple[date, int, int]] = field(default_factory=list)  # day, moderator, auto
    forecast: Forecast | None = None
    audits_pending: int = 0


def sla_report(*, now: datetime | None = None, since: datetime | None = None,
               calendar: ShiftCalendar | None = None) -> SlaReport:
    """Decisions (all, or since `since`): count, median and p95 hours from the brand's first
    unanswered submission to the decision (the fair clock), share within the SLA — for all,
    for moderators and for automated decisions apart; throughput per moderator and per day;
    the open backlog by time left and the forecast."""
    now = now or timezone.now()
    calendar = calendar or ShiftCalendar.load()
    decided = Submission.objects.filter(status__in=DECIDED_STATUSES, decided_at__isnull=False)
    if since is not None:
        decided = decided.filter(decided_at__gte=since)
    rows = list(decided.values_list("wait_started_at", "decided_at", "decided_how",
                                    "decided_by__username"))
    hours = {how: [] for how in (DecidedBy.MODERATOR, DecidedBy.AUTOMATED)}
    per_moderator: Counter = Counter()
    per_day: dict[date, list[int]] = {}
    for started, decided_at, how, username in rows:
        how = how or DecidedBy.MODERATOR
        hours.setdefault(how, []).append((decided_at - started).total_seconds() / 3600)
        day = per_day.setdefault(decided_at.date(), [0, 0])
        if how == DecidedBy.AUTOMATED:
            day[1] += 1
        else:
            day[0] += 1
            per_moderator[username or "—"] += 1
    everything = _stats([h for values in hours.values() for h in values])
    limit = settings.MODERATION_SLA_HOURS
    threshold = sla.at_risk_threshold()
    buckets = [("breached", None, timedelta(0)),
               (f"under {threshold.total_seconds() / 3600:.0f} h", timedelta(0), threshold),
               (f"{threshold.total_seconds() / 3600:.0f}–24 h", threshold, timedelta(hours=24)),
               ("24–48 h", timedelta(hours=24), timedelta(hours=48)),
               (f"48–{limit} h", timedelta(hours=48), None)]
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
        decided=everything.decided,
        median_hours=everything.median_hours,
        p95_hours=everything.p95_hours,
        within_sla_share=everything.within_sla_share,
        backlog=backlog,
        open_total=len(deadlines),
        moderators=_stats(hours[DecidedBy.MODERATOR]),
        automated=_stats(hours[DecidedBy.AUTOMATED]),
        automated_share=round(len(hours[DecidedBy.AUTOMATED]) / len(rows), 3) if rows else 0.0,
        per_moderator=per_moderator.most_common(),
        per_day=sorted((day, m, a) for day, (m, a) in per_day.items()),
        forecast=forecast(now=now, calendar=calendar),
        audits_pending=Submission.objects.filter(audit_requested_at__isnull=False,
                                                 audited_at__isnull=True).count(),
    )
