"""Page templates (stores.page_templates): every one yields a valid page for any brand."""
from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from stores.documents import validate_store_document
from stores.page_templates import (
    PAGE_TEMPLATES,
    UnknownPageTemplate,
    page_template_instantiate,
)
from tests import factories

TEMPLATES = ["marquee", "showcase", "product_grid", "blank"]


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def home_page() -> dict:
    return {"key": "home", "parent": None, "slug": "", "title": "Home", "sections": []}


def document_with(*pages: dict) -> dict:
    return {"name": "Acme", "theme": {"accent_color": "#0a7d5a"},
            "pages": [home_page(), *pages]}


def all_keys(page: dict) -> list[str]:
    keys = [page["key"]]
    for section in page["sections"]:
        keys.append(section["key"])
        keys.extend(tile["key"] for tile in section["tiles"])
    return keys


def tiles_of(page: dict) -> list[dict]:
    return [tile for section in page["sections"] for tile in section["tiles"]]


@pytest.fixture
def stocked_brand(seller):
    tents = factories.CategoryFactory(name="Tents", slug="tents")
    shoes = factories.CategoryFactory(name="Shoes", slug="shoes")
    for index in range(6):
        factories.ProductFactory(brand=seller.brand, category=tents, asin=f"BT{index:08d}",
                                 units_sold_30d=100 - index)
    factories.ProductFactory(brand=seller.brand, category=shoes, asin="BS00000001",
                             units_sold_30d=500, quantity=0)
    factories.ProductFactory(brand=seller.brand, category=shoes, asin="BS00000002",
                             units_sold_30d=1)
    return seller


def add_asset(actor):
    from stores.assets import asset_create

    out = io.BytesIO()
    Image.new("RGB", (1200, 450), (10, 90, 60)).save(out, "JPEG")
    return asset_create(brand=actor.brand,
                        upload=SimpleUploadedFile("hero.jpg", out.getvalue()),
                        user=actor.user)


def test_the_four_templates_are_offered_with_labels_and_descriptions():
    assert list(PAGE_TEMPLATES) == TEMPLATES
    assert [PAGE_TEMPLATES[key]["label"] for key in TEMPLATES] == [
        "Marquee", "Showcase", "Product grid", "Blank"]
    assert all(PAGE_TEMPLATES[key]["description"] for key in TEMPLATES)


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("with_asset", [False, True])
def test_every_template_makes_a_valid_sub_page(stocked_brand, template, with_asset):
    if with_asset:
        add_asset(stocked_brand)

    page = page_template_instantiate(template=template, brand=stocked_brand.brand,
                                     page_key="p7", parent="home", slug="summer",
                                     title="Summer sale")

    normal = validate_store_document(document_with(page), brand=stocked_brand.brand)
    assert normal["pages"][1]["key"] == "p7"
    assert (page["parent"], page["slug"], page["title"]) == ("home", "summer", "Summer sale")
    keys = all_keys(page)
    assert len(keys) == len(set(keys))
    assert all(key.startswith("p7-") for key in keys[1:])


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_template_is_valid_for_a_brand_with_no_products(vendor, template):
    page = page_template_instantiate(template=template, brand=vendor.brand, page_key="new",
                                     parent="home", slug="new", title="New")

    validate_store_document(document_with(page), brand=vendor.brand)


def test_a_template_can_be_the_home_page(stocked_brand):
    page = page_template_instantiate(template="marquee", brand=stocked_brand.brand,
                                     page_key="home", parent=None, slug="ignored",
                                     title="Welcome")

    normal = validate_store_document(
        {"name": "Acme", "theme": {"accent_color": "#0a7d5a"}, "pages": [page]},
        brand=stocked_brand.brand)

    assert normal["pages"][0]["slug"] == ""


