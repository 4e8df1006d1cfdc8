"""What search engines and shared links read of shopper pages, the way back from a product
page into its Store, and the branded error pages (no dead ends)."""
from __future__ import annotations

import gzip
import json
import re

import pytest

from stores.documents import validate_store_document
from tests import factories
from tests.stores.conftest import home_document, section, tile

SITE = "https://stores.example.com"
SUB_PAGES = [
    {"key": "tents", "parent": "home", "slug": "tents", "title": "Tents",
     "description": "Every Acme tent, from one-person shelters to family domes.",
     "sections": [{"key": "ts1", "layout": "full", "tiles": [
         {"key": "tt1", "type": "text", "config": {"html": "<p>All our tents</p>"}}]}]},
]


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def shop(make_store, products):
    return make_store(home_document(
        section("s1", tile("t1", "product_grid", mode="manual",
                           asins=[p.asin for p in products[:3]])),
        pages=SUB_PAGES))


def html_of(client, url, **headers):
    response = client.get(url, **headers)
    return response, response.content.decode()


def ld_blocks(html: str) -> list[dict]:
    return [json.loads(block) for block in re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


def test_store_pages_carry_description_absolute_canonical_share_tags_and_icons(client, shop):
    _, home = html_of(client, "/stores/acme-outdoor/")
    _, tents = html_of(client, "/stores/acme-outdoor/tents/")

    # A sensible default where the brand wrote none; the brand's own where it did.
    assert re.search(r'<meta name="description" content="Shop Acme Outdoor: [^"]+">', home)
    assert ('<meta name="description" content="Every Acme tent, from one-person shelters to '
            'family domes.">') in tents
    assert f'<link rel="canonical" href="{SITE}/stores/acme-outdoor/tents/">' in tents
    assert f'<meta property="og:url" content="{SITE}/stores/acme-outdoor/tents/">' in tents
    assert '<meta property="og:title" content="Tents – Acme Outdoor">' in tents
    assert '<meta name="twitter:card" content="summary">' in tents
    assert '<link rel="icon" href="/stores/_icon/0a7d5a-A.svg" type="image/svg+xml">' in tents
    assert '<link rel="apple-touch-icon" href="/stores/_icon/0a7d5a-A-180.png">' in tents
    (crumbs,) = ld_blocks(tents)
    assert crumbs["@type"] == "BreadcrumbList"
    assert [(i["name"], i["item"]) for i in crumbs["itemListElement"]] == [
        ("Acme Outdoor", f"{SITE}/stores/acme-outdoor/"),
        ("Tents", f"{SITE}/stores/acme-outdoor/tents/")]


def test_a_page_description_is_optional_text_of_limited_length(seller):
    document = home_document(pages=[{**SUB_PAGES[0], "description": "x" * 301}])

    with pytest.raises(Exception) as refused:
        validate_store_document(document, brand=seller.brand)

    assert "description" in str(getattr(refused.value, "detail", refused.value))


def test_store_icons_are_drawn_in_the_accent_colour(client, db):
    svg = client.get("/stores/_icon/0a7d5a-A.svg")
    png = client.get("/stores/_icon/0a7d5a-A-180.png")

    assert svg["Content-Type"] == "image/svg+xml" and b'fill="#0a7d5a"' in svg.content
    assert png["Content-Type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert "immutable" in png["Cache-Control"]
    assert client.get("/stores/_icon/zzzzzz-A.svg").status_code == 404
    assert client.get("/favicon.ico").status_code == 200


def test_store_and_product_pages_are_gzipped_when_the_browser_accepts_it(client, shop,
                                                                         products):
    for url in ["/stores/acme-outdoor/", f"/dp/{products[0].asin}/"]:
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, br")
        assert response["Content-Encoding"] == "gzip"
        assert b"</html>" in gzip.decompress(response.content)
        # Nothing secret to guess in a compressed body (BREACH).
        assert b"csrfmiddlewaretoken" not in gzip.decompress(response.content)


def test_a_product_page_leads_back_to_the_store_page_the_shopper_came_from(client, shop,
                                                                           products):
    referer = "http://testserver/stores/acme-outdoor/tents/"
    _, html = html_of(client, f"/dp/{products[0].asin}/", HTTP_REFERER=referer)

    assert ('<a class="dp-visit" href="/stores/acme-outdoor/">Visit the Acme Outdoor Store</a>'
            in html)
    crumbs = re.search(r'<nav class="dp-crumbs".*?</nav>', html, re.S).group(0)
    assert '<a href="/stores/acme-outdoor/">Acme Outdoor</a>' in crumbs
    assert '<a href="/stores/acme-outdoor/tents/">Tents</a>' in crumbs
    assert '<a class="dp-logo" href="/stores/acme-outdoor/">' in html
    assert f'<link rel="canonical" href="{SITE}/dp/{products[0].asin}/">' in html


def test_a_product_page_without_a_known_store_page_leads_to_the_brands_store(client, shop,
                                                                             products):
    # Another brand's Store page as the referer is not a way back for this product.
    _, html = html_of(client, f"/dp/{products[0].asin}/",
                      HTTP_REFERER="http://testserver/stores/someone-else/")

    crumbs = re.search(r'<nav class="dp-crumbs".*?</nav>', html, re.S).group(0)
    assert '<a href="/stores/acme-outdoor/">Acme Outdoor</a>' in crumbs
    assert "tents/" not in crumbs


def test_product_structured_data_has_the_offer_and_its_availability(client, shop, products):
    products[1].quantity = 0
    products[1].save()
    from catalog.stock import stock_changed
    stock_changed([products[1].pk])

    _, in_stock = html_of(client, f"/dp/{products[0].asin}/")
    _, sold_out = html_of(client, f"/dp/{products[1].asin}/")

    product, crumbs = ld_blocks(in_stock)
    assert (product["@type"], product["sku"], product["brand"]["name"]) == (
        "Product", products[0].asin, "Acme Outdoor")
    assert product["offers"]["availability"] == "https://schema.org/InStock"
    assert product["offers"]["price"] == str(products[0].price)
    assert crumbs["@type"] == "BreadcrumbList"
    offer = ld_blocks(sold_out)[0]["offers"]
    assert offer["availability"] == "https://schema.org/OutOfStock" and "price" not in offer


def test_robots_txt_keeps_crawlers_out_of_private_areas_and_names_the_sitemap(client, db):
    text = client.get("/robots.txt").content.decode()

    for private in ["/admin/", "/builder/", "/api/", "/stores/_preview/"]:
        assert f"Disallow: {private}" in text
    assert f"Sitemap: {SITE}/sitemap.xml" in text


def test_the_sitemap_lists_live_store_pages_and_their_brands_products(
        client, shop, make_store, other_brand_owner, django_assert_num_queries):
    hidden = factories.StoreFactory(brand=other_brand_owner.brand, slug="rival-gear")
    factories.ProductFactory(brand=other_brand_owner.brand, asin="B0RIVAL001")

    with django_assert_num_queries(3):
        xml = client.get("/sitemap.xml").content.decode()

    locations = re.findall(r"<loc>(.*?)</loc>", xml)
    assert f"{SITE}/stores/acme-outdoor/" in locations
    assert f"{SITE}/stores/acme-outdoor/tents/" in locations
    assert f"{SITE}/dp/B100000000/" in locations
    assert not any(hidden.slug in url or "B0RIVAL001" in url for url in locations)


def test_a_404_inside_a_store_offers_its_navigation_in_its_look(client, shop):
    response, html = html_of(client, "/stores/acme-outdoor/no-such-page/")

    assert response.status_code == 404
    assert 'href="/stores/_theme/0a7d5a.css"' in html
    assert "We can't find that page" in html
    assert ('<a class="button" href="/stores/acme-outdoor/">Go to the Acme Outdoor home page</a>'
            in html)
    assert 'href="/stores/acme-outdoor/tents/">Tents</a>' in html
    assert '<meta name="robots" content="noindex">' in html


def test_a_404_elsewhere_offers_a_search_of_stores_that_finds_them(client, shop):
    response, html = html_of(client, "/no-such-place/")
    assert response.status_code == 404
    assert 'action="/stores/"' in html and 'name="q"' in html

    _, results = html_of(client, "/stores/", data={"q": "acme"})
    assert '<a href="/stores/acme-outdoor/">Acme Outdoor</a>' in results
    _, none = html_of(client, "/stores/", data={"q": "zebra"})
    assert "No Store matches" in none


def test_a_store_with_nothing_published_says_so(client, make_store):
    make_store(published=False)

    response, html = html_of(client, "/stores/acme-outdoor/")

    assert response.status_code == 404
    assert "Acme Outdoor is not open yet" in html


def test_a_server_error_gets_the_branded_page_without_debug_details(client, db, settings,
                                                                  monkeypatch):
    from stores import public

    def broken(request, asin):
        raise RuntimeError("boom: a secret detail")

    monkeypatch.setattr(public, "product_detail_context", lambda **kwargs: broken(None, None))
    client.raise_request_exception = False
    settings.DEBUG = False

    response = client.get("/dp/B100000000/")

    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html and "secret detail" not in html


def test_an_expired_preview_link_is_a_styled_410(client, shop):
    from datetime import timedelta

    from stores.previews import preview_url

    url = preview_url(store=shop, expires_in=timedelta(seconds=-1))
    response, html = html_of(client, url)

    assert response.status_code == 410
    assert "css/store.css" in html and "This preview link has expired" in html
