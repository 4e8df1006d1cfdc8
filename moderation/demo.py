"""Demo moderation data: submissions waiting in the queue and a month of past decisions.

Runs after the stores demo (which publishes `acme-outdoor` and `nordic-home`). Idempotent:
a Store that already has an open submission gets no new one; the history is made once.
"""
from __future__ import annotations

import copy
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Max
from django.utils import timezone

from stores.models import Store, StoreVersion
from stores.services import store_draft_save

from . import services
from .models import OPEN_STATUSES, RejectionReason, Submission, SubmissionEvent
from .tasks import submission_run_checks

HISTORY_NOTE = "Demo history."
# (store slug, hours before now it was submitted, hours the decision took, outcome)
HISTORY = [
    ("acme-outdoor", 24 * 26, 9, "published"),
    ("nordic-home", 24 * 22, 31, "rejected"),
    ("acme-outdoor", 24 * 18, 52, "published"),
    ("nordic-home", 24 * 14, 20, "published"),
    ("acme-outdoor", 24 * 9, 78, "rejected"),
    ("nordic-home", 24 * 6, 44, "published"),
    ("acme-outdoor", 24 * 3, 14, "rejected"),
]


def _changed_acme(document: dict) -> dict:
    """The seller's next version: an autumn-sale banner text and a retitled sub-page."""
    document = copy.deepcopy(document)
    home = document["pages"][0]
    home["sections"].insert(1, {"key": "autumn-s1", "layout": "full", "tiles": [
        {"key": "autumn-t1", "type": "text", "config": {
            "html": "<h2>Autumn on the trail</h2><p>Warm layers and storm-proof tents for "
                    "shorter days. Up to 30 % off selected tents until the end of the "
                    "month.</p>",
            "align": "center"}},
    ]})
    for page in document["pages"][1:2]:
        page["title"] = f"{page['title']} & more"
    return document


def _changed_nordic(document: dict) -> dict:
    document = copy.deepcopy(document)
    document["pages"][0]["sections"].append({"key": "winter-s1", "layout": "full", "tiles": [
        {"key": "winter-t1", "type": "text", "config": {
            "html": "<h2>Winter evenings</h2><p>Wool throws and candles for the long nights."
                    "</p>", "align": "start"}},
    ]})
    return document


def _submit(store: Store, *, user, document: dict, hours_ago: float) -> Submission:
    store = store_draft_save(store=store, user=user, document=document,
                             base_revision=store.revision)
    submission = services.submission_create(
        store=store, user=user, now=timezone.now() - timedelta(hours=hours_ago))
    # Run the checks now, so the submission is already in the queue when the demo starts.
    submission_run_checks(submission.pk)
    submission.refresh_from_db()
    return submission


def _history(stores: dict[str, Store], moderator) -> int:
    if SubmissionEvent.objects.filter(note=HISTORY_NOTE).exists():
        return 0
    now = timezone.now()
    made = 0
    # The Store's first version predates its history; each approved history version then
    # went live in turn, so the live version is the last one a moderator approved.
    for store in stores.values():
        if store is not None and store.published_version is not None:
            StoreVersion.objects.filter(pk=store.published_version_id).update(
                created_at=now - timedelta(days=30), approved_at=now - timedelta(days=30))
    for slug, hours_ago, took, outcome in HISTORY:
        store = stores.get(slug)
        if store is None or store.published_version is None:
            continue
        submitted_at = now - timedelta(hours=hours_ago)
        decided_at = submitted_at + timedelta(hours=took)
        number = (store.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = StoreVersion.objects.create(
            store=store, number=number, document=store.published_version.document,
            source_revision=store.revision, created_by=store.created_by,
            approved_at=decided_at if outcome == "published" else None,
        )
        submission = Submission.objects.create(
            store=store, version=version, submitted_by=store.created_by,
            submitted_at=submitted_at, wait_started_at=submitted_at,
            sla_deadline=submitted_at + timedelta(hours=settings.MODERATION_SLA_HOURS),
            queue_at=submitted_at + timedelta(hours=settings.MODERATION_SLA_HOURS),
            status=outcome, decided_at=decided_at, decided_by=moderator,
            decided_how="moderator",
            checks_started_at=submitted_at, checks_finished_at=submitted_at,
            breached_at=submitted_at + timedelta(hours=72) if took > 72 else None,
        )
        StoreVersion.objects.filter(pk=version.pk).update(created_at=submitted_at)
        if outcome == "published":
            store.published_version = version
            store.save(update_fields=["published_version"])
        SubmissionEvent.objects.create(submission=submission, actor=moderator,
                                       from_status="in_review", to_status=outcome,
                                       note=HISTORY_NOTE, created_at=decided_at)
        if outcome == "rejected":
            RejectionReason.objects.create(submission=submission, code="low_quality_image",
                                           tile=None, note="The banner image is blurry.")
        made += 1
    return made


def _team(*, moderator, lead) -> None:
    """One moderator team with office hours on weekdays and a Saturday shift."""
    from datetime import time

    from .models import Shift, Team

    team, created = Team.objects.get_or_create(name="Moderators EU",
                                               defaults={"time_zone": "Europe/Amsterdam"})
    if not created:
        return
    if moderator is not None:
        team.members.add(moderator)
    if lead is not None:
        team.leads.add(lead)
    Shift.objects.bulk_create(
        [Shift(team=team, weekday=day, starts=time(9), ends=time(17)) for day in range(5)]
        + [Shift(team=team, weekday=5, starts=time(10), ends=time(16))])


def seed(*, password: str, stdout=None) -> list[str]:
    site = settings.SITE_URL.rstrip("/")
    users = get_user_model().objects
    stores = {s.slug: s for s in Store.objects.filter(slug__in=["acme-outdoor", "nordic-home"])
              .select_related("published_version")}
    acme = stores.get("acme-outdoor")
    seller = users.filter(username="seller").first()
    moderator = users.filter(username="moderator").first()
    if acme is None or acme.published_version is None or seller is None:
        return ["Moderation demo skipped: the published Store acme-outdoor or the user "
                "seller is missing (seed the stores demo first)."]
    made = _history(stores, moderator)
    _team(moderator=moderator, lead=users.filter(username="admin").first())
    lines = []
    waiting = Submission.objects.filter(store=acme, status__in=OPEN_STATUSES).first()
    if waiting is None:
        if stdout:
            stdout.write("  submitting a changed draft of acme-outdoor for review…")
        waiting = _submit(acme, user=seller, document=_changed_acme(
            acme.published_version.document), hours_ago=20)
    nordic, vendor = stores.get("nordic-home"), users.filter(username="vendor").first()
    if (nordic is not None and nordic.published_version is not None and vendor is not None
            and not Submission.objects.filter(store=nordic, status__in=OPEN_STATUSES).exists()):
        # Submitted 62 hours ago: at risk, so the queue shows the marker.
        _submit(nordic, user=vendor, document=_changed_nordic(
            nordic.published_version.document), hours_ago=62)
    queue = f"{site}/admin/moderation/submission/"
    lines.append(f"Moderation queue (log in as moderator): {queue}")
    lines.append(f"  Acme Outdoor v{waiting.version.number} waits for review "
                 f"({waiting.get_status_display().lower()}): {queue}{waiting.pk}/change/")
    lines.append(f"  SLA report: {queue}sla-report/" + (f" ({made} past decisions added)"
                                                         if made else ""))
    return lines
