"""The editor at phone size (the canvas is the page, settings a bottom sheet, pages and
palette a drawer) and its accessibility: axe finds no serious or critical violation with
any panel open. Also: a new Store starts from a home-page template with the brand's own
products."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from stores.models import Store
from tests.browser.test_builder import (
    canvas,
    layer,
    open_editor,
    sign_in,
    wait_saved,
)

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the editor (the canvas frame's content
    is the shopper page, checked by the shopper pages' own tests)."""
    assert AXE.exists(), "axe-core is missing: npm ci installs it (package.json)"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, { iframes: false, resultTypes: ["violations"] });
        return r.violations.filter(v => ["serious", "critical"].includes(v.impact))
          .map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(" ")).join(", ")}`);
    }""")
    return result


def test_editing_at_390_px_keeps_the_new_tile_in_view(live_server, browser, shop, artifacts_dir):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    page = context.new_page()
    sign_in(page, live_server.url)
    open_editor(page, live_server.url, shop)
    # The canvas is the page: phone width, no scaling, no side columns.
    assert page.locator("#canvas-frame").evaluate("f => f.offsetWidth") == 390
    expect(page.locator("button[data-device=phone]")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#side")).not_to_be_visible()
    expect(page.locator("#settings")).not_to_be_visible()

    # Tapping a tile opens its settings as a bottom sheet.
    canvas(page).locator("[data-tile=t1]").tap()
    sheet = page.locator("#settings")
    expect(sheet).to_be_visible()
    assert sheet.bounding_box()["y"] > 300
    page.screenshot(path=str(artifacts_dir / "builder-canvas-390-sheet.png"))
    page.click("#settings .settings-close")
    expect(sheet).not_to_be_visible()

    # The drawer holds pages, layers and the palette; adding closes it on the new tile.
    page.click("#open-drawer")
    expect(page.locator("#side")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "builder-drawer-390.png"))
    for _ in range(3):
        if not page.locator("#side").is_visible():
            page.click("#open-drawer")
        page.click("#palette .palette-item[data-type=best_sellers] .palette-add")
        expect(page.locator("#side")).not_to_be_visible()
    keys = page.locator("#layers [data-type=best_sellers]").evaluate_all(
        "rows => rows.map(r => r.dataset.tile)")
    assert len(keys) == 3
    newest = canvas(page).locator(f"[data-tile='{keys[-1]}']")
    expect(newest).to_have_class(re.compile(r"\bsf-selected\b"))
    expect(newest).to_be_in_viewport()
    expect(sheet).to_be_visible()
    wait_saved(page)
    page.screenshot(path=str(artifacts_dir / "builder-canvas-390.png"))
    shop.refresh_from_db()
    assert [t["type"] for t in shop.draft["pages"][0]["sections"][0]["tiles"]] == [
        "text", "best_sellers", "best_sellers", "best_sellers"]
    context.close()


def test_axe_finds_nothing_serious_with_any_panel_open(live_server, browser, shop, artifacts_dir):
    # axe is injected as a script: the page's CSP (no inline script) is bypassed for it.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    sign_in(page, live_server.url)
    open_editor(page, live_server.url, shop)
    found = {"page settings": serious_violations(page)}
    layer(page, "t1").locator(".tile-name").click()
    expect(page.locator("#settings")).to_have_attribute("data-shows", "tile")
    found["tile settings"] = serious_violations(page)
    layer(page, "s1").locator(":scope > .layer-row .section-name").click()
    found["section settings"] = serious_violations(page)
    page.click("#open-versions")
    found["versions"] = serious_violations(page)
    page.click("#close-versions")
    layer(page, "t1").locator(".delete").click()
    found["undo toast"] = serious_violations(page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.click("#open-drawer")
    found["phone drawer"] = serious_violations(page)
    assert found == {key: [] for key in found}
    context.close()


def test_a_new_store_starts_from_a_template_with_the_brands_products(
        live_server, browser, seller):
    from catalog.stock import stock_changed
    from tests import factories

    made = [factories.ProductFactory(brand=seller.brand, asin=f"B0GEAR000{i}",
                                     title=f"Trail gear {i}", quantity=5 + i,
                                     units_sold_30d=10 * i) for i in range(1, 4)]
    stock_changed([p.pk for p in made])
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live_server.url)
    page.fill("#id_name", "Acme Trail")
    page.check("#template-marquee")
    page.click(".create-form button[type=submit]")
    page.wait_for_selector("#editor.is-ready")
    store = Store.objects.get(name="Acme Trail")
    tiles = [t for s in store.draft["pages"][0]["sections"] for t in s["tiles"]]
    grid = next(t for t in tiles if t["type"] == "product_grid")
    assert set(grid["config"]["asins"]) == {p.asin for p in made}
    expect(canvas(page).locator("[data-asin=B0GEAR0003]").first).to_be_visible()
    context.close()
