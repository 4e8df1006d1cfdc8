"""Marketplaces: Stores in their marketplace's language and currency, and the API."""
from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from catalog.models import ProductPrice
from moderation.checks import document_check
from stores.models import Store
from tests import factories
from tests.documents import home_document, publish, published_document, section, tile

NBSP = "\xa0"


@pytest.fixture
def tent(seller):
    return factories.ProductFactory(brand=seller.brand, asin="B0TENT0001", title="Tent",
                                     price=Decimal("89.99"), currency="EUR", quantity=5,
                                     is_active=True)


@pytest.fixture
def lamp(seller):
    """Sold in euros only: not offered on the UK marketplace."""
    return factories.ProductFactory(brand=seller.brand, asin="B0LAMP0001", title="Lamp",
                                    price=Decimal("19.00"), currency="EUR", quantity=5,
                                    is_active=True)


def grid_store(seller, *, marketplace: str, slug: str, asins: list[str]) -> Store:
    document = published_document(seller.brand, home_document(
        section("s1", tile("t1", "product_grid", mode="manual", asins=asins,
                           hide_out_of_stock=False))))
    store = factories.StoreFactory(brand=seller.brand, slug=slug, name="Acme Outdoor",
                                   marketplace_id=marketplace, draft=document)
    publish(store, document)
    return store


def test_the_marketplaces_are_listed_with_language_currency_and_time_zone(client):
    response = client.get("/api/v1/marketplaces/")

    assert response.status_code == 200
    rows = {row["code"]: row for row in response.json()}
    assert {"nl", "de", "uk", "us"} <= set(rows)
    assert (rows["nl"]["language"], rows["nl"]["currency"], rows["nl"]["time_zone"]) == (
        "nl", "EUR", "Europe/Amsterdam")
    assert (rows["uk"]["language"], rows["uk"]["currency"]) == ("en", "GBP")


def test_a_dutch_store_speaks_dutch_with_dutch_prices_and_a_uk_store_shows_pounds(
        client, seller, tent, lamp):
    ProductPrice.objects.create(product=tent, marketplace_id="uk", price=Decimal("79.99"))
    grid_store(seller, marketplace="nl", slug="acme-nl", asins=[tent.asin, lamp.asin])
    grid_store(seller, marketplace="uk", slug="acme-uk", asins=[tent.asin, lamp.asin])

    dutch = client.get("/stores/acme-nl/").content.decode()
    english = client.get("/stores/acme-uk/").content.decode()

    assert '<html lang="nl-nl">' in dutch
    assert f">€{NBSP}89,99<" in dutch and f">€{NBSP}19,00<" in dutch
    # What machines read stays machine-readable, whatever the language.
    assert 'data-price="89.99"' in dutch and 'data-price="79.99"' in english
    assert "Deel deze pagina" in dutch and "Share this page" not in dutch
    assert '<html lang="en-gb">' in english
    assert ">£79.99<" in english and "Share this page" in english
    # No price in pounds: the lamp is not sold on the UK marketplace.
    assert 'data-asin="B0LAMP0001"' not in english and "€" not in english
    for html in (dutch, english):
        assert 'hreflang="nl-NL" href="http://127.0.0.1:8000/stores/acme-nl/"' in html
        assert 'hreflang="en-GB" href="http://127.0.0.1:8000/stores/acme-uk/"' in html


def test_a_store_is_created_in_a_marketplace_and_only_one_per_brand_and_marketplace(seller):
    client = APIClient()
    client.force_login(seller.user)

    made = client.post("/api/v1/stores/", {"brand": seller.brand.pk, "name": "Acme UK",
                                           "marketplace": "uk"}, format="json")
    again = client.post("/api/v1/stores/", {"brand": seller.brand.pk, "name": "Acme UK 2",
                                            "marketplace": "uk"}, format="json")
    unknown = client.post("/api/v1/stores/", {"brand": seller.brand.pk, "name": "Acme XX",
                                              "marketplace": "xx"}, format="json")
    default = client.post("/api/v1/stores/", {"brand": seller.brand.pk, "name": "Acme"},
                          format="json")

    assert made.status_code == 201
    assert made.json()["marketplace"] == "uk"
    assert made.json()["url"] == "/stores/acme-uk/"
    assert again.status_code == 409 and "marketplace" in again.json()["errors"]
    assert unknown.status_code == 400 and "marketplace" in unknown.json()["errors"]
    assert default.status_code == 201 and default.json()["marketplace"] == "ie"
    assert sorted(Store.objects.values_list("marketplace_id", flat=True)) == ["ie", "uk"]


