"""The Store's design in real Chromium: a brand owner opens "Store design", uploads a logo,
picks an accent colour too light to read (the builder warns, from the server's contrast
check), undoes and redoes it, submits; once a moderator approves, shoppers see the logo in
the header (linked home, named by the Store), the accent on the page with readable text
on it, and the logo as the tab's icon. axe finds nothing serious with the panel open."""
from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from config.api import DomainError
from moderation import services
from stores.models import Store
from tests.browser.conftest import page_errors
from tests.browser.test_builder import canvas, open_editor, png_bytes, sign_in, wait_saved
from tests.browser.test_phone_and_access import serious_violations

pytestmark = pytest.mark.browser


def approve_latest(store: Store, moderator) -> None:
    """Claim and approve the Store's newest submission once its checks have run."""
    deadline = time.monotonic() + 30
    while True:
        submission = store.submissions.order_by("-pk").first()
        try:
            services.submission_claim(submission=submission, moderator=moderator.user)
            services.submission_approve(submission=submission, moderator=moderator.user)
            return
        except DomainError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_a_logo_and_an_accent_set_in_the_builder_reach_the_shopper_page(
        live_server, browser, shop, moderator, artifacts_dir):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    errors = page_errors(page)
    sign_in(page, live_server.url)
    open_editor(page, live_server.url, shop)

    page.click("#store-design")
    expect(page.locator("#settings")).to_have_attribute("data-shows", "theme")
    expect(page.locator("#theme-heading")).to_have_text("Store design")
    # Not chosen yet: the colour inputs show the defaults shoppers get.
    expect(page.locator("#cfg-theme-background_color")).to_have_value("#ffffff")

    # The logo: uploaded through the same image field as the image tile's.
    page.set_input_files("#cfg-theme-logo", files=[{
        "name": "acme-logo.png", "mimeType": "image/png",
        "buffer": png_bytes(size=(600, 200), color=(20, 40, 120))}])
    page.wait_for_selector(".upload-status:has-text('Uploaded.')")
    wait_saved(page)
    expect(canvas(page).locator(".store-header__logo")).to_have_attribute("alt", "Acme Outdoor")

    # A yellow accent reads badly as text on white: the server's check says so, live.
    page.fill("#cfg-theme-accent_color", "#ffd200")
    low = page.locator("#theme-contrast [data-check=links_on_background].is-low")
    expect(low).to_contain_text("Too little contrast")
    wait_saved(page)
    # Undo brings the old accent back (and the warning goes); redo sets it again.
    page.click("#undo")
    expect(page.locator("#cfg-theme-accent_color")).to_have_value("#0a7d5a")
    expect(low).to_have_count(0)
    page.click("#redo")
    expect(page.locator("#cfg-theme-accent_color")).to_have_value("#ffd200")
    expect(low).to_have_count(1)
    page.select_option("#cfg-theme-font_pairing", "classic")
    wait_saved(page)
    expect(page.locator("#theme-preview .theme-preview-heading")).to_contain_text("Classic")

    shop.refresh_from_db()
    theme = shop.draft["theme"]
    assert theme["accent_color"] == "#ffd200" and theme["font_pairing"] == "classic"
    assert isinstance(theme["logo"], int)
    page.locator("#theme-contrast").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / "builder-theme-1280.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.click("#store-design")  # on a phone the panel is a bottom sheet
    expect(page.locator("#theme-contrast")).to_be_visible()
    page.locator("#theme-contrast").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / "builder-theme-390.png"))
    page.set_viewport_size({"width": 1280, "height": 1000})

    page.click("#submit-store")
    expect(page.locator("#store-status")).to_have_text("In review")
    approve_latest(shop, moderator)

    shopper = context.new_page()
    shopper.goto(f"{live_server.url}/stores/acme-outdoor/")
    logo = shopper.locator(".store-header__name a img.store-header__logo")
    expect(logo).to_have_attribute("alt", "Acme Outdoor")
    assert logo.evaluate("img => img.closest('a').getAttribute('href')") == "/stores/acme-outdoor/"
    assert logo.get_attribute("width") and logo.get_attribute("height")
    header = shopper.locator(".store-header")
    assert header.evaluate("h => getComputedStyle(h).borderTopColor") == "rgb(255, 210, 0)"
    # Text on the yellow accent is dark, so it reads (the theme picked it, not the brand).
    assert shopper.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--sf-on-accent').trim()"
    ) == "#0f1111"
    assert "Georgia" in header.locator(".store-header__name").evaluate(
        "n => getComputedStyle(n).fontFamily")
    icon = shopper.locator("link[rel=icon]").get_attribute("href")
    assert icon == f"/stores/_icon/logo-{theme['logo']}-64.png"
    assert shopper.request.get(f"{live_server.url}{icon}").headers["content-type"] == "image/png"
    for width in (390, 1280):
        shopper.set_viewport_size({"width": width, "height": 900})
        shopper.screenshot(path=str(artifacts_dir / f"store-themed-{width}.png"), full_page=True)
    assert errors == []
    context.close()


def test_axe_finds_nothing_serious_with_the_store_design_panel_open(
        live_server, browser, shop, artifacts_dir):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    sign_in(page, live_server.url)
    open_editor(page, live_server.url, shop)
    page.click("#store-design")
    page.fill("#cfg-theme-accent_color", "#ffd200")
    expect(page.locator("#theme-contrast .is-low").first).to_be_visible()
    found = {"store design, desktop": serious_violations(page)}
    page.set_viewport_size({"width": 390, "height": 844})
    found["store design, phone"] = serious_violations(page)
    assert found == {key: [] for key in found}
    context.close()
