"""The tile-level diff a moderator reviews against the live version."""
from __future__ import annotations

import copy

from moderation.diff import PageChange, TileChange, document_diff
from tests.documents import store_document

LIVE = store_document(["B000000001", "B000000002"])


def test_identical_documents_have_no_differences():
    assert document_diff(LIVE, copy.deepcopy(LIVE)).is_empty


def test_with_nothing_live_every_page_and_tile_is_added():
    diff = document_diff(None, LIVE)

    assert [(p.key, p.change) for p in diff.pages] == [("home", "added"), ("p2", "added")]
    assert [(t.key, t.change) for t in diff.tiles] == [
        ("t1", "added"), ("t2", "added"), ("t3", "added")]


def test_added_removed_and_changed_pages_and_tiles_are_named():
    submitted = copy.deepcopy(LIVE)
    home = submitted["pages"][0]
    home["sections"][0]["tiles"][0]["config"]["asins"].append("B000000003")
    home["sections"][0]["tiles"][1]["config"]["html"] = "<p>New text</p>"
    home["sections"].append({"key": "s5", "layout": "full", "tiles": [
        {"key": "t5", "type": "image", "config": {"asset": 3, "alt": "Snow"}}]})
    submitted["pages"][1]["title"] = "All tents"
    submitted["pages"][1]["sections"] = []
    submitted["pages"].append({"key": "p3", "parent": "home", "slug": "sale", "title": "Sale",
                               "sections": []})

    diff = document_diff(LIVE, submitted)

    assert diff.pages == [
        PageChange("home", "Home", "changed", ("sections",)),
        PageChange("p2", "All tents", "changed", ("title", "sections")),
        PageChange("p3", "Sale", "added"),
    ]
    assert diff.tiles == [
        TileChange("t1", "product_grid", "home", "s1", "changed", ("asins",)),
        TileChange("t2", "text", "home", "s1", "changed", ("html",)),
        TileChange("t5", "image", "home", "s5", "added"),
        TileChange("t3", "best_sellers", "p2", "s2", "removed"),
    ]
    assert diff.tile_change("t5") == "added"
    assert diff.tile_change("t3") == "removed"


def test_a_removed_page_and_a_moved_tile_are_reported():
    submitted = copy.deepcopy(LIVE)
    tiles = submitted["pages"][0]["sections"][0]["tiles"]
    tiles.reverse()
    del submitted["pages"][1]

    diff = document_diff(LIVE, submitted)

    assert PageChange("p2", "Tents", "removed") in diff.pages
    assert [(t.key, t.change) for t in diff.tiles] == [
        ("t2", "moved"), ("t1", "moved"), ("t3", "removed")]


def test_a_renamed_store_or_new_theme_is_a_store_change():
    submitted = copy.deepcopy(LIVE)
    submitted["theme"] = {"accent_color": "#000000"}

    assert document_diff(LIVE, submitted).store_fields == ["theme"]
