"""The moderators' version buttons in the admin: roll back to a version, schedule its
publication, cancel a schedule. Each goes through the service the API uses, only for
moderators, and a refused request changes nothing that shoppers see."""
from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from moderation import services
from moderation.models import SubmissionEvent, SubmissionStatus
from stores.models import StoreVersion
from stores.selectors import live_version_for, stores_changed
from tests import factories
from tests.documents import store_document

pytestmark = pytest.mark.django_db
ADMIN = "/admin/moderation/submission/"
SHOP = "/stores/acme-outdoor/"


def english(moment) -> str:
    """How an English reader's page writes a moment (CLDR "en"): "Nov 30, 2026, 2:05 PM"."""
    return f"{moment:%b} {moment.day}, {moment.year}, {moment:%-I:%M}\u202f{moment:%p}"


@pytest.fixture(autouse=True)
def _fresh_store_routes():
    # Store routes are cached per process; another test may have cached this slug.
    stores_changed()


@pytest.fixture
def mod_client(client, moderator):
    client.force_login(moderator.user)
    return client


@pytest.fixture
def versions(make_submission, moderator, products):
    """v1 "Autumn" and v2 "Winter", both approved through the service; v2 is live."""
    made = {}
    for season in ("Autumn", "Winter"):
        submission = make_submission(
            SubmissionStatus.QUEUED,
            document=store_document([p.asin for p in products], text=f"<p>{season} range</p>"))
        services.submission_approve(submission=submission, moderator=moderator.user)
        made[season.lower()] = StoreVersion.objects.get(pk=submission.version_id)
    return made


@pytest.fixture
def shopper_sees():
    """Which season's text the public Store shows right now (to an anonymous shopper)."""
    shopper = Client()

    def sees() -> str:
        html = shopper.get(SHOP).content.decode()
        seasons = [s for s in ("Autumn", "Winter", "Spring") if f"{s} range" in html]
        assert len(seasons) == 1, seasons
        return seasons[0]

    return sees