def test_two_pages_from_the_same_template_do_not_share_keys(stocked_brand):
    first = page_template_instantiate(template="showcase", brand=stocked_brand.brand,
                                      page_key="p2", parent="home", slug="a", title="A")
    second = page_template_instantiate(template="showcase", brand=stocked_brand.brand,
                                       page_key="p3", parent="home", slug="b", title="B")

    validate_store_document(document_with(first, second), brand=stocked_brand.brand)
    assert not set(all_keys(first)) & set(all_keys(second))


def test_a_long_page_key_still_gives_valid_unique_keys(stocked_brand):
    long_key = "page-" + "x" * 35
    other = "page-" + "x" * 34 + "y"

    first = page_template_instantiate(template="marquee", brand=stocked_brand.brand,
                                      page_key=long_key, parent="home", slug="a", title="A")
    second = page_template_instantiate(template="marquee", brand=stocked_brand.brand,
                                       page_key=other, parent="home", slug="b", title="B")

    validate_store_document(document_with(first, second), brand=stocked_brand.brand)
    assert all(len(key) <= 40 for key in all_keys(first) + all_keys(second))


def test_marquee_has_hero_deals_best_sellers_and_in_stock_favourites(stocked_brand):
    page = page_template_instantiate(template="marquee", brand=stocked_brand.brand,
                                     page_key="p2", parent="home", slug="m", title="Hello")

    tiles = tiles_of(page)
    assert [t["type"] for t in tiles] == ["text", "featured_deals", "best_sellers",
                                          "product_grid"]
    # The best seller is out of stock: a template features only products shoppers can buy.
    assert tiles[3]["config"]["asins"] == [f"BT{i:08d}" for i in range(6)] + ["BS00000002"]


def test_marquee_uses_the_brands_newest_image_as_the_hero(stocked_brand):
    add_asset(stocked_brand)
    newest = add_asset_variant(stocked_brand)

    page = page_template_instantiate(template="marquee", brand=stocked_brand.brand,
                                     page_key="p2", parent="home", slug="m", title="Hello")

    hero = tiles_of(page)[0]
    assert hero["type"] == "image"
    assert hero["config"]["asset"] == newest.pk
    assert hero["config"]["alt"] == "Acme Outdoor: Hello"


def add_asset_variant(actor):
    from stores.assets import asset_create

    out = io.BytesIO()
    Image.new("RGB", (1200, 450), (200, 90, 60)).save(out, "PNG")
    return asset_create(brand=actor.brand, upload=SimpleUploadedFile("b.png", out.getvalue()),
                        user=actor.user)


def test_product_grid_follows_the_brands_main_category(stocked_brand):
    page = page_template_instantiate(template="product_grid", brand=stocked_brand.brand,
                                     page_key="p2", parent="home", slug="g", title="Tents")

    grid = tiles_of(page)[1]
    assert grid["config"]["mode"] == "automated"
    assert grid["config"]["rule"] == {"category": "tents", "keyword": None}


def test_the_page_title_is_escaped_in_text_tiles(vendor):
    page = page_template_instantiate(template="marquee", brand=vendor.brand,
                                     page_key="p2", parent="home", slug="g",
                                     title="<script>x</script> & more")

    normal = validate_store_document(document_with(page), brand=vendor.brand)
    html = normal["pages"][1]["sections"][0]["tiles"][0]["config"]["html"]
    assert "<script>" not in html
    assert html.startswith("<h2>&lt;script&gt;x&lt;/script&gt; &amp; more</h2>")


def test_blank_has_no_sections(stocked_brand):
    page = page_template_instantiate(template="blank", brand=stocked_brand.brand,
                                     page_key="p2", parent="home", slug="b", title="Empty")

    assert page == {"key": "p2", "parent": "home", "slug": "b", "title": "Empty",
                    "sections": []}


def test_an_unknown_template_is_refused(stocked_brand):
    with pytest.raises(UnknownPageTemplate):
        page_template_instantiate(template="carousel", brand=stocked_brand.brand,
                                  page_key="p2", parent="home", slug="c", title="C")
