"""Editing on the live canvas, as a brand owner does it: nothing is ever blocked or lost —
an unfinished tile saves and says what it misses, every edit can be undone and redone,
deletions offer Undo, sections and pages duplicate, the draft goes back to the live version
or to any earlier version — and the whole editor works at phone size."""
from __future__ import annotations

import copy

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from stores.models import StoreVersion
from tests.browser.conftest import WELCOME_DRAFT, page_errors
from tests.browser.test_builder import (
    canvas,
    layer,
    open_editor,
    sign_in,
    tile_keys,
    wait_saved,
)

pytestmark = pytest.mark.browser


def editor(browser, live_server, store, *, width=1280, height=900):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    sign_in(page, live_server.url)
    open_editor(page, live_server.url, store)
    return context, page


def version_of(store, document: dict, *, approved: bool = True, live: bool = False):
    version = StoreVersion.objects.create(
        store=store, number=store.versions.count() + 1, document=document,
        source_revision=store.revision, approved_at=timezone.now() if approved else None)
    if live:
        store.published_version = version
        store.save(update_fields=["published_version"])
    return version


def test_an_unfinished_tile_and_a_page_rename_are_both_saved(live_server, browser, shop):
    context, page = editor(browser, live_server, shop)
    errors = page_errors(page)
    page.click("#palette .palette-item[data-type=product_grid] .palette-add")
    grid_key = tile_keys(page, "s1")[-1]
    page.click("#settings .settings-close")
    page.fill("#page-title", "Welcome home")
    wait_saved(page)

    page.reload()
    page.wait_for_selector("#editor.is-ready")
    expect(page.locator("#save-status")).to_have_text("Saved")
    expect(page.locator("#page-title")).to_have_value("Welcome home")
    # Marked in the layers list and on the canvas with what it misses.
    expect(layer(page, grid_key).locator(".layer-problem")).to_contain_text("Incomplete")
    marked = canvas(page).locator(f"[data-tile='{grid_key}'].sf-incomplete .sf-missing")
    expect(marked).to_be_visible()
    shop.refresh_from_db()
    assert shop.draft["pages"][0]["title"] == "Welcome home"
    assert [t["key"] for t in shop.draft["pages"][0]["sections"][0]["tiles"]] == ["t1", grid_key]
    assert errors == []
    context.close()


def test_five_edits_are_undone_and_redone(live_server, browser, shop):
    context, page = editor(browser, live_server, shop)
    for kind in ("best_sellers", "featured_deals", "recommended_products"):
        page.click(f"#palette .palette-item[data-type={kind}] .palette-add")
    page.click("#palette .palette-item[data-kind=section] .palette-add")
    layer(page, "t1").locator(".tile-name").click()
    page.click("#duplicate-tile")
    expect(page.locator("#layers [data-tile]")).to_have_count(5)
    wait_saved(page)
    shop.refresh_from_db()
    after = copy.deepcopy(shop.draft)

    undo = page.locator("#undo")
    for count in (4, 4, 3, 2, 1):  # duplicate, section, then the three tiles
        undo.click()
        expect(page.locator("#layers [data-tile]")).to_have_count(count)
    expect(page.locator("#layers [data-section]")).to_have_count(1)
    expect(undo).to_be_disabled()
    wait_saved(page)
    shop.refresh_from_db()
    assert shop.draft["pages"] == WELCOME_DRAFT["pages"]
    expect(canvas(page).locator("[data-tile]")).to_have_count(1)

    # Redo with the keyboard (focus on the page, not in a field).
    page.locator("#layers-heading").click()
    for _ in range(5):
        page.keyboard.press("ControlOrMeta+Shift+z")
    expect(page.locator("#layers [data-tile]")).to_have_count(5)
    expect(page.locator("#redo")).to_be_disabled()
    wait_saved(page)
    shop.refresh_from_db()
    assert shop.draft["pages"] == after["pages"]
    context.close()


