"""Moderation under load, by time travel: the fair clock, triage and automated approval,
the on-shift at-risk rule, the forecast, leases, bulk work, the embedded sweeps."""
from __future__ import annotations

import copy
from datetime import UTC, datetime, time, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from config.api import DomainError
from moderation import services
from moderation.apps import escalation_check
from moderation.forecast import forecast
from moderation.models import (
    DecidedBy,
    Risk,
    Shift,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
    Team,
)
from moderation.scheduler import run_once
from moderation.selectors import sla_report
from moderation.sla import ShiftCalendar, sla_state
from stores.models import Asset, Store, StoreVersion
from tests import factories

pytestmark = pytest.mark.django_db
S = SubmissionStatus
# A Thursday, 10:00 in Amsterdam.
T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@pytest.fixture
def live_store(store, seller):
    """The Store with its current draft published (version 1) and the brand's other
    Stores beside the point: the next submission is judged against this version."""
    version = StoreVersion.objects.create(
        store=store, number=1, document=copy.deepcopy(store.draft),
        source_revision=store.revision, created_by=seller.user, approved_at=T0 - timedelta(days=60))
    store.published_version = version
    store.save(update_fields=["published_version"])
    return store


def edit(store: Store, change) -> Store:
    draft = copy.deepcopy(store.draft)
    change(draft)
    store.draft = draft
    store.revision += 1
    store.save(update_fields=["draft", "revision"])
    return store


def submit(store, seller, capture, *, now=T0) -> Submission:
    with capture(execute=True):
        submission = services.submission_create(store=store, user=seller.user, now=now)
    submission.refresh_from_db()
    return submission


def home_tiles(draft) -> list:
    return draft["pages"][0]["sections"][0]["tiles"]


# --- the fair clock ------------------------------------------------------------------------


