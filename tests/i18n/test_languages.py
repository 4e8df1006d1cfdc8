"""Users pick English or Dutch (default: Accept-Language); e-mails in their language."""
from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.test import Client
from django.utils import timezone

from catalog.models import UserPreferences
from catalog.preferences import preferences_set
from moderation import services
from moderation.models import Submission, SubmissionStatus
from stores.models import StoreVersion
from tests import factories
from tests.documents import home_document


def signed_in(user, **headers) -> Client:
    client = Client(**headers)
    client.post("/accounts/login/", {"username": user.username, "password": "storefront"})
    return client


def store_of(seller):
    return factories.StoreFactory(brand=seller.brand, slug="acme-outdoor", name="Acme Outdoor",
                                  draft=home_document())


def queued_submission(store, seller) -> Submission:
    version = StoreVersion.objects.create(store=store, number=store.versions.count() + 1,
                                          document=store.draft,
                                          source_revision=0, created_by=seller.user)
    now = timezone.now()
    return Submission.objects.create(store=store, version=version, submitted_by=seller.user,
                                     submitted_at=now, sla_deadline=now + timedelta(hours=72),
                                     wait_started_at=now, queue_at=now + timedelta(hours=72),
                                     status=SubmissionStatus.QUEUED)


def set_password(user) -> None:
    user.set_password("storefront")
    user.save()


def test_the_builder_speaks_the_language_the_browser_asks_for_and_remembers_it(seller):
    set_password(seller.user)
    dutch = signed_in(seller.user, HTTP_ACCEPT_LANGUAGE="nl-NL,nl;q=0.9,en;q=0.5")

    page = dutch.get("/builder/").content.decode()

    assert '<html lang="nl">' in page
    assert "Mijn Stores" in page and "My Stores" not in page
    assert UserPreferences.objects.get(user=seller.user).language == "nl"
    # Later, from a browser that asks for English: the user's choice wins.
    english_browser = signed_in(seller.user, HTTP_ACCEPT_LANGUAGE="en")
    assert "Mijn Stores" in english_browser.get("/builder/").content.decode()


def test_a_user_switches_the_builder_to_english_and_back(seller):
    set_password(seller.user)
    client = signed_in(seller.user, HTTP_ACCEPT_LANGUAGE="nl")

    switched = client.post("/preferences/", {"language": "en", "next": "/builder/"})

    assert switched.status_code == 302 and switched["Location"] == "/builder/"
    assert "My Stores" in client.get("/builder/").content.decode()
    assert UserPreferences.objects.get(user=seller.user).language == "en"
    refused = client.post("/preferences/", {"language": "fr", "next": "https://evil.example/"})
    assert refused["Location"] == "/"
    assert UserPreferences.objects.get(user=seller.user).language == "en"


def test_the_javascript_catalogue_gives_dutch_to_a_dutch_user(seller):
    set_password(seller.user)
    client = signed_in(seller.user, HTTP_ACCEPT_LANGUAGE="nl")

    script = client.get("/jsi18n/").content.decode()

    assert '"Saved": "Opgeslagen"' in script
    # Messages formatted with the builder's say("…", values) are extracted too.
    assert '"Restore version %(number)s into the draft": ' \
        '"Versie %(number)s terugzetten in het concept"' in script


def test_the_review_page_is_dutch_for_a_dutch_moderator_with_times_in_their_zone(
        seller, moderator):
    set_password(moderator.user)
    submission = queued_submission(store_of(seller), seller)
    preferences_set(user=moderator.user, language="nl", time_zone="Europe/Amsterdam")
    client = signed_in(moderator.user)

    page = client.get(f"/admin/moderation/submission/{submission.pk}/change/").content.decode()

    assert "Oppakken om te beoordelen" in page and "Claim for review" not in page
    assert "Automatische controles" in page
    assert " CET" in page or " CEST" in page


def test_a_rejection_email_arrives_in_the_brand_users_language(
        seller, moderator, django_capture_on_commit_callbacks):
    preferences_set(user=seller.user, language="nl", time_zone="Europe/Amsterdam")
    submission = queued_submission(store_of(seller), seller)

    with django_capture_on_commit_callbacks(execute=True):
        services.submission_reject(
            submission=submission, moderator=moderator.user,
            reasons=[{"code": "typos", "tile": None, "note": ""}])

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == 'Je Store "Acme Outdoor" is niet goedgekeurd'
    assert "- Typefouten (hele Store)" in message.body
    assert "Hallo," in message.body and "Hello" not in message.body
