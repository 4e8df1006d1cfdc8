"""A Store page in real Chromium: layouts on desktop, stacked on a phone, device visibility,
no console errors under the strict Content Security Policy, click-to-load videos."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from catalog.stock import stock_changed
from tests import factories
from tests.documents import home_document, published_document, section, tile

pytestmark = pytest.mark.browser


@pytest.fixture
def shop(transactional_db, seller, make_store):
    made = [factories.ProductFactory(brand=seller.brand, asin=f"B3{i:08d}", title=f"Tent {i}",
                                     units_sold_30d=10 + i, quantity=0 if i == 1 else 4)
            for i in range(8)]
    stock_changed([p.pk for p in made])
    texts = [tile(f"q{i}", "text", html=f"<p>Quarter {i}</p>") for i in range(4)]
    document = home_document(
        section("s1", *texts, layout="quarters"),
        section("s2", tile("grid", "product_grid", mode="manual",
                           asins=[p.asin for p in made[:4]])),
        section("s3", {**tile("desk", "text", html="<p>Desktop only</p>"),
                       "visibility": "desktop"},
                {**tile("phone", "text", html="<p>Phone only</p>"), "visibility": "phone"}),
    )
    return make_store(published_document(seller.brand, document))


def tops_and_lefts(page, selector: str) -> list[tuple[int, int]]:
    return page.eval_on_selector_all(
        selector, "els => els.map(e => [Math.round(e.getBoundingClientRect().top),"
                  " Math.round(e.getBoundingClientRect().left)])")


def test_a_quarters_section_is_four_columns_on_desktop_and_stacked_on_a_phone(
        live_server, page, shop, artifacts_dir):
    errors, failed = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/stores/acme-outdoor/")
    quarters = tops_and_lefts(page, '[data-section="s1"] .tile')
    assert len({top for top, _ in quarters}) == 1  # one row
    assert len({left for _, left in quarters}) == 4
    assert page.is_visible("text=Desktop only") and not page.is_visible("text=Phone only")
    # The out-of-stock card of a manual grid stays, without a price.
    card = page.locator('[data-asin="B300000001"]')
    assert card.is_visible() and card.locator("[data-price]").count() == 0
    page.screenshot(path=str(artifacts_dir / "store-page-1280.png"), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    quarters = tops_and_lefts(page, '[data-section="s1"] .tile')
    assert len({left for _, left in quarters}) == 1  # one column
    assert len({top for top, _ in quarters}) == 4
    assert page.is_visible("text=Phone only") and not page.is_visible("text=Desktop only")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    page.screenshot(path=str(artifacts_dir / "store-page-390.png"), full_page=True)
    # Nothing refused by the CSP, nothing missing (the site has no favicon yet).
    assert [url for url in failed if not url.endswith("/favicon.ico")] == []
    assert [e for e in errors if "Content Security Policy" in e] == []


@pytest.fixture
def deals_shop(transactional_db, seller, make_store):
    """A home page with deals, a product tile with a landscape picture, and a sub-page."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    from catalog.models import ProductImage

    made = [factories.ProductFactory(brand=seller.brand, asin=f"B4{i:08d}",
                                     title=f"Ridge tent {i} with a long name for two lines",
                                     units_sold_30d=10 + i, quantity=4) for i in range(4)]
    for product in made[:2]:
        factories.DealFactory(product=product, deal_price="9.90")
    buffer = io.BytesIO()
    Image.new("RGB", (1000, 600), (180, 60, 40)).save(buffer, "JPEG")
    item = ProductImage(product=made[3], position=0)
    item.image.save("wide.jpg", ContentFile(buffer.getvalue()), save=True)
    stock_changed([p.pk for p in made])
    document = home_document(
        section("s1", tile("deals", "featured_deals", title="Deals", limit=4)),
        section("s2", tile("grid", "product_grid", mode="manual", title="Picks",
                           asins=[p.asin for p in made])),
        section("s3", tile("details", "product", asin=made[3].asin)),
        pages=[{"key": "tents", "parent": "home", "slug": "tents", "title": "Tents",
                "sections": [section("t1", tile("tt", "text", html="<p>All our tents</p>"))]}],
    )
    return make_store(published_document(seller.brand, document))


def box(page, selector: str) -> dict:
    return page.eval_on_selector(selector, "e => e.getBoundingClientRect().toJSON()")


