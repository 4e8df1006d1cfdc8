"""Times are read and typed in the reader's own time zone, named; what the system wrote
(automated findings, automated approvals, history notes) is read in the reader's language;
the admin names its models in the reader's language."""
from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.test import Client
from django.utils import translation

from catalog.preferences import preferences_set
from moderation import services
from moderation.checks import document_check
from moderation.models import CheckFinding, Risk, SubmissionEvent, SubmissionStatus
from stores.models import StoreVersion
from tests import factories
from tests.documents import home_document, section, tile

pytestmark = pytest.mark.django_db
ADMIN = "/admin/moderation/submission/"


@pytest.fixture(autouse=True)
def _site_language_afterwards():
    # A request leaves its reader's language active in this thread: later tests expect
    # the site's.
    yield
    translation.activate("en")


def signed_in(user, *, language: str, time_zone: str) -> Client:
    preferences_set(user=user, language=language, time_zone=time_zone)
    client = Client()
    client.force_login(user)  # copies the preferences into the session, as a sign-in does
    return client


def approved_version(make_submission, moderator) -> StoreVersion:
    submission = make_submission(SubmissionStatus.QUEUED)
    services.submission_approve(submission=submission, moderator=moderator.user)
    return StoreVersion.objects.get(pk=submission.version_id)


def visible_text(html: str) -> str:
    """The page without its tags and attribute values (a <time datetime> holds +00:00)."""
    return re.sub(r"<[^>]+>", " ", html)


# --- times typed by a moderator are read in their zone -------------------------------------


@pytest.mark.parametrize(("typed", "stored"), [
    ("2027-01-15T10:00", datetime(2027, 1, 15, 9, 0, tzinfo=UTC)),   # CET, UTC+1
    ("2027-07-15T10:00", datetime(2027, 7, 15, 8, 0, tzinfo=UTC)),   # CEST, UTC+2
])
def test_a_moderator_in_amsterdam_schedules_10_00_amsterdam_time(
        make_submission, moderator, typed, stored):
    version = approved_version(make_submission, moderator)
    client = signed_in(moderator.user, language="en", time_zone="Europe/Amsterdam")

    response = client.post(f"{ADMIN}versions/{version.pk}/schedule/",
                           {"starts_at": typed, "ends_at": ""}, follow=True)

    version.refresh_from_db()
    assert response.status_code == 200
    assert version.schedule_starts_at == stored
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [f"Version {version.number} scheduled: live from "
                        f"{stored:%b} {stored.day}, {stored.year}, 10:00\u202fAM "
                        f"{'CET' if stored.month == 1 else 'CEST'}, with no end."]


def test_the_approve_form_schedules_in_the_moderators_zone_and_says_which(
        make_submission, moderator):
    submission = make_submission(SubmissionStatus.QUEUED)
    client = signed_in(moderator.user, language="en", time_zone="Europe/Amsterdam")

    page = client.get(f"{ADMIN}{submission.pk}/change/").content.decode()
    client.post(f"{ADMIN}{submission.pk}/approve/",
                {"starts_at": "2027-07-01T10:00", "ends_at": "2027-07-08T10:00", "note": ""})

    version = StoreVersion.objects.get(pk=submission.version_id)
    assert (version.schedule_starts_at, version.schedule_ends_at) == (
        datetime(2027, 7, 1, 8, 0, tzinfo=UTC), datetime(2027, 7, 8, 8, 0, tzinfo=UTC))
    assert "Starts (Europe/Amsterdam time)" in page
    assert "times in Europe/Amsterdam" in page
    assert "UTC" not in visible_text(page)


def test_every_time_on_the_versions_page_carries_the_moderators_zone(
        make_submission, moderator, store):
    version = approved_version(make_submission, moderator)
    services.version_schedule(version=version, starts_at=datetime(2027, 1, 15, 9, 0, tzinfo=UTC))
    client = signed_in(moderator.user, language="nl", time_zone="Europe/Amsterdam")

    page = client.get(f"{ADMIN}stores/{store.pk}/versions/").content.decode()

    text = " ".join(visible_text(page).split())
    assert "UTC" not in text
    assert "15 jan 2027, 10:00 CET" in text  # Dutch: months in lower case
    assert "tijden staan in jouw tijdzone, Europe/Amsterdam" in text
    history = client.get(f"{ADMIN}{version.submission.pk}/change/").content.decode()
    assert (f"Versie {version.number} ingepland: live vanaf 15 jan 2027, 10:00 CET, "
            "zonder einde.") in history


# --- what the system wrote, in the reader's language ---------------------------------------


