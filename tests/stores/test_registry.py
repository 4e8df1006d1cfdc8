"""The tile registry: the ten types of the brief, each with its template, schema and
out-of-stock policy."""
from __future__ import annotations

import pytest
from django.template.loader import get_template

from stores.tiles.base import OutOfStock
from stores.tiles.registry import UnknownTileType, all_tile_types, get_tile_type

BRIEF = {"product_grid", "featured_deals", "best_sellers", "recommended_products", "product",
         "image", "text", "video", "gallery", "shoppable_image"}


def test_the_registry_holds_the_tile_types_of_the_brief():
    assert BRIEF <= {t.name for t in all_tile_types()}


@pytest.mark.parametrize("tile_type", [pytest.param(t, id=t.name) for t in all_tile_types()])
def test_every_tile_type_has_a_label_a_description_and_a_template(tile_type):
    assert tile_type.label and tile_type.description
    get_template(tile_type.template_name)
    assert isinstance(tile_type.default_config(), dict)


def test_an_unknown_name_raises():
    with pytest.raises(UnknownTileType):
        get_tile_type("carousel")


@pytest.mark.parametrize(("name", "config", "policy"), [
    ("featured_deals", {"hide_out_of_stock": False}, OutOfStock.HIDE),
    ("best_sellers", {}, OutOfStock.HIDE),
    ("recommended_products", {}, OutOfStock.HIDE),
    ("product_grid", {"mode": "automated", "hide_out_of_stock": False}, OutOfStock.HIDE),
    ("product_grid", {"mode": "manual", "hide_out_of_stock": False}, OutOfStock.SHOW_UNBUYABLE),
    ("product_grid", {"mode": "manual", "hide_out_of_stock": True}, OutOfStock.HIDE),
    ("product", {"hide_out_of_stock": False}, OutOfStock.SHOW_UNBUYABLE),
    ("product", {"hide_out_of_stock": True}, OutOfStock.HIDE),
    ("shoppable_image", {"hide_out_of_stock": False}, OutOfStock.SHOW_UNBUYABLE),
    ("shoppable_image", {"hide_out_of_stock": True}, OutOfStock.HIDE),
    ("image", {}, None),
    ("text", {}, None),
    ("video", {}, None),
    ("gallery", {}, None),
])
def test_the_out_of_stock_table_is_answered_by_each_tile_type(name, config, policy):
    assert get_tile_type(name).out_of_stock_policy(config) is policy
