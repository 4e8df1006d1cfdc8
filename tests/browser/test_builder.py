"""The builder in real Chromium: a brand owner builds a page by dragging tiles, previews it on
a phone and submits it; a second tab with a stale copy meets the conflict and loses nothing."""
from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from catalog.stock import stock_changed
from stores.models import Store
from tests import factories
from tests.browser.conftest import page_errors, welcome_store

pytestmark = pytest.mark.browser

SAVED = re.compile(r"^All changes saved")


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1600, 800), (10, 125, 90)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def shop(transactional_db, seller):
    """The seller's Store: a home page with a text tile, and products (one out of stock)."""
    made = [
        factories.ProductFactory(brand=seller.brand, asin="B0TENT0001", title="Ridge tent 2P",
                                 quantity=4),
        factories.ProductFactory(brand=seller.brand, asin="B0TENT0002", title="Ridge tent 4P",
                                 quantity=0),
        factories.ProductFactory(brand=seller.brand, asin="B0STOVE001", title="Camp stove",
                                 quantity=9),
    ]
    stock_changed([product.pk for product in made])
    return welcome_store(seller)


def sign_in(page, base_url: str) -> None:
    page.goto(f"{base_url}/accounts/login/?next=/builder/")
    page.fill("#id_username", "seller_owner")
    page.fill("#id_password", factories.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/builder/")


def open_editor(page, base_url: str, store) -> None:
    page.goto(f"{base_url}/builder/stores/{store.pk}/")
    page.wait_for_selector("#editor.is-ready")


def drag(page, source, target, *, position: str = "bottom") -> None:
    """A real mouse drag in small steps. SortableJS (forceFallback) checks where the pointer
    is every 50 ms, so the pointer rests a moment on the way and over the drop place."""
    for _ in range(3):  # the editor may redraw a list just then: look again
        try:
            target.scroll_into_view_if_needed()
            source.scroll_into_view_if_needed()
            break
        except PlaywrightError:
            page.wait_for_timeout(200)
    start = source.bounding_box()
    x, y = start["x"] + start["width"] / 2, start["y"] + start["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 6, y + 6, steps=3)
    page.wait_for_timeout(120)
    box = target.bounding_box()
    to_x = box["x"] + box["width"] / 2
    to_y = box["y"] + (box["height"] - 8 if position == "bottom" else 6)
    page.mouse.move(to_x, to_y, steps=10)
    page.wait_for_timeout(150)
    page.mouse.move(to_x + 2, to_y + (1 if position == "bottom" else -1), steps=2)
    page.wait_for_timeout(150)
    page.mouse.up()
    page.wait_for_timeout(100)


def section(page, index: int):
    return page.locator("#sections > li.section").nth(index)


def wait_saved(page) -> None:
    # Locator assertions, not wait_for_function: the page's CSP forbids eval.
    expect(page.locator("#save-status")).to_have_text(SAVED, timeout=10_000)


def test_a_brand_owner_builds_a_page_previews_it_on_a_phone_and_submits(
        live_server, browser, shop, artifacts_dir):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    errors = page_errors(page)
    sign_in(page, live_server.url)
    page.click("text=Acme Outdoor")
    page.wait_for_selector("#editor.is-ready")

    # A page from a template, under Home.
    page.click("summary:has-text('Add a page')")
    page.select_option("#add-page-template", "product_grid")
    page.fill("#add-page-title", "Tents")
    page.click("#add-page button[type=submit]")
    page.wait_for_selector("#page-tree .page-node.is-selected >> text=Tents")
    assert section(page, 0).locator(".tile").count() == 1  # the template's text tile

    # Drag a product grid from the palette into the first section, below the text.
    wait_saved(page)
    drag(page, page.locator("#palette .palette-item[data-type=product_grid]"),
         section(page, 0).locator("ol.tiles"))
    tiles = section(page, 0).locator(".tile")
    assert [tiles.nth(i).get_attribute("data-type") for i in range(2)] == ["text", "product_grid"]
    grid_key = tiles.nth(1).get_attribute("data-tile")
    # Saved as it is: the tile says what it still needs before the Store can be submitted.
    expect(page.locator(f".tile[data-tile='{grid_key}'] .finding-incomplete")).to_contain_text(
        "Pick at least one product.")
    wait_saved(page)

    # Pick two products in the settings panel: search shows stock badges.
    page.fill(f"#pick-{grid_key}", "tent")
    results = page.locator(".picker-results .picker-result")
    expect(results).to_have_count(2)
    assert page.locator(".picker-result[data-asin=B0TENT0002] .stock-out").inner_text() == (
        "Out of stock")
    page.click("button[aria-label='Add Ridge tent 4P']")
    page.click("button[aria-label='Add Ridge tent 2P']")
    assert page.locator(".picked .picked-item").evaluate_all(
        "items => items.map(i => i.dataset.asin)") == ["B0TENT0002", "B0TENT0001"]

    # Reorder the two tiles by dragging the grid above the text.
    wait_saved(page)
    drag(page, tiles.nth(1).locator(".tile-handle"), tiles.nth(0), position="top")
    expect(section(page, 0).locator(".tile").first).to_have_attribute("data-type", "product_grid")

    # An image tile, dragged into the second section: upload a PNG and give it alt text.
    wait_saved(page)
    drag(page, page.locator("#palette .palette-item[data-type=image]"),
         section(page, 1).locator("ol.tiles"))
    image_key = section(page, 1).locator(".tile[data-type=image]").get_attribute("data-tile")
    page.set_input_files(f"#cfg-{image_key}-asset",
                         files=[{"name": "hero.png", "mimeType": "image/png",
                                 "buffer": png_bytes()}])
    page.wait_for_selector(".upload-status:has-text('Uploaded.')")
    page.fill(f"#cfg-{image_key}-alt", "Two tents pitched by a lake")
    page.click("#save-now")
    wait_saved(page)
    page.screenshot(path=str(artifacts_dir / "builder-editor-1280.png"), full_page=True)

    shop.refresh_from_db()
    tents = next(p for p in shop.draft["pages"] if p["title"] == "Tents")
    first, second = tents["sections"][0]["tiles"], tents["sections"][1]["tiles"]
    assert [tile["type"] for tile in first] == ["product_grid", "text"]
    assert first[0]["config"]["asins"] == ["B0TENT0002", "B0TENT0001"]
    image = next(tile for tile in second if tile["type"] == "image")
    assert image["config"]["alt"] == "Two tents pitched by a lake"
    assert shop.brand.assets.filter(pk=image["config"]["asset"]).exists()

    # The stock hint: one of the two chosen tents cannot be bought right now.
    page.wait_for_selector(f".tile[data-tile='{grid_key}'] .health:has-text('1 of 2')")

    # Phone preview of the saved draft, all out of stock.
    page.click("#open-preview")
    page.click("[data-device=phone]")
    page.click("[data-stock=all_out_of_stock]")
    page.wait_for_selector("#preview-frame[data-shows=all_out_of_stock]")
    frame = page.frame_locator("#preview-frame")
    frame.locator(f"[data-tile='{grid_key}'] [data-asin=B0TENT0001]").wait_for()
    assert frame.locator(f"[data-tile='{grid_key}'] [data-price]").count() == 0
    assert page.locator("#preview-frame").bounding_box()["width"] == 390
    page.screenshot(path=str(artifacts_dir / "builder-preview-phone.png"))
    page.click("#close-preview")

    # Submit: the Store goes in review and editing goes on.
    page.click("#submit-store")
    page.wait_for_selector("#submission-info")
    assert page.locator("#store-status").inner_text() == "In review"
    assert shop.submissions.count() == 1
    assert shop.submissions.get().version.document == Store.objects.get(pk=shop.pk).draft

    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts_dir / "builder-editor-390.png"), full_page=True)
    assert errors == []
    context.close()


