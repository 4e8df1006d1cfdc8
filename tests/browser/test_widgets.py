"""Inputs for people, not developers, in real Chromium: hot-spots placed by clicking on the
image, a video by pasting its address, a link chosen from the Store's pages and the brand's
products, images dropped on the field and reused from the brand's library."""
from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.browser.test_builder import (
    canvas,
    open_editor,
    png_bytes,
    sign_in,
    wait_saved,
)

pytestmark = pytest.mark.browser


def editor(browser, live_server, store):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    sign_in(page, live_server.url)
    open_editor(page, live_server.url, store)
    return context, page


def add_tile(page, kind: str) -> str:
    page.click(f"#palette .palette-item[data-type={kind}] .palette-add")
    return page.locator(f"#layers [data-type={kind}]").last.get_attribute("data-tile")


def tile_config(store, key: str) -> dict:
    store.refresh_from_db()
    for page in store.draft["pages"]:
        for section in page["sections"]:
            for tile in section["tiles"]:
                if tile["key"] == key:
                    return tile["config"]
    raise LookupError(key)


def box_of(page, locator) -> dict:
    """The element's box once in view (the panel may be redrawn meanwhile: look again)."""
    for _ in range(5):
        try:
            locator.scroll_into_view_if_needed(timeout=2000)
            return locator.bounding_box()
        except PlaywrightError:
            page.wait_for_timeout(300)
    raise AssertionError("the element kept moving")


def drop_file(page, zone, name: str, data: bytes) -> None:
    """What a browser does when a file is dropped on an element."""
    transfer = page.evaluate_handle(
        """([name, bytes]) => {
          const data = new DataTransfer();
          data.items.add(new File([new Uint8Array(bytes)], name, { type: "image/png" }));
          return data;
        }""", [name, list(data)])
    zone.dispatch_event("dragover", {"dataTransfer": transfer})
    zone.dispatch_event("drop", {"dataTransfer": transfer})


def test_two_hotspots_are_placed_by_clicking_on_the_image(live_server, browser, shop):
    context, page = editor(browser, live_server, shop)
    key = add_tile(page, "shoppable_image")
    page.set_input_files(f"#cfg-{key}-asset", files=[{
        "name": "camp.png", "mimeType": "image/png", "buffer": png_bytes((800, 400))}])
    stage = page.locator(f"#cfg-{key}-hotspots-stage")
    expect(stage.locator("img")).to_be_visible()
    box = box_of(page, stage)
    page.mouse.click(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.5)
    page.get_by_label("Product of hot-spot 1").fill("2P")
    page.click("button[aria-label='Choose Ridge tent 2P']")
    box = box_of(page, stage)
    page.mouse.click(box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.2)
    page.get_by_label("Product of hot-spot 2").fill("stove")
    page.click("button[aria-label='Choose Camp stove']")
    expect(stage.locator(".hotspot-pin")).to_have_count(2)
    # A spot moves with the arrow keys too.
    stage.locator(".hotspot-pin").first.focus()
    page.keyboard.press("ArrowRight")
    page.fill(f"#cfg-{key}-alt", "A camp by the lake")
    wait_saved(page)
    spots = tile_config(shop, key)["hotspots"]
    assert [spot["asin"] for spot in spots] == ["B0TENT0001", "B0STOVE001"]
    near = pytest.approx
    assert (spots[0]["x"], spots[0]["y"]) == (near(26, abs=1.5), near(50, abs=1.5))
    assert (spots[1]["x"], spots[1]["y"]) == (near(75, abs=1.5), near(20, abs=1.5))
    # The canvas shows them as shoppers will.
    expect(canvas(page).locator(f"[data-tile='{key}'] [data-asin]")).to_have_count(2)
    context.close()


def test_a_pasted_youtube_address_shows_which_video_it_is(live_server, browser, shop):
    context, page = editor(browser, live_server, shop)
    key = add_tile(page, "video")
    page.fill(f"#cfg-{key}-url", "https://youtu.be/dQw4w9WgXcQ?si=share")
    expect(page.locator(f"#cfg-{key}-url-found")).to_have_text("YouTube video dQw4w9WgXcQ")
    expect(page.locator(".video-preview iframe")).to_have_attribute(
        "src", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ")
    wait_saved(page)
    config = tile_config(shop, key)
    assert (config["provider"], config["video_id"]) == ("youtube", "dQw4w9WgXcQ")
    page.fill(f"#cfg-{key}-url", "https://example.com/clip")
    expect(page.locator(f"#cfg-{key}-url-found")).to_have_text(
        "This is not the address of a YouTube or Vimeo video.")
    context.close()


def test_a_link_target_is_picked_from_pages_and_products(live_server, browser, shop):
    context, page = editor(browser, live_server, shop)
    key = add_tile(page, "image")
    page.get_by_label("A page of this Store").check()
    expect(page.locator(f"#cfg-{key}-link-current")).to_have_text("Links to the page “Home”.")
    wait_saved(page)
    assert tile_config(shop, key)["link"] == {"page": "home"}
    page.get_by_label("A product", exact=True).check()
    page.fill(f"#cfg-{key}-link-product", "stove")
    page.click("button[aria-label='Choose Camp stove']")
    expect(page.locator(f"#cfg-{key}-link-current")).to_have_text(
        "Links to the product “Camp stove”.")
    wait_saved(page)
    assert tile_config(shop, key)["link"] == {"asin": "B0STOVE001"}
    context.close()


def test_an_image_dropped_on_one_tile_is_reused_in_another(live_server, browser, shop):
    context, page = editor(browser, live_server, shop)
    first = add_tile(page, "image")
    drop_file(page, page.locator("#settings .drop-zone[data-field=asset]"), "lake.png",
              png_bytes((1600, 800)))
    expect(page.locator(f"#cfg-{first}-asset-status")).to_have_text("Uploaded.")
    page.fill(f"#cfg-{first}-alt", "Tents by a lake")
    wait_saved(page)
    asset = tile_config(shop, first)["asset"]
    assert shop.brand.assets.filter(pk=asset, original_name="lake.png").exists()

    second = add_tile(page, "image")
    page.fill(f"#cfg-{second}-asset-search", "lake")
    page.click(f"#settings .library-item[data-asset='{asset}']")
    page.fill(f"#cfg-{second}-alt", "The same lake")
    wait_saved(page)
    assert tile_config(shop, second)["asset"] == asset
    assert shop.brand.assets.count() == 1
    expect(canvas(page).locator(f"[data-tile='{second}'] img")).to_have_attribute(
        "alt", "The same lake")
    context.close()
