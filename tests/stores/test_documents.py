"""The Store document: what is refused, with which error and where."""
from __future__ import annotations

import pytest

from config.api import http_status_for
from stores.documents import DocumentInvalid, document_validate, validate_store_document
from stores.models import Asset
from tests import factories
from tests.documents import home_document, section, tile


def errors_of(document, brand) -> list[dict]:
    with pytest.raises(DocumentInvalid) as caught:
        validate_store_document(document, brand=brand)
    assert caught.value.code == "invalid_document"
    assert http_status_for(caught.value) == 400
    return caught.value.details


def only_error(document, brand) -> dict:
    errors = errors_of(document, brand)
    assert len(errors) == 1, errors
    return errors[0]


def make_asset(brand, pk_hint: int = 0) -> Asset:
    return Asset.objects.create(brand=brand, file=f"assets/a{pk_hint}.png",
                                sha256=f"{pk_hint:064d}", content_type="image/png",
                                width=1600, height=600)


def test_a_valid_document_comes_back_normalised_with_defaults(seller, products):
    document = home_document(
        section("s1", tile("t1", "product_grid", mode="manual",
                           asins=[products[0].asin, products[1].asin])),
        section("s2", {"key": "t2", "type": "best_sellers", "config": {}}, layout="halves"),
    )
    document["theme"] = {"accent_color": "#0A7D5A"}
    normal = validate_store_document(document, brand=seller.brand)
    assert normal["theme"] == {"accent_color": "#0a7d5a"}
    grid, best = normal["pages"][0]["sections"][0]["tiles"][0], \
        normal["pages"][0]["sections"][1]["tiles"][0]
    assert grid == {"key": "t1", "type": "product_grid", "visibility": "all", "config": {
        "mode": "manual", "title": "", "asins": ["B100000000", "B100000001"],
        "hide_out_of_stock": False}}
    assert best["config"] == {"title": "", "limit": 8}
    assert "revision" not in normal


def test_an_unknown_tile_type_is_refused_at_its_tile(seller):
    error = only_error(home_document(section("s1", tile("t9", "carousel"))), seller.brand)
    assert error["path"] == "pages[0].sections[0].tiles[0].type"
    assert (error["page"], error["section"], error["tile"]) == ("home", "s1", "t9")
    assert error["code"] == "unknown_tile_type"
    assert "carousel" in error["message"]


def test_an_unknown_asin_is_refused_with_its_index(seller, products):
    document = home_document(section("s1", tile(
        "t1", "product_grid", mode="manual", asins=[products[0].asin, "B0NOTTHERE"])))
    error = only_error(document, seller.brand)
    assert error == {
        "path": "pages[0].sections[0].tiles[0].config.asins[1]", "page": "home",
        "section": "s1", "tile": "t1", "field": "asins", "code": "unknown_asin",
        "message": "No product has the ASIN B0NOTTHERE.",
    }


def test_another_brands_asin_is_refused(seller, other_brand_owner):
    rival = factories.ProductFactory(asin="B0RIVAL001", brand=other_brand_owner.brand)
    document = home_document(section("s1", tile("t1", "product", asin=rival.asin)))
    error = only_error(document, seller.brand)
    assert error["path"] == "pages[0].sections[0].tiles[0].config.asin"
    assert error["code"] == "not_brand_product"
    assert error["message"] == "B0RIVAL001 is not a product of Acme Outdoor."


def test_a_malformed_asin_is_refused_without_a_lookup(seller):
    document = home_document(section("s1", tile("t1", "product", asin="b0-lower")))
    assert only_error(document, seller.brand)["code"] == "invalid_asin"


def test_a_fourth_page_level_is_refused(seller):
    pages = [
        {"key": "p1", "parent": "home", "slug": "tents", "title": "Tents"},
        {"key": "p2", "parent": "p1", "slug": "family", "title": "Family"},
        {"key": "p3", "parent": "p2", "slug": "xl", "title": "XL"},
    ]
    error = only_error(home_document(pages=pages), seller.brand)
    assert error["path"] == "pages[3].parent"
    assert error["page"] == "p3"
    assert error["code"] == "too_deep"


def test_three_levels_are_accepted(seller):
    pages = [
        {"key": "p1", "parent": "home", "slug": "tents", "title": "Tents"},
        {"key": "p2", "parent": "p1", "slug": "family", "title": "Family"},
    ]
    normal = validate_store_document(home_document(pages=pages), brand=seller.brand)
    assert [p["key"] for p in normal["pages"]] == ["home", "p1", "p2"]
    assert normal["pages"][1]["sections"] == []