def test_a_second_tab_with_a_stale_draft_is_told_and_keeps_its_edits(
        live_server, browser, shop, artifacts_dir):
    first = browser.new_context(viewport={"width": 1280, "height": 900})
    second = browser.new_context(viewport={"width": 1280, "height": 900})
    one, two = first.new_page(), second.new_page()
    for page in (one, two):
        sign_in(page, live_server.url)
        open_editor(page, live_server.url, shop)

    one.click("#palette .palette-add[data-type=text]")
    wait_saved(one)
    two.fill("#page-title", "Welcome home")

    two.wait_for_selector(".conflict")
    assert "changed somewhere else" in two.locator(".conflict").inner_text()
    assert two.locator("#save-status").inner_text() == "Not saved: changed elsewhere"
    assert two.input_value("#page-title") == "Welcome home"
    shop.refresh_from_db()
    assert shop.revision == 2
    assert shop.draft["pages"][0]["title"] == "Home"
    two.screenshot(path=str(artifacts_dir / "builder-conflict.png"))

    # The user keeps their version: it is saved over the other change, on purpose.
    two.click("#conflict-keep")
    wait_saved(two)
    shop.refresh_from_db()
    assert shop.revision == 3
    assert shop.draft["pages"][0]["title"] == "Welcome home"
    first.close()
    second.close()


def test_every_drag_has_a_keyboard_way(live_server, browser, shop):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live_server.url)
    open_editor(page, live_server.url, shop)

    # Add a tile from the palette and move it above the existing one, keys only.
    page.focus("#palette .palette-add[data-type=best_sellers]")
    page.keyboard.press("Enter")
    added = page.locator(".tile[data-type=best_sellers]")
    expect(added.locator(".tile-name")).to_be_focused()
    added.locator(".move-up").focus()
    page.keyboard.press("Enter")
    expect(section(page, 0).locator(".tile").first).to_have_attribute("data-type", "best_sellers")
    expect(section(page, 0).locator(".tile").first.locator(".move-up")).to_be_disabled()
    # A new section below, then the text tile moves down into it.
    page.focus("#palette-sections .palette-add")
    page.keyboard.press("Enter")
    text = page.locator(".tile[data-type=text]")
    text.locator(".move-down").focus()
    page.keyboard.press("Enter")
    expect(section(page, 1).locator(".tile[data-type=text]")).to_have_count(1)
    wait_saved(page)

    shop.refresh_from_db()
    sections = shop.draft["pages"][0]["sections"]
    assert [[tile["type"] for tile in s["tiles"]] for s in sections] == [
        ["best_sellers"], ["text"]]
    context.close()
