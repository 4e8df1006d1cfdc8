"""The live page under write traffic: invalidation scoped to the page's brand and products,
incremental refresh, compile cost independent of the catalogue, HTTP revalidation."""
from __future__ import annotations

import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog import stock
from catalog.models import Product
from catalog.services import product_cards_changed, stock_set
from stores.rendering import compile as compile_module
from stores.rendering import live
from stores.selectors import tile_stock_health
from tests import factories
from tests.documents import (
    card_html,
    home_document,
    published_document,
    section,
    tile,
    tile_present,
)
from tests.stores.test_shopper_pages import forget_everything

URL = "/stores/acme-outdoor/"


def view(client, url=URL, **headers):
    response = client.get(url, HTTP_USER_AGENT="Googlebot/2.1", **headers)
    assert response.status_code in (200, 304)
    return response


def html_of(client, url=URL) -> str:
    return view(client, url).content.decode()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs a write as a request does: its transaction commits (after-commit hooks run)."""
    def run(write, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write(*args, **kwargs)

    return run


def work() -> dict:
    return {**live.COUNTERS, **compile_module.COUNTERS}


@pytest.fixture
def curated_page(make_store, seller, products):
    make_store(published_document(seller.brand, home_document(
        section("s1", tile("grid", "product_grid", mode="manual",
                           asins=[p.asin for p in products[:4]])),
        section("s2", tile("best", "best_sellers", limit=3)))))
    return products


def test_a_stock_change_of_another_brand_costs_the_page_nothing_but_its_version_read(
        client, curated_page, other_brand_owner, committed, django_assert_num_queries):
    theirs = factories.ProductFactory(brand=other_brand_owner.brand, quantity=3)
    html = html_of(client)
    before = work()
    committed(stock_set, product=theirs, quantity=0)
    product_cards_changed(product_ids=[theirs.pk])
    with django_assert_num_queries(0):
        assert html_of(client) == html
    assert work() == {**before, "memo_hits": before["memo_hits"] + 1}


def test_a_stock_change_of_a_shown_product_is_visible_on_the_very_next_view(
        client, curated_page, committed, django_assert_num_queries):
    html_of(client)
    before = work()
    committed(stock_set, product=curated_page[1], quantity=0)
    with django_assert_num_queries(1):  # the page's stock, nothing else
        html = html_of(client)
    card = card_html(html, curated_page[1].asin)
    assert "data-price" not in card and "Currently unavailable" in card
    after = work()
    assert (after["compiles"], after["refreshes"]) == (before["compiles"], before["refreshes"])


def test_a_stock_change_of_an_unshown_product_of_the_brand_keeps_the_assembled_page(
        client, seller, curated_page, committed, django_assert_num_queries):
    html = html_of(client)
    elsewhere = factories.ProductFactory(brand=seller.brand, quantity=3)
    before = work()
    committed(stock_set, product=elsewhere, quantity=0)
    with django_assert_num_queries(1):  # the page's stock is read again: unchanged
        assert html_of(client) == html
    assert work()["assembles"] == before["assembles"]


def test_a_price_change_re_renders_only_that_products_cards(client, curated_page):
    html_of(client)
    before = work()
    Product.objects.filter(pk=curated_page[0].pk).update(price=Decimal("24.50"))
    product_cards_changed(product_ids=[curated_page[0].pk])
    html = html_of(client)
    assert 'data-price="24.50"' in card_html(html, curated_page[0].asin)
    after = work()
    assert after["compiles"] == before["compiles"]  # not compiled again
    assert after["refreshes"] == before["refreshes"] + 1
    # The product is in the grid and among the best sellers: its card (the same HTML in
    # both) is rendered again, nothing else.
    assert after["cards_rendered"] - before["cards_rendered"] == 1
    # A price is a ranking input (price sorts): the automatic tile chose again.
    assert after["rechooses"] == before["rechooses"] + 1


def test_a_card_only_change_of_a_curated_page_does_not_choose_again(client, make_store, seller,
                                                                     products):
    make_store(published_document(seller.brand, home_document(
        section("s1", tile("grid", "product_grid", mode="manual",
                           asins=[p.asin for p in products[:4]])))))
    html_of(client)
    before = work()
    Product.objects.filter(pk=products[0].pk).update(is_prime=False)
    product_cards_changed(product_ids=[products[0].pk])
    assert "data-prime" not in card_html(html_of(client), products[0].asin)
    after = work()
    assert after["rechooses"] == before["rechooses"]
    assert after["cards_rendered"] - before["cards_rendered"] == 1


def test_a_new_best_seller_enters_the_automatic_tile_on_the_next_view(client, seller,
                                                                      curated_page):
    assert html_of(client).count('data-tile="best"') == 1
    star = factories.ProductFactory(brand=seller.brand, quantity=9, units_sold_30d=1_000)
    product_cards_changed(product_ids=[star.pk])  # a new product: as the import does
    html = html_of(client)
    best = html[html.find('data-tile="best"'):]
    assert best.find(f'data-asin="{star.asin}"') != -1


def test_other_brands_product_data_changes_do_not_recompile_the_page(
        client, curated_page, other_brand_owner, django_assert_num_queries):
    theirs = factories.ProductFactory.create_batch(5, brand=other_brand_owner.brand)
    html_of(client)
    before = work()
    for product in theirs:
        Product.objects.filter(pk=product.pk).update(price=Decimal("1.00"))
        product_cards_changed(product_ids=[product.pk])
    with django_assert_num_queries(0):
        html_of(client)
    after = work()
    assert (after["compiles"], after["refreshes"], after["assembles"]) == (
        before["compiles"], before["refreshes"], before["assembles"])


def automatic_document(brand, asins):
    return published_document(brand, home_document(
        section("s1", tile("grid", "product_grid", mode="manual", asins=asins[:6]),
                tile("best", "best_sellers", limit=8), layout="halves"),
        section("s2", tile("tents", "product_grid", mode="automated",
                           rule={"category": None, "keyword": "tent"}, sort="rating",
                           limit=8),
                tile("cheap", "product_grid", mode="automated",
                     rule={"category": "tents", "keyword": None}, sort="price_low", limit=8),
                layout="halves"),
        section("s3", tile("deals", "featured_deals", limit=6),
                tile("recommended", "recommended_products", limit=8), layout="halves"),
        section("s4", tile("hero", "product", asin=asins[0]))))


def brand_catalogue(brand, count, category):
    made = Product.objects.bulk_create([
        Product(asin=f"C{brand.pk % 100:02d}{n:07d}", brand=brand, category=category,
                title=f"{'Tent' if n % 2 else 'Stove'} {n}", price=Decimal("10.00") + n % 97,
                rating=Decimal(n % 50) / 10, review_count=n % 300, units_sold_30d=n % 40,
                quantity=n % 5, bullet_points=["Light"], description="Good.")
        for n in range(count)])
    now = timezone.now()
    factories.DealFactory(product=made[3], deal_price="5.00", starts_at=now - timedelta(hours=1),
                          ends_at=now + timedelta(days=1))
    return made


@pytest.mark.parametrize("size", [10, 600, 100_000])
def test_compiling_costs_the_same_queries_for_10_or_many_products_in_the_brand(
        client, make_store, seller, size, django_assert_num_queries):
    category = factories.CategoryFactory(name="Tents", slug="tents")
    made = brand_catalogue(seller.brand, size, category)
    make_store(automatic_document(seller.brand, [p.asin for p in made]))
    forget_everything()
    # Store, schedule windows, the brand's versions, version, automatic tiles' candidates
    # (one statement for all four), products, images, deals, stock, the brand's Stores in
    # other marketplaces (hreflang of a home page).
    with django_assert_num_queries(10):
        html = html_of(client)
    assert tile_present(html, "best") and tile_present(html, "tents")


def test_a_compiled_page_holds_a_bounded_number_of_products(client, make_store, seller):
    category = factories.CategoryFactory(name="Tents", slug="tents")
    made = brand_catalogue(seller.brand, 1_500, category)
    make_store(automatic_document(seller.brand, [p.asin for p in made]))
    html_of(client)
    (page,) = live._compiled.values()
    # Four automatic tiles keep their limit plus out-of-stock spares; recommendations a
    # pool: never the brand's 1,500 products.
    assert len(page.data.products) < 1_000
    rendered = sum(len(t.cards) for t in page.product_tiles())
    assert rendered < 100  # only cards that were shown


def test_the_etag_gives_a_304_until_what_the_shopper_sees_changes(client, curated_page,
                                                                  committed):
    first = view(client)
    etag = first["ETag"]
    assert first["Cache-Control"] == "no-cache, private"
    assert "Accept-Encoding" in first["Vary"]
    again = view(client, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert view(client, HTTP_IF_NONE_MATCH=f"W/{etag}").status_code == 304
    committed(stock_set, product=curated_page[0], quantity=0)
    changed = view(client, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_builder_stock_hints_agree_with_the_page_for_deals_only_and_exclude_shown_tiles(
        client, make_store, seller, products):
    now = timezone.now()
    for index in (2, 3, 4):
        factories.DealFactory(product=products[index], deal_price="9.00",
                              starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=1))
    factories.DealFactory(product=products[5], deal_price="9.00",
                          starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=2))
    Product.objects.filter(pk__in=[products[3].pk, products[7].pk]).update(quantity=0)
    stock.stock_changed([products[3].pk, products[7].pk])
    document = published_document(seller.brand, home_document(
        section("s1", tile("grid", "product_grid", mode="manual",
                           asins=[p.asin for p in products[:3]])),
        section("s2", tile("deals", "featured_deals", limit=4),
                tile("recommended", "recommended_products", limit=4), layout="halves"),
        section("s3", tile("hiding", "product_grid", mode="manual", hide_out_of_stock=True,
                           asins=[p.asin for p in products[6:9]]))))
    store = make_store(document)
    html = html_of(client)
    health = tile_stock_health(store=store, document=document)
    for key, counts in health.items():
        start = html.find(f'data-tile="{key}"')
        end = min([i for i in (html.find('data-tile="', start + 1),) if i != -1] or [len(html)])
        assert html[start:end].count("data-asin=") == counts["products"], key
    # Deals only: 2 and 4 run (3 is out of stock: hidden); 5's deal has not started.
    assert health["deals"] == {"products": 2, "hidden": 1, "unbuyable": 0, "at_risk": 2}
    # Recommendations skip what the page shows elsewhere (0, 1, 2, 4, 6, 8) and hide the
    # sold-out 3 and 7: 5 and 9 are left.
    assert health["recommended"] == {"products": 2, "hidden": 2, "unbuyable": 0, "at_risk": 2}
    assert health["hiding"] == {"products": 2, "hidden": 1, "unbuyable": 0, "at_risk": 2}


def test_a_lost_version_bump_lasts_at_most_the_mirror_expiry(client, curated_page, committed,
                                                            monkeypatch):
    monkeypatch.setattr(stock, "VERSION_TTL", 0.3)
    html_of(client)
    brand = curated_page[0].brand_id
    old = stock.brand_versions([brand])[brand]
    # A bump that never reached the mirror: the write committed, the mirror kept `old`.
    with monkeypatch.context() as lost:
        lost.setattr(stock._fresh, "deliver", lambda values: None)
        committed(stock_set, product=curated_page[0], quantity=0)
    assert stock.brand_versions([brand])[brand] == old  # stale, for now
    time.sleep(0.4)
    assert stock.brand_versions([brand])[brand].stock == old.stock + 1
    card = card_html(html_of(client), curated_page[0].asin)
    assert "data-price" not in card


def test_a_deleted_product_leaves_the_page_on_the_next_view(client, seller, curated_page):
    gone = curated_page[0]
    assert card_html(html_of(client), gone.asin) is not None
    Product.objects.filter(pk=gone.pk).delete()
    product_cards_changed(product_ids=[gone.pk], brand_ids=[seller.brand.pk])
    assert card_html(html_of(client), gone.asin) is None


def test_a_refreshed_page_is_the_page_compiled_afresh(client, make_store, seller, committed):
    import random

    from stores import rendering

    category = factories.CategoryFactory(name="Tents", slug="tents")
    made = brand_catalogue(seller.brand, 400, category)
    make_store(automatic_document(seller.brand, [p.asin for p in made]))
    html_of(client)
    rng = random.Random(5)
    for _ in range(6):
        for product in rng.sample(made, 15):
            committed(stock_set, product=product, quantity=rng.choice((0, 4)))
        changed = [p.pk for p in rng.sample(made, 5)]
        Product.objects.filter(pk__in=changed[:3]).update(price=Decimal("3.00"))
        Product.objects.filter(pk__in=changed[3:]).update(units_sold_30d=999)
        product_cards_changed(product_ids=changed)
        refreshed = html_of(client)
        rendering.clear_compiled_pages()
        assert html_of(client) == refreshed


# --- marketplace prices --------------------------------------------------------------


@pytest.fixture
def uk_page(seller, products):
    """A UK Store showing two products priced in pounds (the brand's own prices are in
    euros: without a UK price a product is not sold there)."""
    from catalog.models import ProductPrice

    for product in products[:2]:
        ProductPrice.objects.create(product=product, marketplace_id="uk", price=Decimal("30.00"))
    document = published_document(seller.brand, home_document(
        section("s1", tile("grid", "product_grid", mode="manual",
                           asins=[p.asin for p in products[:3]]))))
    store = factories.StoreFactory(brand=seller.brand, slug="acme-uk", name="Acme Outdoor",
                                   marketplace_id="uk", draft=document)
    from tests.documents import publish

    publish(store, document)
    return products


def test_a_marketplace_price_change_is_visible_on_the_very_next_view(client, uk_page,
                                                                      committed):
    from catalog.services import product_price_set

    url = "/stores/acme-uk/"
    assert 'data-price="30.00"' in card_html(html_of(client, url), uk_page[0].asin)
    before = work()
    committed(product_price_set, product=uk_page[0], marketplace="uk", price=Decimal("27.50"))
    html = html_of(client, url)
    assert 'data-price="27.50"' in card_html(html, uk_page[0].asin)
    assert 'data-price="30.00"' in card_html(html, uk_page[1].asin)
    after = work()
    assert after["compiles"] == before["compiles"]  # refreshed, not compiled again
    assert after["cards_rendered"] - before["cards_rendered"] == 1


def test_a_new_marketplace_price_brings_the_product_into_that_marketplaces_store(
        client, uk_page, committed):
    from catalog.services import product_price_remove, product_price_set

    url = "/stores/acme-uk/"
    assert f'data-asin="{uk_page[2].asin}"' not in html_of(client, url)  # no price in pounds
    committed(product_price_set, product=uk_page[2], marketplace="uk", price=Decimal("12.00"))
    assert 'data-price="12.00"' in card_html(html_of(client, url), uk_page[2].asin)
    committed(product_price_remove, product=uk_page[2], marketplace="uk")
    assert f'data-asin="{uk_page[2].asin}"' not in html_of(client, url)


def test_a_marketplace_price_saved_in_the_admin_is_visible_on_the_next_view(
        client, admin_client, uk_page, committed):
    from catalog.models import ProductPrice

    url = "/stores/acme-uk/"
    html_of(client, url)
    row = ProductPrice.objects.get(product=uk_page[0], marketplace_id="uk")
    response = committed(admin_client.post, f"/admin/catalog/productprice/{row.pk}/change/",
                         {"product": uk_page[0].pk, "marketplace": "uk", "price": "25.00"})
    assert response.status_code == 302
    assert 'data-price="25.00"' in card_html(html_of(client, url), uk_page[0].asin)
    response = committed(admin_client.post, f"/admin/catalog/productprice/{row.pk}/delete/",
                         {"post": "yes"})
    assert response.status_code == 302
    assert f'data-asin="{uk_page[0].asin}"' not in html_of(client, url)


def test_a_price_moved_to_another_product_in_the_admin_changes_both_cards(
        client, admin_client, uk_page, committed):
    from catalog.models import ProductPrice

    url = "/stores/acme-uk/"
    assert f'data-asin="{uk_page[2].asin}"' not in html_of(client, url)
    row = ProductPrice.objects.get(product=uk_page[0], marketplace_id="uk")
    response = committed(admin_client.post, f"/admin/catalog/productprice/{row.pk}/change/",
                         {"product": uk_page[2].pk, "marketplace": "uk", "price": "18.00"})
    assert response.status_code == 302
    html = html_of(client, url)
    assert 'data-price="18.00"' in card_html(html, uk_page[2].asin)  # came into the Store
    assert f'data-asin="{uk_page[0].asin}"' not in html  # left it: no UK price any more


# --- spare candidates -------------------------------------------------------------------


def test_an_automatic_tile_whose_spares_ran_out_reads_more_once_and_stays_full(
        client, make_store, seller, committed, django_assert_num_queries):
    from stores.tiles.base import CANDIDATE_EXTRA

    made = Product.objects.bulk_create([
        Product(asin=f"R{n:09d}", brand=seller.brand, title=f"Stove {n}", price=Decimal("9.00"),
                units_sold_30d=1_000 - n, quantity=5)
        for n in range(60)])
    make_store(published_document(seller.brand, home_document(
        section("s1", tile("best", "best_sellers", limit=3)))))
    # The three best sellers and every spare behind them sell out at once.
    sold_out = [p.pk for p in made[:3 + CANDIDATE_EXTRA]]
    Product.objects.filter(pk__in=sold_out).update(quantity=0)
    committed(stock.stock_changed, sold_out)
    before = work()["refills"]
    html = html_of(client)
    spare = 3 + CANDIDATE_EXTRA
    assert [p.asin for p in made if f'data-asin="{p.asin}"' in html] == [
        p.asin for p in made[spare:spare + 3]]
    assert work()["refills"] == before + 1
    # Read once: the next views need nothing more.
    with django_assert_num_queries(0):
        assert html_of(client) == html
    # Back in stock: the best sellers come first again, without reading more.
    Product.objects.filter(pk__in=sold_out).update(quantity=5)
    committed(stock.stock_changed, sold_out)
    html = html_of(client)
    assert [p.asin for p in made if f'data-asin="{p.asin}"' in html] == [
        p.asin for p in made[:3]]
    assert work()["refills"] == before + 1