def test_a_resubmission_while_waiting_keeps_the_deadline_and_place_and_breaches_on_time(
    live_store, seller, moderator, make_submission, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    edit(live_store, lambda d: d.update(name="Acme Outdoor Winter"))
    first = submit(live_store, seller, capture, now=T0)
    # Another brand's Store submitted ten hours later.
    other_store = factories.StoreFactory(brand=seller.brand, draft=live_store.draft)
    later = make_submission(S.QUEUED, target=other_store, submitted_at=T0 + timedelta(hours=10))

    edit(live_store, lambda d: d.update(name="Acme Outdoor Winter Sale"))
    second = submit(live_store, seller, capture, now=T0 + timedelta(hours=30))

    first.refresh_from_db()
    assert first.status == S.SUPERSEDED
    assert (second.wait_started_at, second.sla_deadline) == (T0, T0 + timedelta(hours=72))
    assert second.queue_at <= first.queue_at
    assert services.submission_claim_next(moderator=moderator.user,
                                          now=T0 + timedelta(hours=31)).pk == second.pk
    # The breach is the brand's: 72 h after its first submission, not the row's.
    swept = services.submission_sla_sweep(now=T0 + timedelta(hours=72))
    assert second.pk in swept.breached and later.pk not in swept.breached
    services.submission_approve(submission=second, moderator=moderator.user,
                                now=T0 + timedelta(hours=80))
    report = sla_report(now=T0 + timedelta(hours=81), calendar=ShiftCalendar())
    assert (report.moderators.decided, report.moderators.median_hours,
            report.moderators.within_sla_share) == (1, 80.0, 0.0)


def test_a_draft_identical_to_the_waiting_submission_or_the_live_version_is_refused(
    live_store, seller, django_capture_on_commit_callbacks
):
    with pytest.raises(DomainError) as refused:
        services.submission_create(store=live_store, user=seller.user, now=T0)
    assert (refused.value.code, refused.value.message) == (
        "nothing_changed", "Nothing changed since version 1.")
    edit(live_store, lambda d: d.update(name="Renamed"))
    waiting = submit(live_store, seller, django_capture_on_commit_callbacks)

    with pytest.raises(DomainError) as again:
        services.submission_create(store=live_store, user=seller.user, now=T0)

    assert again.value.message == f"Nothing changed since version {waiting.version.number}."
    assert Submission.objects.filter(store=live_store).count() == 1
    assert StoreVersion.objects.filter(store=live_store).count() == 2


def test_the_api_refuses_an_unchanged_draft_with_400_and_lists_how_decisions_were_made(
    live_store, seller, client
):
    client.force_login(seller.user)
    url = f"/api/v1/stores/{live_store.pk}/submissions/"

    refused = client.post(url)

    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "nothing_changed"
    assert not Submission.objects.filter(store=live_store).exists()


# --- triage and automated approval ---------------------------------------------------------


def test_a_trivial_change_that_passes_every_check_is_approved_automatically(
    live_store, seller, settings, django_capture_on_commit_callbacks, client
):
    settings.MODERATION_AUDIT_SHARE = 1.0  # every one sampled, so the test sees it
    edit(live_store, lambda d: home_tiles(d).reverse())
    edit(live_store, lambda d: home_tiles(d)[0]["config"].update(hide_out_of_stock=True))

    submission = submit(live_store, seller, django_capture_on_commit_callbacks)

    assert (submission.risk, submission.status) == (Risk.TRIVIAL, S.PUBLISHED)
    assert {r["code"] for r in submission.risk_reasons} == {"reorder", "oos_toggle"}
    assert (submission.decided_how, submission.decided_by) == (DecidedBy.AUTOMATED, None)
    assert submission.audit_requested_at is not None
    live_store.refresh_from_db()
    assert live_store.published_version_id == submission.version_id
    notes = list(submission.events.values_list("note", flat=True))
    assert any(n.startswith("Approved automatically: a trivial change (reordered")
               for n in notes)
    assert "Sampled for audit after publication." in notes
    client.force_login(seller.user)
    listed = client.get(f"/api/v1/stores/{live_store.pk}/submissions/").json()
    assert (listed[0]["status"], listed[0]["decided_by"]) == ("published", "automated")


def test_a_small_text_edit_is_trivial_and_a_long_one_standard(
    live_store, seller, django_capture_on_commit_callbacks
):
    edit(live_store, lambda d: home_tiles(d)[1]["config"].update(
        html="<p>Built for the trails.</p>"))
    small = submit(live_store, seller, django_capture_on_commit_callbacks)
    edit(live_store, lambda d: home_tiles(d)[1]["config"].update(
        html="<p>" + "A whole new story about our brand and its long history. " * 3 + "</p>"))
    long = submit(live_store, seller, django_capture_on_commit_callbacks,
                  now=T0 + timedelta(hours=1))

    assert (small.risk, small.decided_how) == (Risk.TRIVIAL, DecidedBy.AUTOMATED)
    assert (long.risk, long.status, long.decided_how) == (Risk.STANDARD, S.QUEUED, "")


def test_automated_approval_can_be_switched_off(
    live_store, seller, settings, django_capture_on_commit_callbacks
):
    settings.MODERATION_AUTO_APPROVE = False
    edit(live_store, lambda d: home_tiles(d).reverse())

    submission = submit(live_store, seller, django_capture_on_commit_callbacks)

    assert (submission.risk, submission.status) == (Risk.TRIVIAL, S.QUEUED)


def _new_image(d, asset):
    home_tiles(d).append({"key": "t9", "type": "image",
                          "config": {"asset": asset, "alt": "Autumn trail shoes"}})


def _new_page(d, asset):
    d["pages"].append({"key": "p9", "parent": "home", "slug": "sale", "title": "Sale",
                       "sections": [{"key": "s9", "layout": "full", "tiles": [
                           {"key": "t8", "type": "best_sellers", "config": {"limit": 4}}]}]})


def _new_link(d, asset):
    home_tiles(d)[1]["config"]["html"] = (
        '<p>Built for the <a href="https://elsewhere.example/">trail</a>.</p>')


def _new_video(d, asset):
    home_tiles(d).append({"key": "t7", "type": "video", "config": {
        "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "title": "On the trail",
        "provider": "youtube", "video_id": "dQw4w9WgXcQ", "poster": None}})


@pytest.mark.parametrize(("change", "reason"), [
    (_new_image, "new_image"), (_new_video, "new_image"), (_new_page, "new_page"),
    (_new_link, "new_link"),
])
def test_high_risk_changes_are_never_approved_automatically(
    live_store, seller, django_capture_on_commit_callbacks, change, reason
):
    asset = Asset.objects.create(brand=seller.brand, file="assets/wide.png", sha256="w" * 64,
                                 content_type="image/png", width=1600, height=900)
    # Each also comes with a trivial reorder: the risky part decides.
    edit(live_store, lambda d: (home_tiles(d).reverse(), change(d, asset.pk)))

    submission = submit(live_store, seller, django_capture_on_commit_callbacks)

    assert submission.risk == Risk.HIGH
    assert reason in [r["code"] for r in submission.risk_reasons]
    # Never published without a moderator (its checks may still reject it on their own).
    assert submission.status in (S.QUEUED, S.REJECTED)
    assert submission.store.published_version.number == 1
    # High-risk items surface earlier than their deadline.
    assert submission.queue_at < submission.sla_deadline


def test_the_first_store_of_a_brand_is_high_risk(store, seller,
                                                 django_capture_on_commit_callbacks):
    submission = submit(store, seller, django_capture_on_commit_callbacks)

    assert submission.risk == Risk.HIGH
    assert [r["code"] for r in submission.risk_reasons] == ["first_version", "first_store"]
    assert submission.status == S.QUEUED


def test_the_first_version_of_a_brands_next_store_is_high_risk(
    live_store, seller, django_capture_on_commit_callbacks
):
    # The brand has a live Store, so only this Store's first version makes it risky.
    second = factories.StoreFactory(brand=seller.brand, slug="acme-second", name="Acme Two",
                                    revision=1, draft=copy.deepcopy(live_store.draft))

    submission = submit(second, seller, django_capture_on_commit_callbacks)

    assert submission.risk == Risk.HIGH
    assert [r["code"] for r in submission.risk_reasons] == ["first_version"]
    assert (submission.status, submission.decided_how) == (S.QUEUED, "")
    second.refresh_from_db()
    assert second.published_version is None


def test_a_brand_with_a_recent_rejection_is_high_risk(
    live_store, seller, make_submission, django_capture_on_commit_callbacks
):
    make_submission(S.REJECTED, submitted_at=T0 - timedelta(days=3),
                    decided_at=T0 - timedelta(days=2), decided_how=DecidedBy.MODERATOR,
                    document={"pages": []})
    edit(live_store, lambda d: home_tiles(d).reverse())

    submission = submit(live_store, seller, django_capture_on_commit_callbacks)

    assert submission.risk == Risk.HIGH
    assert [r["code"] for r in submission.risk_reasons] == ["recent_rejection"]
    assert submission.status == S.QUEUED


def test_a_crashing_check_run_in_process_becomes_a_finding_not_an_error(
    live_store, seller, monkeypatch, django_capture_on_commit_callbacks
):
    from moderation import tasks

    def broken(**kwargs):
        raise RuntimeError("a check crashed")

    monkeypatch.setattr(tasks, "document_check", broken)
    edit(live_store, lambda d: home_tiles(d).reverse())

    submission = submit(live_store, seller, django_capture_on_commit_callbacks)

    # A trivial change, but a check could not run: a moderator looks at it.
    assert submission.status == S.QUEUED
    assert list(submission.findings.values_list("check_name", flat=True)) == ["checks_failed"]


# --- shifts: at risk in on-shift hours -----------------------------------------------------


@pytest.fixture
def weekday_team(db, moderator):
    team = Team.objects.create(name="Amsterdam", time_zone="Europe/Amsterdam")
    team.members.add(moderator.user)
    for day in range(5):
        Shift.objects.create(team=team, weekday=day, starts=time(9), ends=time(17))
    return team


def test_at_risk_counts_on_shift_hours_so_the_alert_fires_before_the_weekend(
    make_submission, weekday_team, settings, django_capture_on_commit_callbacks
):
    settings.MODERATION_LEADS = ["lead@storefront.example"]
    # Friday 16:00 in Amsterdam: the deadline is Monday 16:00, 72 h away, but only one
    # hour of Friday's shift and seven of Monday's are left before it.
    friday = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
    submission = make_submission(S.QUEUED, submitted_at=friday)
    calendar = ShiftCalendar.load()

    assert calendar.on_shift(friday, submission.sla_deadline) == timedelta(hours=8)
    with django_capture_on_commit_callbacks(execute=True):
        swept = services.submission_sla_sweep(now=friday, calendar=calendar)

    assert swept.at_risk == [submission.pk]
    assert calendar.is_on_shift(friday)  # the alert comes while someone can act
    assert sla_state(submission=submission, now=friday, calendar=calendar) == "at_risk"
    assert sla_state(submission=submission, now=friday) == "on_track"  # by the wall clock
    assert len(mail.outbox) == 1


def test_a_thursday_submission_turns_at_risk_during_fridays_shift_not_on_sunday(
    make_submission, weekday_team
):
    # Thursday 10:00 in Amsterdam; deadline Sunday 10:00, when nobody works.
    submission = make_submission(S.QUEUED, submitted_at=T0)
    calendar = ShiftCalendar.load()

    thursday_noon = T0 + timedelta(hours=2)
    assert services.submission_sla_sweep(now=thursday_noon, calendar=calendar).at_risk == []
    friday_0930 = datetime(2026, 11, 27, 8, 30, tzinfo=UTC)
    assert services.submission_sla_sweep(now=friday_0930,
                                         calendar=calendar).at_risk == [submission.pk]
    assert calendar.is_on_shift(friday_0930)
    # By the wall clock it would have waited until Saturday 22:00 (12 h before).
    assert sla_state(submission=submission, now=friday_0930) == "on_track"


# --- the forecast --------------------------------------------------------------------------


def test_the_forecast_turns_red_and_the_leads_are_emailed_once(
    make_submission, weekday_team, settings, django_capture_on_commit_callbacks
):
    settings.MODERATION_LEADS = ["lead@storefront.example"]
    settings.MODERATION_REVIEW_MINUTES = 60  # one moderator: eight decisions a day
    monday = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    for i in range(6):
        make_submission(S.QUEUED, submitted_at=monday - timedelta(minutes=i),
                        target=factories.StoreFactory(draft={}))
    with django_capture_on_commit_callbacks(execute=True):
        green = services.forecast_check(now=monday)
    assert (green.red, green.misses) == (False, 0)

    for i in range(30):
        make_submission(S.QUEUED, submitted_at=monday + timedelta(minutes=i),
                        target=factories.StoreFactory(draft={}))
    with django_capture_on_commit_callbacks(execute=True):
        red = services.forecast_check(now=monday + timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        again = services.forecast_check(now=monday + timedelta(hours=2))

    # 36 waiting; before their Thursday 09:00 deadlines one moderator has 7 + 8 + 8 hours
    # of shifts at an hour a review: 23 decided in time, 13 will miss.
    assert (red.red, red.misses) == (True, 13)
    assert red.first_miss_at.date() == (monday + timedelta(hours=72)).date()
    assert again.red
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == (
        "Moderation forecast: 13 submissions will miss their deadline")
    # In the lead's time zone (no preferences: the site's), the zone named.
    assert "the first on Nov 26, 2026, " in mail.outbox[0].body
    assert " UTC." in mail.outbox[0].body

    Submission.objects.filter(status=S.QUEUED).update(status=S.SUPERSEDED)
    cleared = services.forecast_check(now=monday + timedelta(hours=3))
    assert not cleared.red
    assert forecast(now=monday).open == 0


# --- leases --------------------------------------------------------------------------------


def test_the_heartbeat_renews_the_claim_and_a_lapsed_untaken_claim_can_still_be_decided(
    make_submission, moderator
):
    submission = make_submission(S.QUEUED, submitted_at=T0)
    services.submission_claim(submission=submission, moderator=moderator.user, now=T0)

    services.submission_claim_renew(submission=submission, moderator=moderator.user,
                                    now=T0 + timedelta(minutes=25))
    assert services.submission_leases_expire(now=T0 + timedelta(minutes=31)) == []
    submission.refresh_from_db()
    assert submission.claim_expires_at == T0 + timedelta(minutes=55)
    assert submission.events.count() == 1  # the claim; renewals are not audited

    # Lapsed and swept back to the queue, nobody took it: its holder still decides.
    assert services.submission_leases_expire(now=T0 + timedelta(minutes=56)) == [submission.pk]
    services.submission_approve(submission=submission, moderator=moderator.user,
                                now=T0 + timedelta(minutes=70))
    submission.refresh_from_db()
    assert (submission.status, submission.decided_by) == (S.PUBLISHED, moderator.user)


def test_the_heartbeat_api_answers_409_when_another_moderator_holds_the_claim(
    make_submission, moderator, client
):
    submission = make_submission(S.QUEUED)
    other = factories.UserFactory(username="other-mod", is_staff=True)
    from django.contrib.auth.models import Group
    other.groups.add(Group.objects.get(name="Moderators"))
    services.submission_claim(submission=submission, moderator=other)
    client.force_login(moderator.user)
    url = reverse("moderation-heartbeat", args=[submission.pk])

    refused = client.post(url)

    assert refused.status_code == 409
    submission.refresh_from_db()
    assert submission.claimed_by == other


def test_signing_out_gives_the_claims_back(make_submission, moderator, client):
    submission = make_submission(S.QUEUED)
    client.force_login(moderator.user)
    renewed = client.post(reverse("moderation-heartbeat", args=[submission.pk]))
    assert renewed.status_code == 200 and renewed.json()["claimed_by"] == moderator.user.username

    client.post(reverse("admin:logout"))

    submission.refresh_from_db()
    assert (submission.status, submission.claimed_by) == (S.QUEUED, None)


# --- bulk work -----------------------------------------------------------------------------


def test_bulk_approval_decides_each_submission_on_its_own_and_refuses_high_risk(
    make_submission, moderator
):
    stores = [factories.StoreFactory(draft={}) for _ in range(3)]
    standard = [make_submission(S.QUEUED, target=s, risk=Risk.STANDARD) for s in stores[:2]]
    high = make_submission(S.QUEUED, target=stores[2], risk=Risk.HIGH)

    result = services.submissions_bulk_approve(submissions=[*standard, high],
                                               moderator=moderator.user)

    assert result.done == [s.pk for s in standard]
    assert [pk for pk, _why in result.refused] == [high.pk]
    for submission in standard:
        submission.refresh_from_db()
        assert (submission.status, submission.decided_how) == (S.PUBLISHED, "moderator")
        assert SubmissionEvent.objects.filter(submission=submission,
                                              to_status=S.PUBLISHED).count() == 1
    high.refresh_from_db()
    assert high.status == S.QUEUED


def test_the_bulk_reject_action_in_the_queue_needs_a_reason(make_submission, moderator, client):
    submission = make_submission(S.QUEUED, risk=Risk.STANDARD)
    client.force_login(moderator.user)
    url = reverse("admin:moderation_submission_changelist")
    body = {"action": "bulk_reject", "_selected_action": [submission.pk], "index": 0}

    client.post(url, {**body, "reason": ""})
    submission.refresh_from_db()
    assert submission.status == S.QUEUED

    client.post(url, {**body, "reason": "typos", "note": "Spelling on the home page."})
    submission.refresh_from_db()
    assert submission.status == S.REJECTED
    assert list(submission.reasons.values_list("code", "note")) == [
        ("typos", "Spelling on the home page.")]


# --- nothing depends on a process that may not run -----------------------------------------


def test_the_embedded_scheduler_runs_every_sweep(make_submission, moderator):
    stale = make_submission(S.QUEUED, submitted_at=T0 - timedelta(days=4))
    services.submission_claim(submission=stale, moderator=moderator.user,
                              now=T0 - timedelta(days=3))

    run_once(tick=0, manage_connections=False)

    stale.refresh_from_db()
    assert (stale.status, stale.claimed_by) == (S.QUEUED, None)
    assert stale.breached_at is not None


def test_escalation_to_nobody_is_a_deploy_warning_and_an_admin_banner(settings, moderator,
                                                                       client):
    settings.MODERATION_LEADS = []
    assert [m.id for m in escalation_check()] == ["moderation.W001"]
    client.force_login(moderator.user)
    page = client.get(reverse("admin:moderation_submission_changelist"))
    assert b'data-banner="escalation-nobody"' in page.content

    settings.MODERATION_LEADS = ["lead@storefront.example"]
    assert escalation_check() == []
    page = client.get(reverse("admin:moderation_submission_changelist"))
    assert b'data-banner="escalation-nobody"' not in page.content