DUTCH = ("Onze tenten zijn gemaakt voor het hele jaar en blijven droog bij regen en wind, "
         "zodat je met de familie overal kunt kamperen.")
ENGLISH = ("Our tents are made for every season and stay dry in rain and wind, so your "
           "family can camp anywhere you like.")


def text_document(text: str) -> dict:
    return home_document(section("s1", tile("t1", "text", html=f"<p>{text}</p>")))


def test_dutch_text_passes_the_language_check_of_a_dutch_store_and_english_is_flagged(seller):
    dutch = document_check(document=text_document(DUTCH), brand=seller.brand, language="nl")
    english = document_check(document=text_document(ENGLISH), brand=seller.brand,
                             language="nl")

    assert dutch == []
    assert [(f["check_name"], f["severity"], f["tile"]) for f in english] == [
        ("language", "warning", "t1")]


def test_the_checks_of_a_submission_use_its_store_marketplace_language(seller):
    dutch = factories.StoreFactory(brand=seller.brand, slug="acme-nl", marketplace_id="nl",
                                   draft=text_document(DUTCH))
    english = factories.StoreFactory(brand=seller.brand, slug="acme-uk", marketplace_id="uk",
                                     draft=text_document(DUTCH))

    submissions = [submit(store) for store in (dutch, english)]

    assert [list(s.findings.values_list("check_name", flat=True)) for s in submissions] == [
        [], ["language"]]


def submit(store: Store):
    from datetime import timedelta

    from django.utils import timezone

    from moderation.models import Submission
    from moderation.tasks import submission_run_checks

    version = store.versions.create(number=1, document=store.draft, source_revision=0)
    now = timezone.now()
    submission = Submission.objects.create(store=store, version=version, submitted_at=now,
                                           sla_deadline=now + timedelta(hours=72),
                                           wait_started_at=now,
                                           queue_at=now + timedelta(hours=72))
    submission_run_checks(submission.pk)
    return submission


def test_the_queue_shows_a_moderator_the_marketplaces_they_are_assigned_to(seller, moderator):
    from catalog.models import UserPreferences
    from tests.i18n.test_languages import queued_submission

    dutch = factories.StoreFactory(brand=seller.brand, slug="acme-nl", name="Acme NL",
                                   marketplace_id="nl")
    british = factories.StoreFactory(brand=seller.brand, slug="acme-uk", name="Acme UK",
                                     marketplace_id="uk")
    for store in (dutch, british):
        queued_submission(store, seller)
    prefs = UserPreferences.objects.create(user=moderator.user, language="en")
    client = APIClient()
    client.force_login(moderator.user)
    queue = "/admin/moderation/submission/"

    everyone = client.get(queue).content.decode()
    prefs.marketplaces.set(["nl"])
    mine = client.get(queue).content.decode()
    every_marketplace = client.get(queue + "?marketplace=all").content.decode()
    british_only = client.get(queue + "?marketplace=uk").content.decode()

    assert "Acme NL" in everyone and "Acme UK" in everyone  # assigned to none: all
    assert "Acme NL" in mine and "Acme UK" not in mine
    assert "Acme NL" in every_marketplace and "Acme UK" in every_marketplace
    assert "Acme NL" not in british_only and "Acme UK" in british_only


def test_a_dutch_store_writes_deal_prices_in_dutch_whatever_the_shoppers_browser(
        client, seller, tent):
    factories.DealFactory(product=tent, deal_price=Decimal("69.99"))
    grid_store(seller, marketplace="nl", slug="acme-nl", asins=[tent.asin])

    # Cards are rendered on a shopper's request: an English browser must not change them.
    dutch = client.get("/stores/acme-nl/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert f"€{NBSP}69,99" in dutch and f"€{NBSP}89,99" in dutch
    assert "€69.99" not in dutch and "€89.99" not in dutch