def test_a_deleted_tile_section_and_page_come_back_with_undo(live_server, browser, shop):
    context, page = editor(browser, live_server, shop)
    layer(page, "t1").locator(".delete").click()
    toast = page.locator("#toast")
    expect(toast).to_contain_text("Deleted Text")
    expect(page.locator("#toast-undo")).to_be_focused()  # the row it was on is gone
    wait_saved(page)
    shop.refresh_from_db()
    assert shop.draft["pages"][0]["sections"][0]["tiles"] == []
    page.click("#toast-undo")
    expect(layer(page, "t1")).to_be_visible()
    expect(canvas(page).locator("[data-tile=t1] h2")).to_have_text("Welcome")
    wait_saved(page)
    shop.refresh_from_db()
    assert shop.draft["pages"] == WELCOME_DRAFT["pages"]

    layer(page, "s1").locator(":scope > .layer-row .section-name").click()
    page.click("#delete-section")
    expect(toast).to_contain_text("Deleted Section 1")
    page.click("#toast-undo")
    expect(layer(page, "t1")).to_be_visible()

    # A page: added from a template, deleted, brought back.
    page.click("summary:has-text('Add a page')")
    page.select_option("#add-page-template", "blank")
    page.fill("#add-page-title", "Tents")
    page.click("#add-page button[type=submit]")
    expect(page.locator("#page-tree .page-node.is-selected")).to_contain_text("Tents")
    page.click("#delete-page")
    expect(toast).to_contain_text("Deleted page Tents")
    expect(page.locator("#page-tree .page-node")).to_have_count(1)
    page.click("#toast-undo")
    expect(page.locator("#page-tree .page-node")).to_have_count(2)
    wait_saved(page)
    shop.refresh_from_db()
    assert [p["title"] for p in shop.draft["pages"]] == ["Home", "Tents"]
    context.close()


def test_a_section_is_duplicated_with_its_tiles(live_server, browser, shop):
    context, page = editor(browser, live_server, shop)
    layer(page, "s1").locator(":scope > .layer-row .duplicate").click()
    expect(page.locator("#layers [data-section]")).to_have_count(2)
    expect(page.locator("#announcer")).to_have_text("Duplicated: Section 2")
    wait_saved(page)
    shop.refresh_from_db()
    first, second = shop.draft["pages"][0]["sections"]
    assert second["key"] != first["key"]
    assert second["tiles"][0]["key"] != "t1"
    assert second["tiles"][0]["config"] == first["tiles"][0]["config"]
    expect(canvas(page).locator("[data-section] h2")).to_have_text(["Welcome", "Welcome"])
    context.close()


def test_an_old_version_is_restored_into_the_draft_and_the_draft_discarded(
        live_server, browser, shop):
    old = copy.deepcopy(WELCOME_DRAFT)
    old["pages"][0]["sections"][0]["tiles"][0]["config"]["html"] = "<h2>Autumn sale</h2>"
    version_of(shop, old)
    live = copy.deepcopy(WELCOME_DRAFT)
    live["pages"][0]["title"] = "Start"
    version_of(shop, live, live=True)
    context, page = editor(browser, live_server, shop)

    page.click("#open-versions")
    versions = page.locator("#versions-list .version")
    expect(versions).to_have_count(2)
    expect(versions.first).to_contain_text("Live now")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#versions-list [data-version='1'] .restore-version")
    expect(canvas(page).locator("[data-tile=t1] h2")).to_have_text("Autumn sale")
    expect(page.locator("#announcer")).to_have_text("Version 1 restored into the draft.")
    shop.refresh_from_db()
    assert shop.draft["pages"][0]["sections"][0]["tiles"][0]["config"]["html"] == (
        "<h2>Autumn sale</h2>")
    assert shop.versions.count() == 2  # the versions themselves are untouched

    # Discard: back to the live version, after a confirmation.
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#discard-draft")
    expect(page.locator("#page-title")).to_have_value("Start")
    expect(canvas(page).locator("[data-tile=t1] h2")).to_have_text("Welcome")
    shop.refresh_from_db()
    assert shop.draft["pages"][0]["title"] == "Start"
    # ...and Undo brings the restored draft back.
    page.click("#undo")
    expect(canvas(page).locator("[data-tile=t1] h2")).to_have_text("Autumn sale")
    context.close()