def test_a_dutch_moderator_reads_an_automated_finding_in_dutch_and_an_english_one_in_english(
        make_submission, seller, moderator, store):
    inactive = factories.ProductFactory(brand=seller.brand, is_active=False)
    document = home_document(section("s1", tile("t1", "product", asin=inactive.asin,
                                                 layout="product_details")))
    submission = make_submission(SubmissionStatus.CHECKING, document=document)
    findings = document_check(document=document, brand=seller.brand)
    services.submission_checks_finish(submission_id=submission.pk, findings=findings)
    english = factories.UserFactory(username="english_moderator", is_staff=True)
    english.groups.add(*moderator.user.groups.all())

    dutch_page = signed_in(moderator.user, language="nl", time_zone="Europe/Amsterdam").get(
        f"{ADMIN}{submission.pk}/change/").content.decode()
    english_page = signed_in(english, language="en", time_zone="UTC").get(
        f"{ADMIN}{submission.pk}/change/").content.decode()

    finding = CheckFinding.objects.get(submission=submission, check_name="inactive_product")
    assert finding.message == f"{inactive.asin} is not sold on the marketplace (inactive)."
    assert f"{inactive.asin} wordt niet verkocht op de marktplaats (inactief)." in dutch_page
    assert "is not sold on the marketplace" not in dutch_page
    assert f"{inactive.asin} is not sold on the marketplace (inactive)." in english_page
    # The history's system notes too: statuses and notes in Dutch.
    assert "Automatische controles geslaagd." in dutch_page
    assert "Wacht op een moderator" in dutch_page


def test_a_dutch_moderator_reads_why_a_change_was_approved_automatically_in_dutch(
        make_submission, moderator, settings):
    settings.MODERATION_AUTO_APPROVE = True
    settings.MODERATION_AUDIT_SHARE = 0
    submission = make_submission(SubmissionStatus.CHECKING, risk=Risk.TRIVIAL,
                                 risk_reasons=[{"code": "reorder"},
                                               {"code": "text_edit", "where": "t1"}])
    services.submission_checks_finish(submission_id=submission.pk, findings=[])

    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PUBLISHED
    note = SubmissionEvent.objects.get(submission=submission, to_status="approved")
    assert note.note == ("Approved automatically: a trivial change (reordered; small text "
                         "edit (t1)) that passed every automated check.")
    page = signed_in(moderator.user, language="nl", time_zone="Europe/Amsterdam").get(
        f"{ADMIN}{submission.pk}/change/").content.decode()
    assert ("Automatisch goedgekeurd: een triviale wijziging (volgorde gewijzigd; kleine "
            "tekstwijziging (t1)) die door alle automatische controles is gekomen.") in page
    assert "Approved automatically" not in page


def test_a_brand_user_reads_an_automated_rejection_in_their_own_language(
        make_submission, seller, store):
    document = home_document(section("s1", tile("t1", "text", html="<p>Nieuw! #sale</p>")))
    submission = make_submission(SubmissionStatus.CHECKING, document=document)
    services.submission_checks_finish(
        submission_id=submission.pk,
        findings=document_check(document=document, brand=seller.brand))
    client = signed_in(seller.user, language="nl", time_zone="Europe/Amsterdam")

    rows = client.get(f"/api/v1/stores/{store.pk}/submissions/").json()

    reasons = next(row["reasons"] for row in rows if row["id"] == submission.pk)
    assert {"code": "hashtags", "tile": "t1",
            "note": "Hashtags zijn niet toegestaan: #sale."} in reasons


# --- the admin's own words ----------------------------------------------------------------

# What the admin called our models before they had names of their own, and their English
# names now: none may show to a Dutch moderator.
# ("Accounts", "Deals" and "Stores" are Dutch words too.)
ENGLISH_MODEL_NAMES = (
    "Brands", "Brand registry enrollments", "Brand Registry enrolments",
    "Categories", "Products", "Product prices", "Prices in marketplaces",
    "Store versions", "Assets", "Images", "Submissions", "Moderator teams", "Outbox messages",
    "Outbox tasks", "Task outbox", "Marketplaces", "User preferences",
    "Catalogue and accounts", "Moderation",
)


def english_model_names(html: str) -> list[str]:
    return [name for name in ENGLISH_MODEL_NAMES
            if re.search(rf">\s*{re.escape(name)}\s*<", html)]


def test_the_admin_names_every_model_in_dutch_for_a_dutch_user(make_submission, db):
    make_submission(SubmissionStatus.QUEUED)
    admin = factories.UserFactory(username="site_admin", is_staff=True, is_superuser=True)
    client = signed_in(admin, language="nl", time_zone="Europe/Amsterdam")

    index = client.get("/admin/").content.decode()
    queue = client.get(f"{ADMIN}?marketplace=all").content.decode()

    assert english_model_names(index) == []
    assert english_model_names(queue) == []
    assert ">Inzendingen<" in index and ">Producten<" in index
    # Django's own screen-reader column names, which its Dutch catalogue lacks.
    assert "Model name" not in index and ">Modelnaam<" in index
    assert "Deadline" in queue or "Uiterste" in queue


def test_an_automated_rejection_email_gives_the_findings_in_the_owners_language(
        make_submission, seller, store, django_capture_on_commit_callbacks):
    from django.core import mail

    preferences_set(user=seller.user, language="nl", time_zone="Europe/Amsterdam")
    document = home_document(section("s1", tile("t1", "text", html="<p>Nieuw! #sale</p>")))
    submission = make_submission(SubmissionStatus.CHECKING, document=document)

    with django_capture_on_commit_callbacks(execute=True):
        services.submission_checks_finish(
            submission_id=submission.pk,
            findings=document_check(document=document, brand=seller.brand))

    assert [message.to for message in mail.outbox] == [[seller.user.email]]
    body = mail.outbox[0].body
    assert "- Hashtags (tegel t1): Hashtags zijn niet toegestaan: #sale." in body
    assert "not allowed" not in body
