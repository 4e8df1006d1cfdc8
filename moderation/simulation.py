"""A discrete-event week of moderation against the real services, in simulated time.

Every submission, check, claim, heartbeat, decision and sweep goes through
moderation.services with an explicit `now`, on a scratch database (moderation.simulation_runs
gives each scenario its own); only the clock and the people are simulated:

- **Arrivals** follow a daily and weekly cycle (busy office hours, quiet nights, light
  weekends), NORMAL_WEEKLY submissions a week at 1x.
- **Content**: 15 % carry a blocking problem (a prohibited term the real checks catch) and
  are fixed and resubmitted 2-24 h later; the rest are trivial (45 %: reorders, out-of-stock
  switches, small text edits), standard (35 %: a new product tile) or high risk (20 %: a new
  page) changes of a live Store. 12 % are resubmitted while still waiting (a small text fix).
  Moderators reject 8 % of what they review; those brands fix and resubmit 4-48 h later.
- **People**: four moderators Monday-Friday 09:00-17:00 and one at weekends 10:00-18:00,
  Europe/Amsterdam. A review takes a log-normal time (median REVIEW_MEDIAN_MINUTES, x0.7
  trivial, x1.5 high risk); 4 % of claims are abandoned (the tab closed, the lease lapses);
  the review page's heartbeat renews claims every 20 minutes.
- **Sweeps** run every 15 minutes (leases, SLA marks), the forecast every hour; idle
  moderators look at the queue every 10 minutes.

Normal load (1x) is 650 new submissions a week (about 700 with fixes and resubmissions):
the scheduled 176 moderator-hours a week are then about two-thirds used without triage —
the headroom a 72-hour promise needs when the weekend has one moderator. After the week no
new work arrives and the simulation runs until every submission is decided (at most
another week): anything still open then is "lost".
"""
from __future__ import annotations

import copy
import heapq
import itertools
import math
import random
import statistics
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from unittest import mock

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test.utils import override_settings

from catalog.models import Account, Brand, Membership
from config.api import DomainError
from stores.models import Store, StoreVersion

from . import services
from .checks import document_check
from .models import (
    DECIDED_STATUSES,
    OPEN_STATUSES,
    DecidedBy,
    ForecastAlert,
    Risk,
    Shift,
    Submission,
    SubmissionStatus,
    Team,
)
from .sla import ShiftCalendar

NORMAL_WEEKLY = 650
REVIEW_MEDIAN_MINUTES = 9.0
REVIEW_SIGMA = 0.5
ABANDON_SHARE = 0.04
BLOCKING_SHARE = 0.15
RESUBMIT_WHILE_WAITING = 0.12
MODERATOR_REJECTS = 0.08
KINDS = [("trivial", 0.45), ("standard", 0.35), ("high", 0.20)]
SPEED = {Risk.TRIVIAL: 0.7, Risk.STANDARD: 1.0, Risk.HIGH: 1.5, "": 1.0}
# Monday 2 March 2026, 00:00 in Amsterdam.
START = datetime(2026, 3, 1, 23, 0, tzinfo=UTC)
WEEK = timedelta(days=7)
SWEEP_EVERY = timedelta(minutes=15)
POLL_EVERY = timedelta(minutes=10)
HEARTBEAT_EVERY = timedelta(minutes=20)
DAY_WEIGHT = [1.0, 1.0, 1.0, 1.0, 1.0, 0.45, 0.35]
HOUR_WEIGHT = [0.15] * 7 + [0.6, 1.2] + [1.6] * 9 + [1.0, 0.9, 0.8, 0.6, 0.4, 0.25]
SHIFTS = [  # (team, time zone, weekdays, start, end, moderators)
    ("Weekdays", "Europe/Amsterdam", range(5), time(9), time(17), 4),
    ("Weekends", "Europe/Amsterdam", (5, 6), time(10), time(18), 1),
]


