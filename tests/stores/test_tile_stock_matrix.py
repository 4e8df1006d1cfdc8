"""Every tile type × in stock / out of stock × suppress on / off, on the live page.

The out-of-stock table: automatic tiles (featured deals, best sellers, recommended
products, automated grid) hide an out-of-stock product whatever the flag says; curated
tiles (manual grid, product, shoppable image) show it without price and Prime badge,
unless `hide_out_of_stock` is on. Tiles without products ignore stock.
"""
from __future__ import annotations

import pytest

from catalog.services import stock_set
from tests import factories
from tests.documents import (
    card_html,
    home_document,
    published_document,
    section,
    tile_present,
)

PRODUCT_TILES = {
    # name: (config builder, policy when out of stock with suppress off)
    "product_grid_manual": (lambda p, a, hide: {"type": "product_grid", "config": {
        "mode": "manual", "asins": [p.asin], "hide_out_of_stock": hide}}, "unbuyable"),
    "product_grid_automated": (lambda p, a, hide: {"type": "product_grid", "config": {
        "mode": "automated", "rule": {"category": None, "keyword": "tent"},
        "sort": "rating", "limit": 4, "hide_out_of_stock": hide}}, "hidden"),
    "featured_deals": (lambda p, a, hide: {"type": "featured_deals", "config": {
        "limit": 4, "hide_out_of_stock": hide}}, "hidden"),
    "best_sellers": (lambda p, a, hide: {"type": "best_sellers", "config": {
        "limit": 4, "hide_out_of_stock": hide}}, "hidden"),
    "recommended_products": (lambda p, a, hide: {"type": "recommended_products", "config": {
        "limit": 4, "hide_out_of_stock": hide}}, "hidden"),
    "product": (lambda p, a, hide: {"type": "product", "config": {
        "asin": p.asin, "layout": "product_details", "hide_out_of_stock": hide}}, "unbuyable"),
    "shoppable_image": (lambda p, a, hide: {"type": "shoppable_image", "config": {
        "asset": a.pk, "alt": "A tent at the lake", "hide_out_of_stock": hide,
        "hotspots": [{"x": 40, "y": 60, "asin": p.asin}]}}, "unbuyable"),
}
STATIC_TILES = {
    "image": lambda a: {"type": "image", "config": {"asset": a.pk, "alt": "Autumn tents"}},
    "text": lambda a: {"type": "text", "config": {"html": "<h2>Our story</h2><p>Since 1990</p>"}},
    "video": lambda a: {"type": "video", "config": {
        "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "title": "Pitching a tent"}},
    "gallery": lambda a: {"type": "gallery", "config": {
        "images": [{"asset": a.pk, "alt": "Tent in the snow"}]}},
}


@pytest.fixture
def tent(seller):
    product = factories.ProductFactory(
        asin="B0TENT0001", brand=seller.brand, title="Family tent", price="129.00",
        is_prime=True, quantity=3, units_sold_30d=40)
    factories.DealFactory(product=product, deal_price="99.00")
    return product


def page_with(make_store, seller, tile_dict) -> None:
    document = home_document(section("s1", {"key": "t1", **tile_dict}))
    make_store(published_document(seller.brand, document))


@pytest.mark.parametrize("suppress", [False, True], ids=["suppress_off", "suppress_on"])
@pytest.mark.parametrize("in_stock", [True, False], ids=["in_stock", "out_of_stock"])
@pytest.mark.parametrize("kind", list(PRODUCT_TILES))
def test_product_tiles_follow_the_out_of_stock_table(
        client, make_store, make_asset, seller, tent, django_capture_on_commit_callbacks,
        kind, in_stock, suppress):
    build, oos_policy = PRODUCT_TILES[kind]
    asset = make_asset() if kind == "shoppable_image" else None
    page_with(make_store, seller, build(tent, asset, suppress))
    if not in_stock:
        with django_capture_on_commit_callbacks(execute=True):
            stock_set(product=tent, quantity=0)

    html = client.get("/stores/acme-outdoor/").content.decode()
    card = card_html(html, tent.asin)

    if in_stock:
        assert card is not None
        assert 'href="/dp/B0TENT0001/"' in card
        # The tent's deal runs: every card of it shows the deal price, the regular one
        # struck through.
        assert 'data-price="99.00"' in card
        assert "€129.00</s>" in card
        assert "data-prime" in card
        assert tile_present(html, "t1")
    elif oos_policy == "unbuyable" and not suppress:
        assert card is not None, "a curated out-of-stock product stays, as a link"
        assert 'href="/dp/B0TENT0001/"' in card
        assert "Family tent" in card
        assert "data-price" not in card
        assert "data-prime" not in card
        assert "deal-badge" not in card and "€" not in card
        assert "Currently unavailable" in card
    else:
        assert card is None
        # A product tile left empty collapses; a shoppable image keeps its picture.
        assert tile_present(html, "t1") is (kind == "shoppable_image")
        assert "data-price" not in html


@pytest.mark.parametrize("in_stock", [True, False], ids=["in_stock", "out_of_stock"])
@pytest.mark.parametrize("kind", list(STATIC_TILES))
def test_tiles_without_products_show_whatever_the_stock(
        client, make_store, make_asset, seller, tent, django_capture_on_commit_callbacks,
        kind, in_stock):
    page_with(make_store, seller, STATIC_TILES[kind](make_asset()))
    if not in_stock:
        with django_capture_on_commit_callbacks(execute=True):
            stock_set(product=tent, quantity=0)
    html = client.get("/stores/acme-outdoor/").content.decode()
    assert tile_present(html, "t1")
    expected = {
        "image": 'alt="Autumn tents"',
        "text": "<h2>Our story</h2><p>Since 1990</p>",
        "video": 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"',
        "gallery": 'alt="Tent in the snow"',
    }[kind]
    assert expected in html
