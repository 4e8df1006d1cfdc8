"""Deal prices on every product card of a Store page, on time from the page cache."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.services import stock_set
from tests import factories
from tests.documents import card_html, home_document, published_document, section, tile

CARD_TILES = {
    "product_grid_manual": lambda p, a: tile("t1", "product_grid", mode="manual", asins=[p.asin]),
    "product_grid_automated": lambda p, a: tile(
        "t1", "product_grid", mode="automated", rule={"category": None, "keyword": "tent"},
        sort="rating", limit=4),
    "best_sellers": lambda p, a: tile("t1", "best_sellers", limit=4),
    "recommended_products": lambda p, a: tile("t1", "recommended_products", limit=4),
    "product": lambda p, a: tile("t1", "product", asin=p.asin),
    "shoppable_image": lambda p, a: tile("t1", "shoppable_image", asset=a.pk, alt="A tent",
                                         hotspots=[{"x": 40, "y": 60, "asin": p.asin}]),
}


@pytest.fixture
def tent(seller):
    return factories.ProductFactory(asin="B0TENT0001", brand=seller.brand, title="Family tent",
                                    price="129.00", is_prime=True, quantity=3,
                                    units_sold_30d=40)


def get(client) -> str:
    return client.get("/stores/acme-outdoor/").content.decode()


def price_line(card: str) -> str:
    """The card's price markup: badge, deal price and struck regular price."""
    return re.search(r'class="card__buy">(.*?</s>)', card).group(1)


@pytest.mark.parametrize("kind", list(CARD_TILES))
def test_every_product_card_shows_a_running_deal_like_the_deal_card(
        client, make_store, make_asset, seller, tent, kind):
    factories.DealFactory(product=tent, deal_price="99.00")
    asset = make_asset() if kind == "shoppable_image" else None
    make_store(published_document(seller.brand, home_document(
        section("s1", CARD_TILES[kind](tent, asset)),
        pages=[{"key": "deals", "parent": "home", "slug": "deals", "title": "Deals",
                "sections": [section("s2", tile("t2", "featured_deals", limit=4))]}])))
    card = card_html(get(client), tent.asin)
    deal_card = card_html(client.get("/stores/acme-outdoor/deals/").content.decode(), tent.asin)

    assert 'data-price="99.00"' in card and ">€99.00<" in card
    assert re.search(r'<s class="price price--was">.*€129\.00</s>', card)
    assert 'data-price="129.00"' not in card  # the regular price is not the price to pay
    # One price display for all cards: the same markup as the featured deal's card.
    assert price_line(card) == price_line(deal_card)
    assert "data-prime" in card


@pytest.mark.parametrize("kind", ["product_grid_manual", "product", "shoppable_image"])
def test_an_out_of_stock_product_on_deal_still_shows_no_price(
        client, make_store, make_asset, seller, tent, kind, django_capture_on_commit_callbacks):
    factories.DealFactory(product=tent, deal_price="99.00")
    asset = make_asset() if kind == "shoppable_image" else None
    make_store(published_document(seller.brand, home_document(
        section("s1", CARD_TILES[kind](tent, asset)))))
    with django_capture_on_commit_callbacks(execute=True):
        stock_set(product=tent, quantity=0)
    card = card_html(get(client), tent.asin)
    assert "Currently unavailable" in card
    assert "€" not in card and "data-price" not in card and "deal-badge" not in card


def test_a_cached_page_starts_and_stops_showing_a_deal_price_on_time(
        client, make_store, seller, tent, monkeypatch, django_assert_num_queries):
    start = timezone.now() + timedelta(hours=1)
    factories.DealFactory(product=tent, deal_price="99.00", starts_at=start,
                          ends_at=start + timedelta(hours=2))
    make_store(published_document(seller.brand, home_document(
        section("s1", tile("t1", "product_grid", mode="manual", asins=[tent.asin])))))
    before = card_html(get(client), tent.asin)
    assert 'data-price="129.00"' in before and "price--was" not in before

    real_now = timezone.now
    monkeypatch.setattr("stores.rendering.timezone.now",
                        lambda: real_now() + timedelta(hours=1, minutes=1))
    with django_assert_num_queries(0):  # the compiled page is reused: no new read
        during = card_html(get(client), tent.asin)
    assert 'data-price="99.00"' in during and "€129.00</s>" in during

    monkeypatch.setattr("stores.rendering.timezone.now",
                        lambda: real_now() + timedelta(hours=3, minutes=1))
    with django_assert_num_queries(0):
        after = card_html(get(client), tent.asin)
    assert after == before


def test_of_two_deals_running_at_once_the_card_shows_the_lower_price(
        client, make_store, seller, tent):
    factories.DealFactory(product=tent, deal_price="109.00")
    factories.DealFactory(product=tent, deal_price="99.00")
    make_store(published_document(seller.brand, home_document(
        section("s1", tile("t1", "product", asin=tent.asin)))))
    card = card_html(get(client), tent.asin)
    assert 'data-price="99.00"' in card and "109.00" not in card


def test_the_deal_badge_sits_in_the_price_line_not_over_the_picture(
        client, make_store, seller, tent):
    factories.DealFactory(product=tent, deal_price="99.00")
    make_store(published_document(seller.brand, home_document(
        section("s1", tile("t1", "featured_deals", limit=4),
                tile("t2", "best_sellers", limit=4)))))
    html = get(client)
    for card in re.findall(r'<li class="card card--deal".*?</li>', html):
        media = re.search(r'<span class="card__media">.*?</span>(?=<span class="card__title">)',
                          card).group(0)
        assert "deal-badge" not in media
        assert re.search(r'<p class="card__buy"><span class="deal-badge">Deal</span> '
                         r'<span class="price price--deal"', card)
    assert html.count("card--deal") == 2
