"""The builder in real Chromium: a brand owner builds a page on the live canvas (dragging tiles
from the palette onto the page itself and around it), checks it as a phone and with every
product out of stock, and submits it; a second tab with a stale copy meets the conflict and
loses nothing; every drag has a keyboard way through the layers list."""
from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from stores.models import Store
from tests import factories
from tests.browser.conftest import page_errors

pytestmark = pytest.mark.browser

SAVED = re.compile(r"^Saved$")


def png_bytes(size=(1600, 800), color=(10, 125, 90)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def sign_in(page, base_url: str) -> None:
    page.goto(f"{base_url}/accounts/login/?next=/builder/")
    page.fill("#id_username", "seller_owner")
    page.fill("#id_password", factories.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/builder/")


def open_editor(page, base_url: str, store) -> None:
    page.goto(f"{base_url}/builder/stores/{store.pk}/")
    page.wait_for_selector("#editor.is-ready")
    page.wait_for_selector("#canvas-frame[data-renders]")


def canvas(page):
    return page.frame_locator("#canvas-frame")


def layer(page, key: str):
    return page.locator(f"#layers [data-tile='{key}'], #layers [data-section='{key}']").first


def wait_saved(page) -> None:
    # Locator assertions, not wait_for_function: the page's CSP forbids eval.
    expect(page.locator("#save-status")).to_have_text(SAVED, timeout=10_000)


def wait_canvas(page, after: int) -> int:
    """Waits until the canvas has been redrawn after render number `after`; returns the new one."""
    frame = page.locator("#canvas-frame")
    expect(frame).not_to_have_attribute("data-renders", str(after), timeout=10_000)
    return int(frame.get_attribute("data-renders"))


def renders(page) -> int:
    return int(page.locator("#canvas-frame").get_attribute("data-renders"))


def drag(page, source, target, *, position: str = "bottom") -> None:
    """A real mouse drag in small steps: the pointer rests a moment on the way and over the
    drop place (SortableJS looks every 50 ms; the palette follows every move)."""
    for _ in range(3):  # the editor may redraw a list just then: look again
        try:
            source.scroll_into_view_if_needed()
            break
        except PlaywrightError:
            page.wait_for_timeout(200)
    start = source.bounding_box()
    x, y = start["x"] + min(start["width"] / 2, 30), start["y"] + start["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 8, y + 8, steps=3)
    page.wait_for_timeout(120)
    box = target.bounding_box()
    to_x = box["x"] + box["width"] / 2
    to_y = box["y"] + (box["height"] - 4 if position == "bottom" else 4)
    page.mouse.move(to_x, to_y, steps=12)
    page.wait_for_timeout(150)
    page.mouse.move(to_x + 2, to_y + (1 if position == "bottom" else -1), steps=2)
    page.wait_for_timeout(150)
    page.mouse.up()
    page.wait_for_timeout(150)


def tile_keys(page, section_key: str) -> list[str]:
    return page.locator(f"#layers [data-section='{section_key}'] [data-tile]").evaluate_all(
        "rows => rows.map(r => r.dataset.tile)")


def test_a_brand_owner_builds_a_page_on_the_canvas_and_submits(
        live_server, browser, shop, artifacts_dir):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    errors = page_errors(page)
    sign_in(page, live_server.url)
    page.click("text=Acme Outdoor")
    page.wait_for_selector("#editor.is-ready")
    page.wait_for_selector("#canvas-frame[data-renders]")
    # The canvas is the page itself, rendered as shoppers get it.
    expect(canvas(page).locator("[data-tile=t1] h2")).to_have_text("Welcome")

    # Drag a product grid from the palette onto the canvas, below the welcome text.
    drag(page, page.locator("#palette .palette-item[data-type=product_grid]"),
         canvas(page).locator("[data-tile=t1]"))
    keys = tile_keys(page, "s1")
    assert len(keys) == 2 and keys[0] == "t1"
    grid_key = keys[1]
    expect(layer(page, grid_key)).to_have_attribute("data-type", "product_grid")
    # Selected: outlined and labelled on the canvas, its settings open beside it.
    expect(canvas(page).locator(f"[data-tile='{grid_key}'].sf-selected .sf-label")).to_have_text(
        "Product grid")
    expect(page.locator("#settings")).to_have_attribute("data-shows", "tile")

    # Pick two products in the settings panel: search shows stock badges.
    page.fill(f"#pick-{grid_key}", "tent")
    results = page.locator(".picker-results .picker-result")
    expect(results).to_have_count(2)
    page.click("button[aria-label='Add Ridge tent 4P']")
    page.click("button[aria-label='Add Ridge tent 2P']")
    wait_saved(page)
    # The canvas shows the real cards within a moment: the 4P tent without its price.
    grid = canvas(page).locator(f"[data-tile='{grid_key}']")
    expect(grid.locator("[data-asin]")).to_have_count(2)
    expect(grid.locator("[data-asin=B0TENT0001] [data-price]")).to_have_count(1)
    expect(grid.locator("[data-asin=B0TENT0002] [data-price]")).to_have_count(0)

    # Reorder on the canvas: the grid goes above the text.
    drag(page, grid.locator("[data-asin=B0TENT0001]"), canvas(page).locator("[data-tile=t1]"),
         position="top")
    expect(page.locator("#layers [data-section=s1] [data-tile]").first).to_have_attribute(
        "data-tile", grid_key)
    wait_saved(page)
    page.screenshot(path=str(artifacts_dir / "builder-canvas-1280.png"))

    # Every product out of stock, as a phone: the canvas follows both switches.
    page.select_option("#stock-scenario", "all_out_of_stock")
    expect(grid.locator("[data-price]")).to_have_count(0)
    page.click("[data-device=phone]")
    assert page.locator("#canvas-frame").evaluate("f => f.offsetWidth") == 390

    shop.refresh_from_db()
    tiles = shop.draft["pages"][0]["sections"][0]["tiles"]
    assert [tile["type"] for tile in tiles] == ["product_grid", "text"]
    assert tiles[0]["config"]["asins"] == ["B0TENT0002", "B0TENT0001"]

    # Submit: the Store waits for review, in plain words, and editing goes on.
    page.click("#submit-store")
    expect(page.locator("#submission-info")).to_contain_text("waiting for review")
    expect(page.locator("#store-status")).to_have_text("In review")
    assert shop.submissions.count() == 1
    assert shop.submissions.get().version.document == Store.objects.get(pk=shop.pk).draft
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

    one.click("#palette .palette-item[data-type=text] .palette-add")
    wait_saved(one)
    two.fill("#page-title", "Welcome home")

    two.wait_for_selector(".conflict")
    assert "changed somewhere else" in two.locator(".conflict").inner_text()
    expect(two.locator("#save-status")).to_have_text("Not saved: changed elsewhere")
    assert two.input_value("#page-title") == "Welcome home"
    shop.refresh_from_db()
    assert shop.revision == 2
    assert shop.draft["pages"][0]["title"] == "Home"

    # The user keeps their version: it is saved over the other change, on purpose.
    two.click("#conflict-keep")
    wait_saved(two)
    shop.refresh_from_db()
    assert shop.revision == 3
    assert shop.draft["pages"][0]["title"] == "Welcome home"
    first.close()
    second.close()


def test_every_drag_has_a_keyboard_way_and_moves_are_announced(live_server, browser, shop):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live_server.url)
    open_editor(page, live_server.url, shop)

    # Add a tile from the palette and move it above the existing one, keys only.
    page.focus("#palette .palette-item[data-type=best_sellers] .palette-add")
    page.keyboard.press("Enter")
    added = page.locator("#layers [data-type=best_sellers]")
    expect(added).to_have_count(1)
    added.locator(".move-up").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#layers [data-section=s1] [data-tile]").first).to_have_attribute(
        "data-type", "best_sellers")
    expect(page.locator("#announcer")).to_have_text(
        "Moved: Best sellers, position 1 of Section 1")
    # A new section below, then the text tile moves down into it.
    page.focus("#palette .palette-item[data-kind=section] .palette-add")
    page.keyboard.press("Enter")
    text = page.locator("#layers [data-tile=t1]")
    text.locator(".move-down").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#announcer")).to_have_text("Moved: Text, position 1 of Section 2")
    expect(text.locator(".tile-name")).to_be_focused()  # its move-down is disabled now
    wait_saved(page)

    shop.refresh_from_db()
    sections = shop.draft["pages"][0]["sections"]
    assert [[tile["type"] for tile in s["tiles"]] for s in sections] == [
        ["best_sellers"], ["text"]]
    # The canvas follows: two sections, the text in the second.
    expect(canvas(page).locator(".store-sections > [data-section]")).to_have_count(2)
    expect(canvas(page).locator(".store-sections > [data-section]").nth(1).locator(
        "[data-tile=t1]")).to_have_count(1)
    context.close()


def test_the_image_tile_uploads_and_shows_on_the_canvas(live_server, browser, shop):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live_server.url)
    open_editor(page, live_server.url, shop)
    page.click("#palette .palette-item[data-type=image] .palette-add")
    image_key = page.locator("#layers [data-type=image]").get_attribute("data-tile")
    page.set_input_files(f"#cfg-{image_key}-asset",
                         files=[{"name": "hero.png", "mimeType": "image/png",
                                 "buffer": png_bytes()}])
    page.wait_for_selector(".upload-status:has-text('Uploaded.')")
    page.fill(f"#cfg-{image_key}-alt", "Two tents pitched by a lake")
    wait_saved(page)
    expect(canvas(page).locator(f"[data-tile='{image_key}'] img")).to_have_attribute(
        "alt", "Two tents pitched by a lake")
    context.close()
