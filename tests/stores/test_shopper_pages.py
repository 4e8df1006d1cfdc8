"""The shopper's Store pages: addresses, navigation, layout, cookie, collapse, live stock."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.models import Product
from catalog.services import inventory_bulk_update
from catalog.stock import product_data_changed, stock_changed
from stores.selectors import live_version_for
from tests import factories
from tests.documents import (
    card_html,
    home_document,
    publish,
    published_document,
    section,
    tile,
    tile_present,
)

SUB_PAGES = [
    {"key": "tents", "parent": "home", "slug": "tents", "title": "Tents", "sections": [
        {"key": "ts1", "layout": "full", "tiles": [
            {"key": "tt1", "type": "text", "config": {"html": "<p>All our tents</p>"}}]}]},
    {"key": "family", "parent": "tents", "slug": "family", "title": "Family tents",
     "sections": [{"key": "fs1", "layout": "full", "tiles": [
         {"key": "ft1", "type": "text", "config": {"html": "<p>Room for four</p>"}}]}]},
    {"key": "bags", "parent": "home", "slug": "bags", "title": "Sleeping bags", "sections": []},
]


def get(client, url, **kwargs):
    response = client.get(url, **kwargs)
    return response, response.content.decode()


def test_unknown_store_is_404(client, db):
    assert client.get("/stores/no-such-store/").status_code == 404


def test_a_store_with_nothing_published_is_404(client, make_store):
    make_store(published=False)
    assert client.get("/stores/acme-outdoor/").status_code == 404


def test_an_unknown_page_of_a_published_store_is_404(client, make_store):
    make_store(home_document(pages=SUB_PAGES))
    assert client.get("/stores/acme-outdoor/boats/").status_code == 404
    assert client.get("/stores/acme-outdoor/tents/solo/").status_code == 404


def test_sub_pages_live_at_their_slug_path_with_the_tree_as_navigation(client, make_store):
    make_store(home_document(pages=SUB_PAGES))
    response, html = get(client, "/stores/acme-outdoor/tents/family/")
    assert response.status_code == 200
    assert "Room for four" in html
    assert "<title>Family tents – Acme Outdoor</title>" in html
    primary = re.search(r'<nav class="store-nav".*?</nav>', html, re.S).group(0)
    assert re.findall(r'href="([^"]+)"', primary) == [
        "/stores/acme-outdoor/", "/stores/acme-outdoor/tents/", "/stores/acme-outdoor/bags/"]
    assert 'href="/stores/acme-outdoor/tents/" class="is-active"' in primary
    assert '<a href="/stores/acme-outdoor/">Home</a>' in primary
    secondary = re.search(r'<nav class="store-subnav".*?</nav>', html, re.S).group(0)
    assert 'href="/stores/acme-outdoor/tents/family/" aria-current="page"' in secondary


def test_the_home_page_is_marked_current_in_the_navigation(client, make_store):
    make_store(home_document(pages=SUB_PAGES))
    _, html = get(client, "/stores/acme-outdoor/")
    assert '<a href="/stores/acme-outdoor/" aria-current="page">Home</a>' in html
    assert "store-subnav" not in html


def test_a_first_visit_gets_a_year_long_first_party_visitor_cookie(client, make_store):
    make_store()
    response = client.get("/stores/acme-outdoor/?channel=newsletter")
    assert response.status_code == 200
    cookie = response.cookies["sf_vid"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{24}", cookie.value)
    assert cookie["max-age"] == 365 * 24 * 3600
    assert cookie["samesite"] == "Lax"
    assert cookie["httponly"] is True
    assert cookie["path"] == "/"


def test_a_returning_visitor_keeps_their_cookie(client, make_store):
    make_store()
    client.cookies["sf_vid"] = "abcdefghijklmnop1234"
    response = client.get("/stores/acme-outdoor/")
    assert "sf_vid" not in response.cookies


def test_a_page_view_is_recorded_with_the_visitor_and_page(client, make_store, monkeypatch):
    calls = []
    monkeypatch.setattr("stores.views.page_view_record", lambda **kw: calls.append(kw))
    make_store(home_document(pages=SUB_PAGES))
    client.cookies["sf_vid"] = "abcdefghijklmnop1234"
    client.get("/stores/acme-outdoor/tents/?channel=newsletter")
    assert len(calls) == 1
    assert calls[0]["page_key"] == "tents"
    assert calls[0]["cookie_visitor_id"] == "abcdefghijklmnop1234"
    assert calls[0]["new_visitor_id"] is None
    assert calls[0]["request"].GET["channel"] == "newsletter"


def test_pages_carry_no_inline_script_or_style_and_are_not_cached_by_proxies(client, make_store,
                                                                            products):
    make_store(home_document(section("s1", tile("t1", "best_sellers", limit=4))))
    response, html = get(client, "/stores/acme-outdoor/")
    # Only data blocks (schema.org), which browsers never run.
    assert html.count("<script") == html.count('<script type="application/ld+json">') == 1
    assert "style=" not in html
    assert 'href="/stores/_theme/0a7d5a.css"' in html
    assert response["Cache-Control"] == "no-cache, private"


def test_the_theme_stylesheet_sets_the_accent_and_a_readable_text_colour(client, db):
    response = client.get("/stores/_theme/0a7d5a.css")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/css; charset=utf-8"
    css = response.content.decode()
    assert "--sf-accent: #0a7d5a;" in css and "--sf-on-accent: #ffffff;" in css
    assert "--sf-page-bg: #ffffff;" in css and "--sf-page-ink: #0f1111;" in css
    assert "immutable" in response["Cache-Control"]
    light = client.get("/stores/_theme/ffe066.css").content.decode()
    assert "--sf-on-accent: #0f1111" in light
    assert client.get("/stores/_theme/red.css").status_code == 404


def test_share_buttons_are_plain_links_to_the_public_address(client, make_store):
    make_store(home_document(pages=SUB_PAGES))
    _, html = get(client, "/stores/acme-outdoor/tents/")
    assert ('href="https://www.facebook.com/sharer/sharer.php?u=http%3A%2F%2F127.0.0.1%3A8000'
            '%2Fstores%2Facme-outdoor%2Ftents%2F"') in html
    assert "mailto:?subject=" in html


def test_sections_carry_their_layout_and_tiles_their_visibility(client, make_store, products):
    document = home_document(section(
        "s1", {**tile("t1", "text", html="<p>Desktop</p>"), "visibility": "desktop"},
        {**tile("t2", "text", html="<p>Phone</p>"), "visibility": "phone"},
        tile("t3", "text", html="<p>Everyone</p>"), layout="thirds"))
    make_store(published_document(factories.Brand.objects.get(slug="acme-outdoor")
                                  if hasattr(factories, "Brand") else products[0].brand, document))
    _, html = get(client, "/stores/acme-outdoor/")
    assert '<div class="section section--thirds" data-section="s1">' in html
    assert '<div class="tile tile--text only-desktop" data-tile="t1">' in html
    assert '<div class="tile tile--text only-phone" data-tile="t2">' in html
    assert '<div class="tile tile--text" data-tile="t3">' in html


def test_empty_automatic_tiles_collapse_and_so_does_their_section(client, make_store, seller):
    # The brand has no deals and no sales: both automatic tiles have nothing to show.
    factories.ProductFactory(asin="B0NOSALES1", brand=seller.brand, units_sold_30d=0)
    document = home_document(
        section("s1", tile("t1", "featured_deals", limit=4), tile("t2", "best_sellers", limit=4),
                layout="halves"),
        section("s2", tile("t3", "featured_deals", limit=4),
                tile("t4", "text", html="<p>Still here</p>"), layout="halves"),
    )
    make_store(published_document(seller.brand, document))
    _, html = get(client, "/stores/acme-outdoor/")
    assert 'data-section="s1"' not in html
    assert not tile_present(html, "t1") and not tile_present(html, "t2")
    assert 'data-section="s2"' in html
    assert not tile_present(html, "t3")
    assert tile_present(html, "t4")


def test_an_automatic_tile_fills_its_limit_from_the_next_in_stock_products(
        client, make_store, seller, products):
    for product in products[:2]:
        Product.objects.filter(pk=product.pk).update(quantity=0)
    make_store(published_document(seller.brand, home_document(
        section("s1", tile("t1", "best_sellers", limit=3)))))
    _, html = get(client, "/stores/acme-outdoor/")
    assert re.findall(r'data-asin="(\w+)"', html) == ["B100000002", "B100000003", "B100000004"]


def test_recommended_products_skip_products_the_page_already_shows(
        client, make_store, seller, products):
    make_store(published_document(seller.brand, home_document(
        section("s1", tile("t1", "product_grid", mode="manual",
                           asins=[products[0].asin, products[1].asin])),
        section("s2", tile("t2", "recommended_products", limit=20)))))
    _, html = get(client, "/stores/acme-outdoor/")
    tile_html = html[html.index('data-tile="t2"'):]
    shown = re.findall(r'data-asin="(\w+)"', tile_html)
    assert len(shown) == 8
    assert "B100000000" not in shown and "B100000001" not in shown


def test_recommended_products_rank_well_rated_rich_pages_first(client, make_store, seller):
    plain = factories.ProductFactory(asin="B0PLAIN001", brand=seller.brand, rating="3.0",
                                     review_count=2, bullet_points=[], description="")
    rich = factories.ProductFactory(asin="B0RICH0001", brand=seller.brand, rating="4.8",
                                    review_count=900, bullet_points=["a", "b", "c"])
    factories.DealFactory(product=rich)
    assert plain.pk < rich.pk
    make_store(published_document(seller.brand, home_document(
        section("s1", tile("t1", "recommended_products", limit=2)))))
    _, html = get(client, "/stores/acme-outdoor/")
    assert re.findall(r'data-asin="(\w+)"', html) == ["B0RICH0001", "B0PLAIN001"]


def test_an_automated_grid_sorts_by_price_within_its_category_and_keyword(
        client, make_store, seller):
    tents = factories.CategoryFactory(name="Tents", slug="tents")
    bags = factories.CategoryFactory(name="Bags", slug="bags")
    factories.ProductFactory(asin="B0T0000001", brand=seller.brand, category=tents,
                             title="Dome tent", price="150.00")
    factories.ProductFactory(asin="B0T0000002", brand=seller.brand, category=tents,
                             title="Tunnel tent", price="90.00")
    factories.ProductFactory(asin="B0T0000003", brand=seller.brand, category=tents,
                             title="Tent pegs", price="9.00", bullet_points=["Steel"])
    factories.ProductFactory(asin="B0B0000001", brand=seller.brand, category=bags,
                             title="Down bag", price="200.00", bullet_points=["For any tent"])
    make_store(published_document(seller.brand, home_document(
        section("s1", tile("t1", "product_grid", mode="automated",
                           rule={"category": "tents", "keyword": "tent"}, sort="price_high",
                           limit=2)),
        section("s2", tile("t2", "product_grid", mode="automated",
                           rule={"category": None, "keyword": "any tent"}, sort="price_low",
                           limit=5)))))
    _, html = get(client, "/stores/acme-outdoor/")
    first = html[html.index('data-tile="t1"'):html.index('data-tile="t2"')]
    assert re.findall(r'data-asin="(\w+)"', first) == ["B0T0000001", "B0T0000002"]
    second = html[html.index('data-tile="t2"'):]
    assert re.findall(r'data-asin="(\w+)"', second) == ["B0B0000001"]


def big_document(products: list, tiles: int) -> dict:
    """A page of `tiles` product tiles in sections of 2 (manual grids, best sellers…)."""
    kinds = [
        lambda i: tile(f"t{i}", "product_grid", mode="manual",
                       asins=[p.asin for p in products[i % 5 * 6:(i % 5 * 6) + 8]]),
        lambda i: tile(f"t{i}", "best_sellers", limit=8),
        lambda i: tile(f"t{i}", "product_grid", mode="automated",
                       rule={"category": None, "keyword": "tent"}, sort="rating", limit=8),
        lambda i: tile(f"t{i}", "recommended_products", limit=6),
        lambda i: tile(f"t{i}", "featured_deals", limit=6),
        lambda i: tile(f"t{i}", "product", asin=products[i].asin),
    ]
    sections = [section(f"s{n}", *[kinds[i % len(kinds)](i) for i in (2 * n, 2 * n + 1)],
                        layout="halves") for n in range(tiles // 2)]
    return home_document(*sections)


@pytest.fixture
def many_products(seller):
    category = factories.CategoryFactory(name="Tents", slug="tents")
    made = [factories.ProductFactory(asin=f"B2{i:08d}", brand=seller.brand, category=category,
                                     title=f"Tent {i}", units_sold_30d=i + 1, quantity=4)
            for i in range(160)]
    for product in made[:6]:
        factories.DealFactory(product=product)
    return made


def forget_everything():
    """As a freshly started process with an empty cache."""
    from django.core.cache import cache

    from catalog.stock import forget_process_state
    from stores import rendering, selectors

    cache.clear()
    forget_process_state()
    rendering.clear_compiled_pages()
    selectors._routes.clear()


def test_a_page_view_costs_a_fixed_number_of_queries_whatever_the_tile_count(
        client, make_store, seller, many_products, django_assert_num_queries, monkeypatch):
    from catalog import stock

    # Mirrored versions expire after 2 s (then one query refreshes them): on a slow
    # machine the views below may be further apart than that.
    monkeypatch.setattr(stock, "VERSION_TTL", 60.0)
    small = published_document(seller.brand, big_document(many_products, 6))
    large = published_document(seller.brand, big_document(many_products, 24))
    make_store(small, slug="small")
    make_store(large, slug="large")
    # Cold: Store, schedule windows, the brand's versions, version, automatic tiles'
    # candidates, products, images, deals, stock, the brand's Stores in other marketplaces
    # (hreflang of a home page).
    with django_assert_num_queries(10):
        assert client.get("/stores/small/").status_code == 200
    forget_everything()
    with django_assert_num_queries(10):
        response = client.get("/stores/large/")
    html = response.content.decode()
    assert html.count("data-tile=") == 24
    assert html.count("data-asin=") > 100
    # Warm: nothing that does not depend on stock is read again; stock comes from memory.
    with django_assert_num_queries(0):
        client.get("/stores/large/")
    with django_assert_num_queries(0):
        assert client.get("/stores/large/").content.decode() == html


def test_a_stock_change_through_the_inventory_api_shows_on_the_very_next_view(
        client, make_store, seller, products, django_capture_on_commit_callbacks,
        django_assert_num_queries):
    make_store(published_document(seller.brand, home_document(
        section("s1", tile("t1", "product_grid", mode="manual",
                           asins=[products[0].asin, products[1].asin])))))
    _, before = get(client, "/stores/acme-outdoor/")
    assert 'data-price="19.90"' in card_html(before, "B100000000")

    with django_capture_on_commit_callbacks(execute=True):
        inventory_bulk_update(user=seller.user, items=[{"asin": "B100000000", "quantity": 0}])
    with django_assert_num_queries(1):  # only the changed stock is read again
        _, after = get(client, "/stores/acme-outdoor/")
    card = card_html(after, "B100000000")
    assert "data-price" not in card and "data-prime" not in card
    assert "Currently unavailable" in card
    assert 'data-price="19.90"' in card_html(after, "B100000001")

    with django_capture_on_commit_callbacks(execute=True):
        inventory_bulk_update(user=seller.user, items=[{"asin": "B100000000", "quantity": 7}])
    _, again = get(client, "/stores/acme-outdoor/")
    assert 'data-price="19.90"' in card_html(again, "B100000000")


def test_a_deactivated_product_shows_as_unavailable(client, make_store, seller, products,
                                                    django_capture_on_commit_callbacks):
    make_store(published_document(seller.brand, home_document(
        section("s1", tile("t1", "product", asin=products[0].asin)))))
    get(client, "/stores/acme-outdoor/")
    Product.objects.filter(pk=products[0].pk).update(is_active=False)
    stock_changed([products[0].pk])
    _, html = get(client, "/stores/acme-outdoor/")
    assert "data-price" not in card_html(html, "B100000000")


def test_a_price_change_shows_once_product_data_changed_is_signalled(
        client, make_store, seller, products):
    make_store(published_document(seller.brand, home_document(
        section("s1", tile("t1", "product", asin=products[0].asin)))))
    get(client, "/stores/acme-outdoor/")
    Product.objects.filter(pk=products[0].pk).update(price="24.50")
    product_data_changed([products[0].pk])
    _, html = get(client, "/stores/acme-outdoor/")
    assert 'data-price="24.50"' in card_html(html, "B100000000")


def test_a_scheduled_version_replaces_the_evergreen_one_during_its_window(
        client, make_store, seller):
    store = make_store(home_document(section("s1", tile("t1", "text", html="<p>Evergreen</p>"))))
    now = timezone.now()
    autumn = publish(store, home_document(section("s1", tile("t1", "text",
                                                              html="<p>Autumn sale</p>"))),
                     schedule_starts_at=now - timedelta(hours=1),
                     schedule_ends_at=now + timedelta(days=2))
    winter = publish(store, home_document(section("s1", tile("t1", "text",
                                                              html="<p>Winter</p>"))),
                     schedule_starts_at=now + timedelta(days=2))
    store.refresh_from_db()
    assert live_version_for(store=store) == autumn
    assert live_version_for(store=store, at=now + timedelta(days=2)) == winter
    assert live_version_for(store=store, at=now - timedelta(days=1)) == store.published_version
    _, html = get(client, "/stores/acme-outdoor/")
    assert "Autumn sale" in html and "Evergreen" not in html


def test_an_unapproved_scheduled_version_is_never_live(make_store):
    store = make_store()
    version = publish(store, home_document(name="Draft sale"),
                      schedule_starts_at=timezone.now() - timedelta(hours=1))
    version.approved_at = None
    version.save()
    store.refresh_from_db()
    assert live_version_for(store=store) == store.published_version


def test_publishing_a_new_version_shows_on_the_next_view(client, make_store,
                                                        django_capture_on_commit_callbacks):
    store = make_store(home_document(section("s1", tile("t1", "text", html="<p>One</p>"))))
    assert "One" in get(client, "/stores/acme-outdoor/")[1]
    with django_capture_on_commit_callbacks(execute=True):
        publish(store, home_document(section("s1", tile("t1", "text", html="<p>Two</p>"))))
    assert "Two" in get(client, "/stores/acme-outdoor/")[1]


def test_a_deal_appears_when_its_window_opens_and_goes_when_it_closes(
        client, make_store, seller, products, monkeypatch):
    start = timezone.now() + timedelta(hours=1)
    factories.DealFactory(product=products[3], deal_price="12.00", starts_at=start,
                          ends_at=start + timedelta(hours=2))
    make_store(published_document(seller.brand, home_document(
        section("s1", tile("t1", "featured_deals", limit=4)))))
    assert not tile_present(get(client, "/stores/acme-outdoor/")[1], "t1")

    real_now = timezone.now
    monkeypatch.setattr("django.utils.timezone.now",
                        lambda: real_now() + timedelta(hours=1, minutes=1))
    html = get(client, "/stores/acme-outdoor/")[1]
    assert 'data-price="12.00"' in card_html(html, products[3].asin)

    monkeypatch.setattr("django.utils.timezone.now",
                        lambda: real_now() + timedelta(hours=3, minutes=1))
    assert not tile_present(get(client, "/stores/acme-outdoor/")[1], "t1")
