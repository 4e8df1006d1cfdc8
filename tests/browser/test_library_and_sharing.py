"""The builder's image library, versions and sharing, as a brand owner uses them: one image
replaced in every tile that shows it (and Undo), a focal point set by clicking on the picture
(the gallery's crops keep it), a seasonal window for an approved version in the user's own
time zone, share links made and revoked, and a page's description for search engines."""
from __future__ import annotations

import copy
import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from playwright.sync_api import expect

from catalog.images import renditions_ensure
from catalog.models import UserPreferences
from stores.assets import asset_create
from stores.models import ShareLink
from stores.selectors import live_version_for
from tests.browser.conftest import WELCOME_DRAFT, page_errors
from tests.browser.test_builder import canvas, layer, wait_saved
from tests.browser.test_canvas_editing import editor, version_of

pytestmark = pytest.mark.browser


def png(size=(800, 400), color=(10, 125, 90), square_at: float | None = None) -> bytes:
    """A plain picture; with `square_at`, a black square at that fraction across."""
    image = Image.new("RGB", size, color)
    if square_at is not None:
        x, y = int(size[0] * square_at), size[1] // 2
        image.paste((0, 0, 0), (x - 20, y - 20, x + 20, y + 20))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def asset_of(seller, data: bytes, name: str):
    return asset_create(brand=seller.brand, upload=SimpleUploadedFile(name, data, "image/png"),
                        user=seller.user)


def with_images(store, a: int) -> None:
    """Image `a` in an image tile and a gallery on the home page, and on a sub-page."""
    draft = copy.deepcopy(WELCOME_DRAFT)
    draft["pages"][0]["sections"][0]["tiles"] += [
        {"key": "img", "type": "image", "visibility": "all",
         "config": {"asset": a, "alt": "Tents by a lake"}},
        {"key": "gal", "type": "gallery", "visibility": "all",
         "config": {"images": [{"asset": a, "alt": "Tents by a lake"}]}}]
    draft["pages"].append({"key": "camp", "parent": "home", "slug": "camp", "title": "Camp",
                           "sections": [{"key": "s9", "layout": "full", "tiles": [
                               {"key": "img2", "type": "image", "visibility": "all",
                                "config": {"asset": a, "alt": "Camp"}}]}]})
    store.draft = draft
    store.save(update_fields=["draft"])


def assets_in(store) -> list:
    store.refresh_from_db()
    found = []
    for page in store.draft["pages"]:
        for section in page["sections"]:
            for tile in section["tiles"]:
                config = tile["config"]
                if "asset" in config:
                    found.append(config["asset"])
                found += [i["asset"] for i in config.get("images", [])]
    return found


def test_an_image_is_replaced_everywhere_and_undo_brings_it_back(live_server, browser, shop,
                                                                  seller):
    green = asset_of(seller, png(), "green.png")
    blue = asset_of(seller, png(color=(20, 40, 200)), "blue.png")
    with_images(shop, green.pk)
    context, page = editor(browser, live_server, shop)
    errors = page_errors(page)

    layer(page, "img").locator(".tile-name").click()
    page.locator("#settings .replace-box summary").click()
    expect(page.locator("#settings .replace-usage")).to_have_text("Used in 3 tiles on 2 pages.")
    page.click(f"#settings .replace-box [data-replace-with='{blue.pk}']")
    expect(page.locator("#announcer")).to_have_text("Image replaced in 3 tiles.")
    assert assets_in(shop) == [blue.pk, blue.pk, blue.pk]
    blue_key = renditions_ensure(blue.file)["key"]
    expect(canvas(page).locator("[data-tile=img] img")).to_have_attribute(
        "src", re.compile(f"/renditions/{blue_key}/"))

    page.click("#undo")  # one edit: one Undo
    wait_saved(page)
    assert assets_in(shop) == [green.pk, green.pk, green.pk]
    assert errors == []
    context.close()


def test_a_focal_point_set_by_clicking_moves_the_gallery_crop(live_server, browser, shop,
                                                              seller):
    photo = asset_of(seller, png(square_at=0.85), "tents.png")
    with_images(shop, photo.pk)
    context, page = editor(browser, live_server, shop)

    layer(page, "img").locator(".tile-name").click()
    # Named by where it sits on the page, not by its internal key.
    expect(page.locator("#settings .settings-head .muted")).to_have_text(
        "Tile 2 of 3 in Section 1")
    stage = page.locator("#settings .focal-stage")
    box = stage.locator("img").bounding_box()
    stage.click(position={"x": box["width"] * 0.85, "y": box["height"] * 0.5})
    expect(page.locator("#settings .focal-status")).to_have_text(
        "Focal point: 85% from the left, 50% from the top.")
    photo.refresh_from_db()
    assert photo.focal_point == pytest.approx((0.85, 0.5), abs=0.01)

    # The worker re-made the 4:3 renditions around the point; the canvas's gallery uses them.
    manifest = renditions_ensure(photo.file, crop="4:3", focal=photo.focal_point,
                                 generate=False)
    assert manifest is not None and (manifest["width"], manifest["height"]) == (533, 400)
    cropped = Image.open(Path(settings.MEDIA_ROOT) / "renditions" / manifest["key"]
                         / "533.jpg").convert("RGB")
    # The crop runs to the right edge: the square (at 680 of 800) sits at 680 - 267 = 413.
    assert max(cropped.getpixel((413, 200))) < 60
    expect(canvas(page).locator("[data-tile=gal] img")).to_have_attribute(
        "src", f"{settings.MEDIA_URL}renditions/{manifest['key']}/533.jpg")
    expect(canvas(page).locator("[data-tile=gal] img")).to_have_class("fx-85 fy-50")

    # The keyboard way: arrow keys move the point in steps of 5 %.
    stage.focus()
    page.keyboard.press("ArrowUp")
    expect(page.locator("#settings .focal-status")).to_have_text(
        "Focal point: 85% from the left, 45% from the top.")
    photo.refresh_from_db()
    assert photo.focal_point == pytest.approx((0.85, 0.45), abs=0.01)
    context.close()