@pytest.mark.parametrize("width", [390, 1280])
def test_deal_badges_cover_no_picture_and_headings_line_up(live_server, page, deals_shop,
                                                           width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/stores/acme-outdoor/")
    cards = page.locator(".card--deal")
    assert cards.count() == 4  # two in the deals tile, the same two in the grid
    for index in range(cards.count()):
        card = cards.nth(index)
        badge = card.locator(".deal-badge").bounding_box()
        media = card.locator(".card__media").bounding_box()
        assert badge["y"] >= media["y"] + media["height"], "the badge covers the picture"
        assert card.locator(".price--deal").is_visible()
        assert card.locator(".price--was").is_visible()

    # The product tile's picture keeps its own proportions: no grey box around it.
    link, img = box(page, ".product-details__media"), box(page, ".product-details__media img")
    assert abs(img["width"] / img["height"] - 1000 / 600) < 0.02
    assert abs(link["height"] - img["height"]) < 1
    assert page.eval_on_selector(".product-details__media",
                                 "e => getComputedStyle(e).backgroundColor") == "rgba(0, 0, 0, 0)"

    home_heading = box(page, '[data-tile="deals"] .tile__title')
    page.goto(f"{live_server.url}/stores/acme-outdoor/tents/")
    title = box(page, "h1.store-title")
    # A sub-page's title starts where the home page's first heading does.
    assert (title["x"], title["y"]) == (home_heading["x"], home_heading["y"])


PROVIDERS = re.compile(r"^https://([a-z-]+\.)*(youtube|youtube-nocookie|ytimg|vimeo|vimeocdn)\.com/")


@pytest.fixture
def video_shop(transactional_db, seller, make_store, make_asset):
    """A YouTube video without a poster (accent gradient) beside a Vimeo one with a poster."""
    poster = make_asset(color=(40, 70, 110), size=(1280, 720), name="poster.png")
    document = home_document(section(
        "s1",
        tile("film", "video", url="https://www.youtube.com/watch?v=aqz-KE-bpKQ",
             title="A short film"),
        tile("walk", "video", url="https://vimeo.com/76979871", title="Ridge walk",
             poster=poster.pk),
        layout="halves"))
    return make_store(published_document(seller.brand, document))


def provider_requests(page) -> list[str]:
    """Every request to YouTube or Vimeo, answered here (the sandbox has no internet)."""
    seen: list[str] = []

    def answer(route):
        seen.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<p>player</p>")

    page.context.route(PROVIDERS, answer)
    return seen


@pytest.mark.parametrize("width", [390, 1280])
def test_a_video_loads_from_youtube_only_when_the_shopper_presses_play(
        live_server, page, video_shop, artifacts_dir, width):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    requested = provider_requests(page)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/stores/acme-outdoor/")
    page.wait_for_load_state("networkidle")

    film = page.locator('[data-tile="film"]')
    play = film.get_by_role("button", name=re.compile("Play video: A short film"))
    expect(play).to_be_visible()
    expect(film).to_contain_text("Plays from YouTube")
    assert page.locator("iframe").count() == 0
    assert requested == []  # nothing from the provider before the click
    # The facade keeps the tile's 16:9 box.
    facade = film.locator(".video").bounding_box()
    assert abs(facade["width"] / facade["height"] - 16 / 9) < 0.02
    page.screenshot(path=str(artifacts_dir / f"store-video-facade-{width}.png"), full_page=True)

    play.click()

    frame = film.locator("iframe")
    expect(frame).to_have_attribute(
        "src", "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ?autoplay=1")
    expect(frame).to_have_attribute("title", "A short film")
    assert "autoplay" in frame.get_attribute("allow")
    assert film.get_by_role("button").count() == 0
    assert page.evaluate("document.activeElement.tagName") == "IFRAME"
    player = film.locator(".video").bounding_box()
    assert (player["width"], player["height"]) == (facade["width"], facade["height"])
    # The page's policy lets the privacy-mode player in; the other video stays a facade.
    page.wait_for_load_state("networkidle")
    assert [e for e in errors if "Content Security Policy" in e] == []
    assert requested == ["https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ?autoplay=1"]
    assert page.locator('[data-tile="walk"] iframe').count() == 0


def test_the_play_button_works_from_the_keyboard(live_server, page, video_shop):
    provider_requests(page)
    page.goto(f"{live_server.url}/stores/acme-outdoor/")

    walk = page.locator('[data-tile="walk"]')
    expect(walk.locator("img.video__poster")).to_be_visible()
    walk.get_by_role("button", name=re.compile("Ridge walk")).focus()
    page.keyboard.press("Space")

    expect(walk.locator("iframe")).to_have_attribute(
        "src", "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1")
    assert page.locator('[data-tile="film"] iframe').count() == 0


def test_without_javascript_the_video_is_a_link_to_youtube(live_server, browser, video_shop):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/stores/acme-outdoor/")

    link = page.locator('[data-tile="film"]').get_by_role(
        "link", name=re.compile("A short film"))
    expect(link).to_have_attribute("href", "https://www.youtube.com/watch?v=aqz-KE-bpKQ")
    assert page.locator("iframe").count() == 0
    context.close()