def test_duplicate_keys_are_refused_across_pages_sections_and_tiles(seller):
    document = home_document(section("s1", tile("home", "text", html="<p>Hi</p>")))
    error = only_error(document, seller.brand)
    assert error["path"] == "pages[0].sections[0].tiles[0].key"
    assert error["code"] == "duplicate_key"


def test_more_than_twenty_sections_are_refused(seller):
    sections = [section(f"s{i}", tile(f"t{i}", "text", html="<p>Hi</p>")) for i in range(21)]
    error = only_error(home_document(*sections), seller.brand)
    assert error["path"] == "pages[0].sections"
    assert error["code"] == "too_many_sections"
    assert "at most 20 sections" in error["message"]


def test_twenty_sections_are_accepted(seller):
    sections = [section(f"s{i}", tile(f"t{i}", "text", html="<p>Hi</p>")) for i in range(20)]
    assert len(validate_store_document(home_document(*sections),
                                       brand=seller.brand)["pages"][0]["sections"]) == 20


def test_a_script_in_a_text_tile_is_refused(seller):
    document = home_document(section("s1", tile(
        "t1", "text", html="<p>Hello</p><script>alert(1)</script>")))
    error = only_error(document, seller.brand)
    assert error["path"] == "pages[0].sections[0].tiles[0].config.html"
    assert error["code"] == "unsafe_html"
    assert "<script>" in error["message"]


def test_text_outside_the_allow_list_is_cleaned(seller):
    document = home_document(section("s1", tile(
        "t1", "text",
        html='<h2 onclick="x()">Our story</h2><p style="color:red">Made <b>well</b>'
             '<img src=x onerror=alert(1)> <a href="javascript:alert(1)">here</a></p>')))
    html = validate_store_document(document, brand=seller.brand)[
        "pages"][0]["sections"][0]["tiles"][0]["config"]["html"]
    assert html == "<h2>Our story</h2><p>Made <b>well</b> <a rel=\"noopener noreferrer " \
                   "nofollow ugc\">here</a></p>"


def test_an_image_without_alt_text_is_saved_as_incomplete_at_its_place(seller):
    asset = make_asset(seller.brand)
    document = home_document(section("s1", tile("t1", "image", asset=asset.pk, alt="  ")))
    [missing] = document_validate(document, brand=seller.brand).incomplete
    assert missing["path"] == "pages[0].sections[0].tiles[0].config.alt"
    assert (missing["tile"], missing["field"], missing["code"]) == ("t1", "alt", "missing_alt")


def test_a_gallery_image_without_alt_is_incomplete_at_its_index(seller):
    assets = [make_asset(seller.brand, i) for i in range(2)]
    document = home_document(section("s1", tile("t1", "gallery", images=[
        {"asset": assets[0].pk, "alt": "Tent at dusk"}, {"asset": assets[1].pk}])))
    [missing] = document_validate(document, brand=seller.brand).incomplete
    assert missing["path"] == "pages[0].sections[0].tiles[0].config.images[1].alt"


def test_another_brands_asset_is_refused(seller, other_brand_owner):
    asset = make_asset(other_brand_owner.brand)
    document = home_document(section("s1", tile("t1", "image", asset=asset.pk, alt="Tent")))
    assert only_error(document, seller.brand)["code"] == "unknown_asset"


def test_exactly_one_home_page_is_required(seller):
    document = home_document(pages=[{"key": "p1", "parent": None, "slug": "", "title": "B"}])
    errors = errors_of(document, seller.brand)
    assert [e["code"] for e in errors] == ["home_page_count"]


def test_sibling_slugs_must_differ_but_cousins_may_share(seller):
    pages = [
        {"key": "a", "parent": "home", "slug": "tents", "title": "Tents"},
        {"key": "b", "parent": "home", "slug": "bags", "title": "Bags"},
        {"key": "a1", "parent": "a", "slug": "sale", "title": "Sale"},
        {"key": "b1", "parent": "b", "slug": "sale", "title": "Sale"},
        {"key": "c", "parent": "home", "slug": "tents", "title": "Tents again"},
    ]
    error = only_error(home_document(pages=pages), seller.brand)
    assert (error["path"], error["code"], error["page"]) == ("pages[5].slug",
                                                             "duplicate_slug", "c")