def test_an_approved_version_is_scheduled_in_the_users_time_zone(live_server, browser, shop,
                                                                 seller):
    UserPreferences.objects.update_or_create(user=seller.user,
                                             defaults={"time_zone": "Europe/Amsterdam"})
    seasonal = copy.deepcopy(WELCOME_DRAFT)
    seasonal["pages"][0]["sections"][0]["tiles"][0]["config"]["html"] = "<h2>Winter sale</h2>"
    winter = version_of(shop, seasonal)
    live = version_of(shop, copy.deepcopy(WELCOME_DRAFT), live=True)
    context, page = editor(browser, live_server, shop)

    page.click("#open-versions")
    row = page.locator("#versions-list [data-version='1']")
    row.locator(".schedule-version").click()
    expect(row.locator(".schedule-form")).to_contain_text("Europe/Amsterdam")
    row.locator("input[type=datetime-local]").first.fill("2030-12-01T09:00")
    row.locator("input[type=datetime-local]").last.fill("2030-12-08T18:30")
    row.locator(".schedule-form button[type=submit]").click()
    expect(page.locator("#versions-list [data-version='1'] .schedule-window")).to_contain_text(
        "Europe/Amsterdam")
    # The live version offers no schedule of its own.
    expect(page.locator("#versions-list [data-version='2'] .schedule-version")).to_have_count(0)

    winter.refresh_from_db()
    # 09:00 in Amsterdam in December is 08:00 UTC.
    assert winter.schedule_starts_at == datetime(2030, 12, 1, 8, 0, tzinfo=UTC)
    assert winter.schedule_ends_at == datetime(2030, 12, 8, 17, 30, tzinfo=UTC)
    # Shoppers see it only within its window.
    assert live_version_for(store=shop) == live
    assert live_version_for(store=shop, at=datetime(2030, 12, 2, tzinfo=UTC)) == winter
    assert live_version_for(store=shop, at=datetime(2030, 12, 9, tzinfo=UTC)) == live
    response = page.request.get(f"{live_server.url}/stores/{shop.slug}/")
    assert "Winter sale" not in response.text()
    context.close()


def test_a_share_link_is_made_listed_and_revoked(live_server, browser, shop):
    context, page = editor(browser, live_server, shop)
    errors = page_errors(page)

    page.click("#share-link")
    page.fill("#share-label", "Agency review")
    page.select_option("#share-expiry", "168")
    page.click("#share-form button[type=submit]")
    link_row = page.locator("#share-list .share-link").first
    expect(link_row).to_contain_text("Agency review")
    expect(link_row).to_contain_text("Active")
    url = page.locator("#share-url").input_value()
    link = ShareLink.objects.get()
    assert (link.label, link.purpose) == ("Agency review", ShareLink.Purpose.SHARE)
    assert 167 * 3600 < (link.expires_at - link.created_at).total_seconds() <= 168 * 3600
    shown = page.request.get(url)
    assert shown.status == 200 and "Welcome" in shown.text()

    page.once("dialog", lambda dialog: dialog.accept())
    link_row.locator(".revoke-link").click()
    expect(page.locator("#share-list .share-link").first).to_contain_text("Revoked")
    assert page.request.get(url).status == 410  # gone: revoked, not unknown
    # The builder's own canvas made no link of its own.
    assert ShareLink.objects.count() == 1
    assert errors == []
    context.close()


def test_a_page_description_reaches_the_pages_meta_description(live_server, browser, shop):
    context, page = editor(browser, live_server, shop)
    page.fill("#page-description", "Tents, stoves and sleeping bags for wild camping.")
    wait_saved(page)
    # The draft's preview, as the canvas and a share link render it.
    preview = context.new_page()
    preview.goto(f"{live_server.url}/builder/stores/{shop.pk}/canvas/?page=home")
    expect(preview.locator("meta[name=description]")).to_have_attribute(
        "content", "Tents, stoves and sleeping bags for wild camping.")
    shop.refresh_from_db()
    assert shop.draft["pages"][0]["description"] == (
        "Tents, stoves and sleeping bags for wild camping.")
    context.close()