@pytest.fixture
def viewer_client(client):
    """Staff who may look at submissions but not decide (not in the Moderators group)."""
    staff = factories.UserFactory(username="staff_viewer", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_submission"),
                               Permission.objects.get(codename="view_storeversion"))
    client.force_login(staff)
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def local(moment) -> str:
    """A datetime-local form value, as the admin's fields send it: in the moderator's time
    zone, UTC for these (English, no zone chosen)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")


def post(client, url, data=None, *, capture):
    # Publishing bumps the Store routes after commit: run those callbacks as a real
    # request would.
    with capture(execute=True):
        return client.post(url, data or {}, follow=True)


# --- the versions page ---------------------------------------------------------------------


def test_the_versions_page_shows_every_version_what_shoppers_see_and_the_buttons(
    mod_client, versions, make_submission, store, django_assert_num_queries
):
    rejected = make_submission(SubmissionStatus.REJECTED)
    autumn, winter = versions["autumn"], versions["winter"]

    # Session, user, Store, live window probe, versions (with submissions and authors);
    # the user's permissions (2): as many whatever the number of versions.
    with django_assert_num_queries(7):
        response = mod_client.get(f"{ADMIN}stores/{store.pk}/versions/")

    page = response.content.decode()
    assert response.status_code == 200
    assert page.index(f'data-version="{rejected.version.number}"') < page.index(
        f'data-version="{winter.number}"') < page.index(f'data-version="{autumn.number}"')
    winter_card = page[page.index(f'data-version="{winter.number}"'):
                       page.index(f'data-version="{autumn.number}"')]
    assert "Shoppers see this now" in winter_card
    assert "Roll back to this version" not in winter_card
    assert f'action="{ADMIN}versions/{autumn.pk}/rollback/"' in page
    assert "Roll back to this version" in page
    assert f'action="{ADMIN}versions/{autumn.pk}/schedule/"' in page
    assert "Not approved: this version cannot go live." in page
    assert f'action="{ADMIN}versions/{rejected.version.pk}/' not in page
    assert page.count('name="csrfmiddlewaretoken"') >= 2


def test_the_review_page_of_an_approved_version_carries_its_version_buttons(
    mod_client, versions, store
):
    autumn = versions["autumn"]

    page = mod_client.get(f"{ADMIN}{autumn.submission.pk}/change/").content.decode()

    assert f'href="{ADMIN}stores/{store.pk}/versions/"' in page
    assert f'action="{ADMIN}versions/{autumn.pk}/rollback/"' in page
    assert f'action="{ADMIN}versions/{autumn.pk}/schedule/"' in page


def test_the_review_page_of_a_waiting_submission_has_no_version_buttons(
    mod_client, make_submission
):
    waiting = make_submission(SubmissionStatus.QUEUED)

    page = mod_client.get(f"{ADMIN}{waiting.pk}/change/").content.decode()

    assert f"versions/{waiting.version.pk}/rollback/" not in page
    assert "All versions of this Store (1)" in page


def test_staff_who_may_only_look_see_the_versions_without_buttons(viewer_client, versions,
                                                                    store):
    page = viewer_client.get(f"{ADMIN}stores/{store.pk}/versions/").content.decode()

    assert "Shoppers see this now" in page
    assert "/rollback/" not in page and "/schedule/" not in page


# --- roll back -----------------------------------------------------------------------------


def test_rolling_back_makes_the_earlier_version_what_shoppers_see(
    mod_client, versions, store, shopper_sees, moderator, django_capture_on_commit_callbacks
):
    autumn = versions["autumn"]
    assert shopper_sees() == "Winter"

    response = post(mod_client, f"{ADMIN}versions/{autumn.pk}/rollback/",
                    {"next": f"{ADMIN}{autumn.submission.pk}/change/"},
                    capture=django_capture_on_commit_callbacks)

    assert response.redirect_chain == [(f"{ADMIN}{autumn.submission.pk}/change/", 302)]
    assert messages_of(response) == [
        f"Version {autumn.number} is the live version again. Shoppers see it now."]
    store.refresh_from_db()
    assert store.published_version == autumn
    assert shopper_sees() == "Autumn"
    assert SubmissionEvent.objects.filter(
        submission=autumn.submission, actor=moderator.user,
        note=f"Rolled back: version {autumn.number} is live again.").exists()


def test_a_rollback_under_a_running_window_says_when_it_shows(
    mod_client, versions, store, django_capture_on_commit_callbacks
):
    autumn, winter = versions["autumn"], versions["winter"]
    ends = timezone.now() + timedelta(days=2)
    StoreVersion.objects.filter(pk=winter.pk).update(
        schedule_starts_at=timezone.now() - timedelta(hours=1), schedule_ends_at=ends)

    response = post(mod_client, f"{ADMIN}versions/{autumn.pk}/rollback/",
                    capture=django_capture_on_commit_callbacks)

    assert messages_of(response) == [
        f"Version {autumn.number} is the live version again. Shoppers see scheduled version "
        f"{winter.number} until {english(ends)} UTC, then version {autumn.number}."]


@pytest.mark.parametrize("who", ["anonymous", "brand_owner", "staff_viewer"])
def test_only_moderators_may_roll_back(client, versions, store, seller, shopper_sees, who,
                                       django_capture_on_commit_callbacks):
    if who == "brand_owner":
        client.force_login(seller.user)
    elif who == "staff_viewer":
        staff = factories.UserFactory(username="staff_viewer", is_staff=True)
        staff.user_permissions.add(Permission.objects.get(codename="view_submission"))
        client.force_login(staff)
    url = f"{ADMIN}versions/{versions['autumn'].pk}/rollback/"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    if who == "staff_viewer":
        assert response.status_code == 403
    else:  # not staff: the admin sends them to its login page
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    store.refresh_from_db()
    assert store.published_version == versions["winter"]
    assert shopper_sees() == "Winter"


def test_rolling_back_to_a_version_that_was_never_approved_is_refused(
    mod_client, versions, make_submission, store, shopper_sees,
    django_capture_on_commit_callbacks
):
    rejected = make_submission(SubmissionStatus.REJECTED)

    response = post(mod_client, f"{ADMIN}versions/{rejected.version.pk}/rollback/",
                    capture=django_capture_on_commit_callbacks)

    assert response.redirect_chain == [(f"{ADMIN}stores/{store.pk}/versions/", 302)]
    assert messages_of(response) == ["Only approved versions can go live."]
    store.refresh_from_db()
    assert store.published_version == versions["winter"]
    assert shopper_sees() == "Winter"


def test_rolling_back_to_the_live_version_is_refused_and_leaves_no_audit_row(
    mod_client, versions, store, django_capture_on_commit_callbacks
):
    winter = versions["winter"]
    events = SubmissionEvent.objects.count()

    response = post(mod_client, f"{ADMIN}versions/{winter.pk}/rollback/",
                    capture=django_capture_on_commit_callbacks)

    assert messages_of(response) == [f"Version {winter.number} is the live version already."]
    assert SubmissionEvent.objects.count() == events


def test_rolling_back_needs_a_post_and_an_existing_version(mod_client, versions):
    autumn = versions["autumn"]

    assert mod_client.get(f"{ADMIN}versions/{autumn.pk}/rollback/").status_code == 405
    assert mod_client.post(f"{ADMIN}versions/999999/rollback/").status_code == 404


def test_a_foreign_next_address_is_ignored(mod_client, versions, store,
                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = mod_client.post(f"{ADMIN}versions/{versions['autumn'].pk}/rollback/",
                                   {"next": "https://evil.example/"})

    assert response["Location"] == f"{ADMIN}stores/{store.pk}/versions/"


def test_the_rollback_button_checks_csrf(moderator, versions, store):
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(moderator.user)

    response = guarded.post(f"{ADMIN}versions/{versions['autumn'].pk}/rollback/")

    assert response.status_code == 403
    store.refresh_from_db()
    assert store.published_version == versions["winter"]


# --- schedule and cancel -------------------------------------------------------------------


def test_scheduling_a_window_ahead_keeps_today_and_shows_the_version_in_its_window(
    mod_client, versions, store, shopper_sees, moderator, django_capture_on_commit_callbacks
):
    autumn = versions["autumn"]
    starts = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    ends = starts + timedelta(days=7)

    response = post(mod_client, f"{ADMIN}versions/{autumn.pk}/schedule/",
                    {"starts_at": local(starts), "ends_at": local(ends)},
                    capture=django_capture_on_commit_callbacks)

    assert messages_of(response) == [
        f"Version {autumn.number} scheduled: live from {english(starts)} UTC to "
        f"{english(ends)} UTC."]
    autumn.refresh_from_db()
    assert (autumn.schedule_starts_at, autumn.schedule_ends_at) == (starts, ends)
    assert shopper_sees() == "Winter"
    store.refresh_from_db()
    assert live_version_for(store=store, at=starts + timedelta(hours=1)) == autumn
    assert live_version_for(store=store, at=ends) == versions["winter"]
    assert "Cancel schedule" in response.content.decode()
    assert SubmissionEvent.objects.filter(
        submission=autumn.submission, actor=moderator.user,
        note__startswith=f"Version {autumn.number} scheduled: live from").exists()


def test_a_window_from_now_shows_at_once_and_cancelling_it_brings_the_evergreen_back(
    mod_client, versions, shopper_sees, django_capture_on_commit_callbacks
):
    autumn, winter = versions["autumn"], versions["winter"]
    # Seconds included: the form's minute value could fall a little before "now".
    starts = timezone.now().astimezone(UTC).replace(microsecond=0)

    post(mod_client, f"{ADMIN}versions/{autumn.pk}/schedule/",
         {"starts_at": starts.strftime("%Y-%m-%dT%H:%M:%S"), "ends_at": ""},
         capture=django_capture_on_commit_callbacks)
    assert shopper_sees() == "Autumn"

    response = post(mod_client, f"{ADMIN}versions/{autumn.pk}/unschedule/",
                    capture=django_capture_on_commit_callbacks)

    assert messages_of(response) == [
        f"The schedule of version {autumn.number} is cancelled. Shoppers see version "
        f"{winter.number}."]
    autumn.refresh_from_db()
    assert autumn.schedule_starts_at is None
    assert shopper_sees() == "Winter"


def later(days: float) -> str:
    return local(timezone.now() + timedelta(days=days))


@pytest.mark.parametrize(("form", "message"), [
    (lambda: {"starts_at": later(-1)}, "is in the past; give a time from now on."),
    (lambda: {"starts_at": ""}, "Give the date and time from which the version is live."),
    (lambda: {"starts_at": "next friday"}, "'next friday' is not a date and time."),
    (lambda: {"starts_at": later(3), "ends_at": later(2)},
     "The window must end after it starts."),
    (lambda: {"starts_at": later(5)}, "overlaps version"),
])
def test_a_bad_schedule_is_refused_with_the_reason_and_changes_nothing(
    mod_client, versions, store, make_submission, moderator, shopper_sees, form, message,
    django_capture_on_commit_callbacks
):
    autumn, winter = versions["autumn"], versions["winter"]
    booked_start = timezone.now() + timedelta(days=4)
    services.version_schedule(version=winter, starts_at=booked_start,
                              ends_at=booked_start + timedelta(days=2))

    response = post(mod_client, f"{ADMIN}versions/{autumn.pk}/schedule/", form(),
                    capture=django_capture_on_commit_callbacks)

    [shown] = messages_of(response)
    assert message in shown
    autumn.refresh_from_db()
    assert (autumn.schedule_starts_at, autumn.schedule_ends_at) == (None, None)
    assert shopper_sees() == "Winter"


def test_scheduling_a_version_that_was_never_approved_is_refused(
    mod_client, make_submission, django_capture_on_commit_callbacks
):
    waiting = make_submission(SubmissionStatus.QUEUED)

    response = post(mod_client, f"{ADMIN}versions/{waiting.version.pk}/schedule/",
                    {"starts_at": later(2)}, capture=django_capture_on_commit_callbacks)

    assert messages_of(response) == ["Only approved versions can be scheduled."]
    waiting.version.refresh_from_db()
    assert waiting.version.schedule_starts_at is None


def test_cancelling_when_nothing_is_scheduled_says_so(
    mod_client, versions, django_capture_on_commit_callbacks
):
    autumn = versions["autumn"]
    events = SubmissionEvent.objects.count()

    response = post(mod_client, f"{ADMIN}versions/{autumn.pk}/unschedule/",
                    capture=django_capture_on_commit_callbacks)

    assert messages_of(response) == [
        f"Version {autumn.number} has no scheduled publication to cancel; nothing changed."]
    assert SubmissionEvent.objects.count() == events


@pytest.mark.parametrize("action", ["schedule", "unschedule"])
@pytest.mark.parametrize("who", ["brand_owner", "staff_viewer"])
def test_only_moderators_may_schedule_or_cancel(client, versions, seller, who, action,
                                                shopper_sees):
    autumn = versions["autumn"]
    starts = timezone.now() + timedelta(days=2)
    services.version_schedule(version=autumn, starts_at=starts)
    if who == "brand_owner":
        client.force_login(seller.user)
    else:
        staff = factories.UserFactory(username="staff_viewer", is_staff=True)
        staff.user_permissions.add(Permission.objects.get(codename="view_submission"))
        client.force_login(staff)

    response = client.post(f"{ADMIN}versions/{autumn.pk}/{action}/",
                           {"starts_at": later(1)})

    assert response.status_code == (403 if who == "staff_viewer" else 302)
    autumn.refresh_from_db()
    assert autumn.schedule_starts_at == starts
    assert shopper_sees() == "Winter"
