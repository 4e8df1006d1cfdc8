"""Every tile type of the registry, asked the same questions: its schema, its default and
full configs, its rendering, what it tells moderation. A new tile type is covered here
without touching this file."""
from __future__ import annotations

import json

import pytest

from moderation.checks import document_check
from stores.documents import document_validate
from stores.tiles.registry import all_tile_types
from tests.documents import (
    SAMPLE_HTML,
    SAMPLE_MOMENT,
    SAMPLE_TEXT,
    filled_config,
    home_document,
    section,
    tile,
    tile_present,
)

TILE_TYPES = [pytest.param(t, id=t.name) for t in all_tile_types()]
FIELD_KEYS = {"name", "kind", "label", "help", "required", "default", "choices", "min", "max",
              "max_length", "max_items", "show_if"}
KINDS = {"text", "rich_text", "integer", "choice", "boolean", "image", "images", "product",
         "products", "hotspots", "link", "video_url", "category", "datetime", "color"}


@pytest.fixture
def full(seller, products, make_asset):
    """A document holding one tile of a type, every field given a good value."""
    asset = make_asset(size=(1600, 900))

    def make(tile_type, **choices) -> dict:
        config = filled_config(tile_type, asins=[p.asin for p in products], asset=asset.pk,
                               category="tents", **choices)
        return home_document(section("s1", tile("t1", tile_type.name, **config)))

    return make


@pytest.mark.parametrize("tile_type", TILE_TYPES)
def test_each_type_describes_itself_for_the_builder(tile_type):
    described = json.loads(json.dumps(tile_type.describe()))

    assert described["name"] == tile_type.name
    assert described["label"] and described["description"]
    assert {"shows_products", "automatic", "keeps_hero"} <= set(described["flags"])
    for field in described["fields"]:
        assert set(field) >= FIELD_KEYS, field["name"]
        assert field["kind"] in KINDS
        assert field["label"]
        names_before = {f["name"] for f in described["fields"]}
        assert set(field["show_if"]) <= names_before


@pytest.mark.parametrize("tile_type", TILE_TYPES)
def test_the_default_config_is_what_the_fields_start_with_and_saves(tile_type, seller):
    document = home_document(section("s1", tile("t1", tile_type.name,
                                                **tile_type.default_config())))

    validated = document_validate(document, brand=seller.brand)  # no DocumentInvalid

    # Whatever is missing is a required value not given yet, never a wrong one.
    assert {e["code"] for e in validated.incomplete} <= {"required", "missing_alt"}
    for missing in validated.incomplete:
        assert missing["tile"] == "t1"
        assert missing["field"] in {f.name for f in tile_type.fields}


@pytest.mark.parametrize("tile_type", TILE_TYPES)
def test_a_full_config_is_complete_and_its_normal_form_is_stable(tile_type, seller, full):
    validated = document_validate(full(tile_type), brand=seller.brand)

    assert validated.incomplete == []
    again = document_validate(validated.document, brand=seller.brand)
    assert again.document == validated.document


@pytest.mark.parametrize("tile_type", TILE_TYPES)
def test_a_full_tile_declares_its_texts_images_and_products(tile_type, seller, full, products):
    document = document_validate(full(tile_type), brand=seller.brand).document
    config = document["pages"][0]["sections"][0]["tiles"][0]["config"]
    kinds = {f.kind for f in tile_type.shown_fields(config)}

    texts = [t.value for t in tile_type.texts(config)]
    if kinds & {"text", "images"}:
        assert any(SAMPLE_TEXT in t or "A tent at dusk" in t for t in texts)
    if "rich_text" in kinds:
        assert SAMPLE_HTML in texts
    assert SAMPLE_MOMENT not in texts  # a date is never text
    images = tile_type.images(config)
    assert bool(images) == bool(kinds & {"image", "images"})
    assert all(isinstance(slot.asset, int) for slot in images)
    declared = set(tile_type.products(config))
    assert declared <= {p.asin for p in products}
    assert bool(declared) == bool(kinds & {"product", "products", "hotspots"})


@pytest.mark.parametrize("tile_type", TILE_TYPES)
def test_a_full_tile_passes_the_automated_checks(tile_type, seller, full):
    document = document_validate(full(tile_type), brand=seller.brand).document

    findings = document_check(document=document, brand=seller.brand)

    assert [f for f in findings if f["severity"] == "blocking"] == []


@pytest.mark.parametrize("tile_type", TILE_TYPES)
def test_each_type_renders_empty_and_full_on_the_shopper_page(tile_type, client, seller, full,
                                                              make_store):
    empty = home_document(section("s1", tile("t1", tile_type.name,
                                             **tile_type.default_config())))
    store = make_store(document_validate(empty, brand=seller.brand).document)
    assert client.get(f"/stores/{store.slug}/").status_code == 200

    filled = document_validate(full(tile_type), brand=seller.brand).document
    make_store(filled, slug="full")
    response = client.get("/stores/full/")

    assert response.status_code == 200
    if not tile_type.deals_only:  # no deal runs: a deals tile has nothing to show
        assert tile_present(response.content.decode(), "t1")
