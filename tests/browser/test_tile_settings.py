"""Settings panels drawn from the server's field schema, for any tile type (one that exists
only in the test suite too), and automated findings shown on the tiles before submitting."""
from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from playwright.sync_api import expect

from catalog.models import UserPreferences
from stores.assets import asset_create
from stores.models import Store
from tests import factories
from tests.browser.conftest import page_errors
from tests.documents import home_document, section, tile

pytestmark = pytest.mark.browser


def small_image(seller):
    buffer = io.BytesIO()
    Image.new("RGB", (500, 300), (10, 125, 90)).save(buffer, "PNG")
    upload = SimpleUploadedFile("small.png", buffer.getvalue(), content_type="image/png")
    return asset_create(brand=seller.brand, upload=upload, user=seller.user)


@pytest.fixture
def shop(transactional_db, seller, countdown_tile):
    factories.ProductFactory(brand=seller.brand, asin="B0TENT0001", title="Ridge tent", quantity=4)
    small = small_image(seller)
    draft = home_document(
        section("s1", tile("c1", "countdown", headline="Winter sale", visibility="all")),
        section("s2", tile("i1", "image", asset=small.pk, alt="Tents in the snow",
                           visibility="all"),
                tile("g1", "product_grid", mode="manual", asins=["B0TENT0001"],
                     visibility="all")),
    )
    return factories.StoreFactory(brand=seller.brand, name="Acme Outdoor", slug="acme-outdoor",
                                  revision=1, draft=draft)


def sign_in(page, base_url: str) -> None:
    page.goto(f"{base_url}/accounts/login/?next=/builder/")
    page.fill("#id_username", "seller_owner")
    page.fill("#id_password", factories.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/builder/")


def wait_saved(page) -> None:
    expect(page.locator("#save-status")).to_have_text(
        __import__("re").compile(r"^Saved$"), timeout=10000)


def test_any_tile_type_gets_its_settings_panel_and_findings_show_before_submitting(
        live_server, browser, shop, seller, artifacts_dir):
    # A brand in Amsterdam: date-time fields are read on its wall clock, not the browser's.
    UserPreferences.objects.update_or_create(user=seller.user,
                                             defaults={"time_zone": "Europe/Amsterdam"})
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    errors = page_errors(page)
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/builder/stores/{shop.pk}/")
    page.wait_for_selector("#editor.is-ready")
    page.wait_for_selector("#canvas-frame[data-renders]")

    # The automated checks speak on the tiles: the small image must be fixed, the
    # countdown still lacks its date and image. Nobody calls them a moderator.
    image_tile = page.locator("#layers [data-tile=i1]")
    expect(image_tile.locator(".layer-problem.is-blocking")).to_contain_text(
        "Automated check (must be fixed): Image")
    expect(image_tile.locator(".layer-problem.is-blocking")).to_contain_text(
        "needs at least 600 px")
    expect(page.frame_locator("#canvas-frame").locator(
        "[data-tile=c1].sf-incomplete .sf-missing li")).to_have_count(3)
    expect(page.locator("#findings-summary")).to_contain_text("must be fixed before you submit")
    assert "Moderator" not in page.locator("#layers").inner_text()

    # The test suite's own tile type: its panel comes from its fields alone.
    page.click("#layers [data-tile=c1] .tile-name")
    settings = page.locator("#settings")
    expect(settings.get_by_label("Headline")).to_have_value("Winter sale")
    expect(settings.get_by_label("Headline")).to_have_attribute("maxlength", "80")
    expect(settings.locator("#cfg-c1-ends_at")).to_have_attribute("type", "datetime-local")
    expect(settings.locator("#cfg-c1-image")).to_have_attribute("type", "file")
    expect(settings.get_by_label("Show on")).to_have_value("all")
    expect(settings.locator("[data-field=ends_at] .field-note")).to_contain_text("To complete")
    expect(settings.locator("[data-field=ends_at]")).to_contain_text("Time in Europe/Amsterdam")
    settings.locator("#cfg-c1-ends_at").fill("2026-12-24T18:00")
    wait_saved(page)
    shop.refresh_from_db()
    config = shop.draft["pages"][0]["sections"][0]["tiles"][0]["config"]
    assert config["headline"] == "Winter sale"
    # 18:00 in Amsterdam on Christmas Eve is 17:00 UTC.
    assert datetime.fromisoformat(config["ends_at"]) == datetime(2026, 12, 24, 17, 0, tzinfo=UTC)
    page.screenshot(path=str(artifacts_dir / "settings-countdown-1280.png"), full_page=True)

    # Submitting is refused while a blocking finding remains; the reason is on screen.
    page.click("#submit-store")
    expect(page.locator("#banners")).to_contain_text("Not submitted")
    assert not Store.objects.get(pk=shop.pk).submissions.exists()

    # A field that decides which others apply: a grid switched to "automatic" offers its
    # rule, order and limit, with the defaults the server gave.
    page.click("#layers [data-tile=g1] .tile-name")
    settings.get_by_label("Products", exact=True).first.select_option("automated")
    expect(settings.get_by_label("Keyword")).to_be_visible()
    expect(settings.get_by_label("Order")).to_have_value("best_selling")
    expect(settings.get_by_label("How many products (at most)")).to_have_value("12")
    settings.get_by_label("Keyword").fill("tent")
    wait_saved(page)
    shop.refresh_from_db()
    grid = shop.draft["pages"][0]["sections"][1]["tiles"][1]["config"]
    assert grid == {"mode": "automated", "title": "", "rule": {"category": None, "keyword": "tent"},
                    "sort": "best_selling", "limit": 12}

    page.set_viewport_size({"width": 390, "height": 844})
    page.frame_locator("#canvas-frame").locator("[data-tile=i1]").click()
    page.screenshot(path=str(artifacts_dir / "settings-findings-390.png"), full_page=True)
    assert errors == []
    context.close()