def _letters(number: int) -> str:
    """'Ab', 'Ac', …: names without digits, which the checks would take for phone numbers."""
    text = ""
    while True:
        number, rest = divmod(number, 26)
        text = "abcdefghijklmnopqrstuvwxyz"[rest] + text
        if not number:
            return text.capitalize()


def base_document(name: str) -> dict:
    return {
        "name": name, "theme": {"accent_color": "#0a7d5a"},
        "pages": [{"key": "home", "parent": None, "slug": "", "title": "Home", "sections": [
            {"key": "s1", "layout": "full", "tiles": [
                {"key": "t1", "type": "text",
                 "config": {"html": "<p>Built for the trail, every season.</p>"}},
                {"key": "t2", "type": "best_sellers", "config": {"limit": 8}},
                {"key": "t3", "type": "featured_deals", "config": {"limit": 8}},
            ]}]}],
    }


@dataclass
class Result:
    label: str
    submissions: int
    decisions: int
    within_share: float
    p50_hours: float
    p95_hours: float
    max_hours: float
    late: int
    lost: int
    alerts: int
    alerts_off_shift: int
    wasted_reviews: int
    wasted_hours: float
    automated_share: float
    forecast_alerts: int


class _Week:
    def __init__(self, *, load: float, triage: bool, seed: int, stores: int):
        self.rng = random.Random(seed)
        self.load, self.triage = load, triage
        self.events: list = []
        self.seq = itertools.count()
        self.calendar: ShiftCalendar | None = None
        self.alerts = self.alerts_off_shift = 0
        self.wasted_reviews = 0
        self.wasted_minutes = 0.0
        self.submitted = 0
        self.pending = 0  # brand actions still to come
        self._setup(stores)

    # --- set-up ----------------------------------------------------------------------

    def _setup(self, count: int) -> None:
        Submission.objects.all().delete()
        ForecastAlert.objects.all().delete()
        Team.objects.all().delete()
        User = get_user_model()
        run = Account.objects.count()  # earlier runs' rows stay: names must differ
        accounts = Account.objects.bulk_create(
            Account(kind=Account.Kind.VENDOR, name=f"Sim {run} {i}") for i in range(count))
        users = User.objects.bulk_create(
            User(username=f"sim-{run}-{i}", email=f"sim-{run}-{i}@example.com")
            for i in range(count))
        Membership.objects.bulk_create(
            Membership(user=u, account=a, role=Membership.Role.OWNER)
            for u, a in zip(users, accounts, strict=True))
        brands = Brand.objects.bulk_create(
            Brand(account=a, name=f"Trail {_letters(run + i)}", slug=f"sim-{run}-{i}")
            for i, a in enumerate(accounts))
        stores = Store.objects.bulk_create(
            Store(brand=b, name=b.name, slug=b.slug, draft=base_document(b.name), revision=1)
            for b in brands)
        versions = StoreVersion.objects.bulk_create(
            StoreVersion(store=s, number=1, document=s.draft, source_revision=1,
                         approved_at=START - timedelta(days=90)) for s in stores)
        for store, version in zip(stores, versions, strict=True):
            store.published_version = version
        Store.objects.bulk_update(stores, ["published_version"])
        self.stores = stores
        self.owner = dict(zip((s.pk for s in stores), users, strict=True))
        self.busy: set[int] = set()  # stores with an open submission or a pending fix
        group = Group.objects.get(name="Moderators")
        self.moderators = []
        for name, tz, days, starts, ends, people in SHIFTS:
            team = Team.objects.create(name=name, time_zone=tz)
            for day in days:
                Shift.objects.create(team=team, weekday=day, starts=starts, ends=ends,
                                     moderators=people)
            for i in range(people):
                user = User.objects.create(username=f"mod-{run}-{name}-{i}", is_staff=True)
                user.groups.add(group)
                team.members.add(user)
                self.moderators.append((user, name))
        self.calendar = ShiftCalendar.load()
        self.team_calendars = {
            name: ShiftCalendar([r for r in self.calendar.rules
                                 if r[1] in days and r[2] == starts])
            for name, _tz, days, starts, _e, _p in SHIFTS}

    # --- the event loop --------------------------------------------------------------

    def at(self, when: datetime, kind: str, *payload) -> None:
        if kind in ("arrive", "fix", "resubmit"):
            self.pending += 1
        heapq.heappush(self.events, (when, next(self.seq), kind, payload))

    def run(self) -> None:
        self._arrivals()
        for user, team in self.moderators:
            self.at(START, "free", user, team)
        tick = START
        while tick < START + 2 * WEEK:
            self.at(tick, "sweep")
            tick += SWEEP_EVERY
        while self.events:
            when, _seq, kind, payload = heapq.heappop(self.events)
            if when > START + 2 * WEEK:
                break
            if kind == "sweep" and when > START + WEEK and not self.pending and not self._open():
                break
            if kind in ("arrive", "fix", "resubmit"):
                self.pending -= 1
            getattr(self, f"on_{kind}")(when, *payload)

    def _open(self) -> bool:
        return Submission.objects.filter(status__in=OPEN_STATUSES).exists()

    def _arrivals(self) -> None:
        weights = [DAY_WEIGHT[(h // 24)] * HOUR_WEIGHT[h % 24] for h in range(24 * 7)]
        scale = NORMAL_WEEKLY * self.load / sum(weights)
        for hour, weight in enumerate(weights):
            for _ in range(self._poisson(weight * scale)):
                when = START + timedelta(hours=hour, seconds=self.rng.uniform(0, 3600))
                self.at(when, "arrive")

    def _poisson(self, mean: float) -> int:
        limit, k, p = math.exp(-mean), 0, 1.0
        while True:
            p *= self.rng.random()
            if p <= limit:
                return k
            k += 1

    # --- brands ----------------------------------------------------------------------

    def _change(self, store: Store, kind: str) -> None:
        live = copy.deepcopy(store.published_version.document) if store.published_version \
            else base_document(store.name)
        tiles = live["pages"][0]["sections"][0]["tiles"]
        n = next(self.seq)
        if kind == "blocking":
            tiles[0]["config"]["html"] = "<p>A miracle cure for tired feet.</p>"
        elif kind == "trivial":
            choice = self.rng.choice(["reorder", "text", "limit"])
            if choice == "reorder":
                tiles.reverse()
            elif choice == "text":
                tiles[0]["config"]["html"] = f"<p>Built for the trail, season {n % 97}.</p>"
            else:
                tiles.insert(0, tiles.pop())
        elif kind == "standard":
            tiles.append({"key": f"n{n}", "type": "best_sellers", "config": {"limit": 4}})
        else:  # high: a new page
            live["pages"].append({
                "key": f"p{n}", "parent": "home", "slug": f"sale-{n}", "title": "Sale",
                "sections": [{"key": f"s{n}", "layout": "full", "tiles": [
                    {"key": f"d{n}", "type": "featured_deals", "config": {"limit": 8}}]}]})
        store.draft = live
        store.revision += 1
        store.save(update_fields=["draft", "revision"])

    def _submit(self, when: datetime, store: Store) -> Submission | None:
        try:
            submission = services.submission_create(store=store, user=self.owner[store.pk],
                                                    now=when)
        except DomainError:
            return None
        self.submitted += 1
        self.at(when + timedelta(minutes=2), "checks", submission.pk)
        return submission

    def on_arrive(self, when: datetime) -> None:
        free = [s for s in self.stores if s.pk not in self.busy]
        store = Store.objects.select_related("published_version").get(
            pk=self.rng.choice(free).pk)
        roll = self.rng.random()
        if roll < BLOCKING_SHARE:
            kind = "blocking"
        else:
            pick, kind = self.rng.random(), "high"
            for name, share in KINDS:
                if pick < share:
                    kind = name
                    break
                pick -= share
        self._change(store, kind)
        self.busy.add(store.pk)
        submission = self._submit(when, store)
        if submission is None:  # refused at submission (blocking findings): fixed later
            self.at(when + timedelta(hours=self.rng.uniform(2, 24)), "fix", store.pk)
        elif kind != "blocking" and self.rng.random() < RESUBMIT_WHILE_WAITING:
            self.at(when + timedelta(hours=self.rng.uniform(0.5, 24)), "resubmit", store.pk)

    def on_resubmit(self, when: datetime, store_id: int) -> None:
        store = Store.objects.select_related("published_version").get(pk=store_id)
        if not Submission.objects.filter(store=store, status__in=OPEN_STATUSES).exists():
            return
        tiles = store.draft["pages"][0]["sections"][0]["tiles"]
        text = next((t for t in tiles if t["type"] == "text"), None)
        if text is not None:
            text["config"]["html"] = text["config"]["html"].replace("</p>", " Now.</p>")
        store.save(update_fields=["draft"])
        self._submit(when, store)

    def on_fix(self, when: datetime, store_id: int) -> None:
        store = Store.objects.select_related("published_version").get(pk=store_id)
        self._change(store, self.rng.choice(["trivial", "standard"]))
        self._submit(when, store)

    def on_checks(self, when: datetime, submission_id: int) -> None:
        if not services.submission_checks_start(submission_id=submission_id, now=when):
            return
        submission = Submission.objects.select_related("version", "store__brand").get(
            pk=submission_id)
        findings = document_check(document=submission.version.document,
                                  brand=submission.store.brand)
        result = services.submission_checks_finish(submission_id=submission_id,
                                                   findings=findings, now=when)
        if result is not None:
            self._after_decision(when, result)

    def _after_decision(self, when: datetime, submission: Submission) -> None:
        if submission.status == SubmissionStatus.REJECTED:
            self.at(when + timedelta(hours=self.rng.uniform(2, 24)), "fix", submission.store_id)
        elif submission.status in DECIDED_STATUSES:
            self.busy.discard(submission.store_id)

    # --- moderators ------------------------------------------------------------------

    def on_free(self, when: datetime, user, team: str) -> None:
        calendar = self.team_calendars[team]
        if not calendar.is_on_shift(when):
            upcoming = calendar.windows(when, when + WEEK)
            if upcoming:
                self.at(upcoming[0].start, "free", user, team)
            return
        submission = services.submission_claim_next(moderator=user, now=when)
        if submission is None:
            self.at(when + POLL_EVERY, "free", user, team)
            return
        minutes = self.rng.lognormvariate(math.log(REVIEW_MEDIAN_MINUTES), REVIEW_SIGMA)
        minutes *= SPEED.get(submission.risk, 1.0)
        if self.rng.random() < ABANDON_SHARE:
            walked = self.rng.uniform(1, minutes)
            self.wasted_reviews += 1
            self.wasted_minutes += walked
            self.at(when + timedelta(minutes=walked), "free", user, team)
            return
        beat = when + HEARTBEAT_EVERY
        while beat < when + timedelta(minutes=minutes):
            self.at(beat, "heartbeat", user, submission.pk)
            beat += HEARTBEAT_EVERY
        self.at(when + timedelta(minutes=minutes), "decide", user, team, submission.pk, minutes)

    def on_heartbeat(self, when: datetime, user, submission_id: int) -> None:
        try:
            services.submission_claim_renew(submission=Submission(pk=submission_id),
                                            moderator=user, now=when)
        except DomainError:
            pass  # superseded or taken: the decision will say so

    def on_decide(self, when: datetime, user, team: str, submission_id: int,
                  minutes: float) -> None:
        submission = Submission.objects.select_related("version").get(pk=submission_id)
        try:
            if self.rng.random() < MODERATOR_REJECTS:
                decided = services.submission_reject(
                    submission=submission, moderator=user, now=when,
                    reasons=[{"code": "typos", "tile": None, "note": "Spelling."}])
            else:
                decided = services.submission_approve(submission=submission, moderator=user,
                                                      now=when)
        except DomainError:
            self.wasted_reviews += 1
            self.wasted_minutes += minutes
        else:
            self._after_decision(when, decided)
        self.at(when, "free", user, team)

    # --- sweeps ----------------------------------------------------------------------

    def on_sweep(self, when: datetime) -> None:
        services.submission_leases_expire(now=when)
        result = services.submission_sla_sweep(now=when, calendar=self.calendar)
        if result.at_risk:
            self.alerts += len(result.at_risk)
            if not self.calendar.is_on_shift(when):
                self.alerts_off_shift += len(result.at_risk)
        if when.minute < 15:
            services.forecast_check(now=when, calendar=self.calendar)

    # --- the figures -----------------------------------------------------------------

    def result(self, label: str) -> Result:
        rows = list(Submission.objects.filter(status__in=DECIDED_STATUSES).values_list(
            "wait_started_at", "decided_at", "decided_how"))
        hours = sorted((d - w).total_seconds() / 3600 for w, d, _how in rows)
        late = sum(1 for h in hours if h > 72)
        automated = sum(1 for *_x, how in rows if how == DecidedBy.AUTOMATED)
        lost = Submission.objects.filter(status__in=OPEN_STATUSES).count()
        return Result(
            label=label, submissions=self.submitted, decisions=len(hours),
            within_share=1 - late / len(hours) if hours else 0.0,
            p50_hours=statistics.median(hours) if hours else 0.0,
            p95_hours=hours[max(0, math.ceil(0.95 * len(hours)) - 1)] if hours else 0.0,
            max_hours=hours[-1] if hours else 0.0, late=late, lost=lost,
            alerts=self.alerts, alerts_off_shift=self.alerts_off_shift,
            wasted_reviews=self.wasted_reviews, wasted_hours=self.wasted_minutes / 60,
            automated_share=automated / len(hours) if hours else 0.0,
            forecast_alerts=ForecastAlert.objects.count(),
        )


def simulate(*, load: float, triage: bool, seed: int = 7, stores: int = 900) -> Result:
    """One simulated week (and its drain) at `load` x normal, with or without triage."""
    overrides = {"MODERATION_AUTO_APPROVE": triage,
                 "MODERATION_HIGH_RISK_LEAD_HOURS": 6 if triage else 0,
                 "MODERATION_AUDIT_SHARE": 0.1,
                 "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    # The simulation runs the checks itself, at simulated time (the task would run them at
    # the wall clock's); everything else, e-mails included, runs as in production.
    with override_settings(**overrides), \
            mock.patch("moderation.services.submissions._enqueue_checks"):
        week = _Week(load=load, triage=triage, seed=seed, stores=stores)
        week.run()
        label = f"{load:g}x, {'with' if triage else 'without'} triage"
        return week.result(label)


def table(results: list[Result]) -> str:
    header = (f"{'load':<24} {'subm.':>6} {'decided':>8} {'in SLA':>7} {'p50 h':>6} "
              f"{'p95 h':>6} {'max h':>6} {'late':>5} {'lost':>5} {'alerts':>7} "
              f"{'off shift':>9} {'wasted':>7} {'wasted h':>8} {'auto':>6}")
    lines = [header, "-" * len(header)]
    for r in results:
        off = f"{r.alerts_off_shift / r.alerts:.0%}" if r.alerts else "—"
        lines.append(
            f"{r.label:<24} {r.submissions:>6} {r.decisions:>8} {r.within_share:>7.1%} "
            f"{r.p50_hours:>6.1f} {r.p95_hours:>6.1f} {r.max_hours:>6.1f} {r.late:>5} "
            f"{r.lost:>5} {r.alerts:>7} {off:>9} {r.wasted_reviews:>7} "
            f"{r.wasted_hours:>8.1f} {r.automated_share:>6.0%}")
    return "\n".join(lines)