@pytest.mark.parametrize("slug", ["Tents", "tents!", "-tents", "a--b", "x" * 61])
def test_bad_slugs_are_refused(seller, slug):
    pages = [{"key": "a", "parent": "home", "slug": slug, "title": "Tents"}]
    assert only_error(home_document(pages=pages), seller.brand)["code"] == "invalid_slug"


def test_an_accent_colour_must_be_rrggbb(seller):
    document = home_document()
    document["theme"] = {"accent_color": "red"}
    error = only_error(document, seller.brand)
    assert (error["path"], error["code"]) == ("theme.accent_color", "invalid_color")


def test_visibility_defaults_to_all_and_must_be_known(seller):
    good = home_document(section("s1", {**tile("t1", "text", html="<p>x</p>"),
                                        "visibility": "phone"}))
    tiles = validate_store_document(good, brand=seller.brand)["pages"][0]["sections"][0]["tiles"]
    assert tiles[0]["visibility"] == "phone"
    bad = home_document(section("s1", {**tile("t1", "text", html="<p>x</p>"),
                                       "visibility": "tablet"}))
    assert only_error(bad, seller.brand)["code"] == "invalid_visibility"


@pytest.mark.parametrize("limit", [0, 49, "8", True])
def test_product_limits_are_1_to_48(seller, limit):
    document = home_document(section("s1", tile("t1", "best_sellers", limit=limit)))
    error = only_error(document, seller.brand)
    assert error["path"] == "pages[0].sections[0].tiles[0].config.limit"


def test_an_automated_grid_takes_a_rule_a_sort_and_a_limit(seller, products):
    document = home_document(section("s1", tile(
        "t1", "product_grid", mode="automated", rule={"category": "tents", "keyword": "tent"},
        sort="price_low", limit=6)))
    config = validate_store_document(document, brand=seller.brand)[
        "pages"][0]["sections"][0]["tiles"][0]["config"]
    assert config == {"mode": "automated", "title": "", "sort": "price_low", "limit": 6,
                      "rule": {"category": "tents", "keyword": "tent"}}
    document["pages"][0]["sections"][0]["tiles"][0]["config"].update(
        sort="cheapest", rule={"category": "boats"})
    codes = sorted(e["code"] for e in errors_of(document, seller.brand))
    assert codes == ["invalid_choice", "unknown_category"]


@pytest.mark.parametrize(("url", "embed"), [
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "youtube:dQw4w9WgXcQ"),
    ("https://youtu.be/dQw4w9WgXcQ", "youtube:dQw4w9WgXcQ"),
    ("https://vimeo.com/76979871", "vimeo:76979871"),
])
def test_youtube_and_vimeo_videos_are_accepted(seller, url, embed):
    document = home_document(section("s1", tile("t1", "video", url=url, title="Pitching")))
    config = validate_store_document(document, brand=seller.brand)[
        "pages"][0]["sections"][0]["tiles"][0]["config"]
    assert f"{config['provider']}:{config['video_id']}" == embed


@pytest.mark.parametrize("url", ["http://www.youtube.com/watch?v=dQw4w9WgXcQ",
                                 "https://evil.example/watch?v=dQw4w9WgXcQ",
                                 "javascript:alert(1)"])
def test_other_video_links_are_refused(seller, url):
    document = home_document(section("s1", tile("t1", "video", url=url)))
    assert only_error(document, seller.brand)["code"] == "unsupported_video"


def test_hotspots_must_sit_on_the_image_and_name_brand_products(seller, products):
    asset = make_asset(seller.brand)
    document = home_document(section("s1", tile(
        "t1", "shoppable_image", asset=asset.pk, alt="Camp", hotspots=[
            {"x": 20, "y": 30, "asin": products[0].asin},
            {"x": 120, "y": 30, "asin": products[1].asin}])))
    error = only_error(document, seller.brand)
    assert error["path"] == "pages[0].sections[0].tiles[0].config.hotspots[1].x"
    assert error["code"] == "out_of_range"


def test_every_error_is_reported_at_once(seller):
    document = home_document(
        section("s1", tile("t1", "carousel"), tile("t2", "best_sellers", limit=0)),
        section("s1", layout="sixths"),
    )
    codes = [e["code"] for e in errors_of(document, seller.brand)]
    assert codes == ["unknown_tile_type", "out_of_range", "duplicate_key", "invalid_layout"]


def test_a_document_that_is_not_an_object_is_refused(seller):
    assert only_error(["pages"], seller.brand)["code"] == "invalid_document"
