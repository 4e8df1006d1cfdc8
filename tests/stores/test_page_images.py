"""Images of a Store page: the first one a shopper sees loads at once (and the phone one on
phones), the others lazily; a product without a picture leaves no empty box."""
from __future__ import annotations

import io
import re

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from catalog.models import ProductImage
from tests import factories
from tests.documents import home_document, published_document, section, tile


def tile_html(html: str, key: str) -> str:
    start = html.index(f'data-tile="{key}"')
    following = html.find('data-tile="', start + 1)
    return html[start:following if following != -1 else len(html)]


def img_tags(html: str) -> list[str]:
    return re.findall(r"<img [^>]*>", html)


def is_hero(img: str) -> bool:
    return 'loading="eager"' in img and 'fetchpriority="high"' in img


def is_lazy(img: str) -> bool:
    return 'loading="lazy"' in img and "fetchpriority" not in img


@pytest.fixture
def pictured(seller):
    """A product of the seller's brand with a real (square) picture."""
    product = factories.ProductFactory(asin="B0PICT0001", brand=seller.brand, title="Dome tent")
    buffer = io.BytesIO()
    Image.new("RGB", (800, 800), (180, 60, 40)).save(buffer, "JPEG")
    item = ProductImage(product=product, position=0)
    item.image.save("dome.jpg", ContentFile(buffer.getvalue()), save=True)
    return product


def test_the_hero_loads_at_once_with_the_phone_picture_and_later_images_lazily(
        client, make_store, make_asset, seller):
    hero = make_asset(size=(2400, 900), name="hero.png")
    hero_phone = make_asset(size=(1200, 1200), name="hero-phone.png")
    later = make_asset(size=(1600, 600), name="later.png")
    make_store(published_document(seller.brand, home_document(
        section("s1", tile("t1", "image", asset=hero.pk, phone_asset=hero_phone.pk,
                           alt="Mountains at dawn")),
        section("s2", tile("t2", "text", html="<p>Made for the trail</p>")),
        section("s3", tile("t3", "image", asset=later.pk, alt="A campsite")),
        section("s4", tile("t4", "gallery", images=[{"asset": later.pk, "alt": "Snow"}])),
    )))
    html = client.get("/stores/acme-outdoor/").content.decode()

    first = tile_html(html, "t1")
    # One picture whose <source media> sends phones the phone image (not two pictures, one
    # hidden by CSS), loaded at once and first: it is the page's largest paint.
    assert first.count("<picture>") == 1 and "only-phone" not in first
    assert first.count('<source media="(max-width: 767px)"') == 2
    assert [is_hero(img) for img in img_tags(first)] == [True]
    # Further down: lazy, and never competing for priority.
    assert all(is_lazy(img) for key in ("t3", "t4") for img in img_tags(tile_html(html, key)))
    assert html.count('fetchpriority="high"') == 1


def test_a_short_text_above_the_first_image_keeps_it_the_hero_but_a_grid_does_not(
        client, make_store, make_asset, seller, products):
    banner = make_asset()
    make_store(published_document(seller.brand, home_document(
        section("s1", tile("t1", "text", html="<h2>Tents for every trip</h2>")),
        section("s2", tile("t2", "image", asset=banner.pk, alt="Ridges at sunrise")),
        pages=[{"key": "grid-first", "parent": "home", "slug": "grid-first", "title": "Grid",
                "sections": [
                    section("gs1", tile("g1", "best_sellers", limit=4)),
                    section("gs2", tile("g2", "image", asset=banner.pk, alt="Ridges")),
                ]}],
    )))
    home = client.get("/stores/acme-outdoor/").content.decode()
    assert [is_hero(img) for img in img_tags(tile_html(home, "t2"))] == [True]

    below_grid = client.get("/stores/acme-outdoor/grid-first/").content.decode()
    assert "fetchpriority" not in below_grid
    assert [is_lazy(img) for img in img_tags(tile_html(below_grid, "g2"))] == [True]


def test_a_product_tile_first_on_the_page_loads_its_picture_at_once(
        client, make_store, seller, pictured):
    make_store(published_document(seller.brand, home_document(
        section("s1", tile("t1", "product", asin=pictured.asin)),
        section("s2", tile("t2", "product", asin=pictured.asin)))))
    html = client.get("/stores/acme-outdoor/").content.decode()
    assert [is_hero(img) for img in img_tags(tile_html(html, "t1"))] == [True]
    assert [is_lazy(img) for img in img_tags(tile_html(html, "t2"))] == [True]


def test_a_product_without_a_picture_leaves_no_empty_box_in_the_product_tile(
        client, make_store, seller, products, pictured):
    make_store(published_document(seller.brand, home_document(
        section("s1", tile("t1", "product", asin=products[0].asin)),
        section("s2", tile("t2", "product", asin=pictured.asin)))))
    html = client.get("/stores/acme-outdoor/").content.decode()

    bare = tile_html(html, "t1")
    assert "product-details__media" not in bare  # no empty (grey) box, no empty link
    assert 'class="product-details product-details--no-image"' in bare
    assert "Trail tent 0" in bare and 'data-price="19.90"' in bare

    with_picture = tile_html(html, "t2")
    assert with_picture.count('class="product-details__media"') == 1
    assert "product-details--no-image" not in with_picture
    assert len(img_tags(with_picture)) == 1
