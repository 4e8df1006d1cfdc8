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


# --- before and after, as the moderator reads them -----------------------------------

def test_a_text_change_is_a_word_level_diff_named_by_type_and_heading():
    live = store_document(["B000000001"], text="<h2>Trail tents</h2><p>Built for the trail.</p>")
    submitted = store_document(["B000000001"],
                               text="<h2>Trail tents</h2><p>Built for the mountain trail.</p>")

    (change,) = document_diff(live, submitted).tiles

    assert (change.key, change.change, change.type_label, change.heading, change.page_title) == (
        "t2", "changed", "Text", "Trail tents", "Home")
    (text,) = change.details
    assert (text.kind, text.before, text.after) == (
        "text", "Trail tents Built for the trail.", "Trail tents Built for the mountain trail.")
    assert [(w.op, w.text) for w in text.words] == [
        ("same", "Trail tents Built for the"), ("added", "mountain"), ("same", "trail.")]


def test_an_image_swap_gives_both_images_and_a_product_added_is_named():
    live = copy.deepcopy(LIVE)
    live["pages"][0]["sections"][0]["tiles"].append(
        {"key": "t9", "type": "image", "config": {"asset": 3, "alt": "Snow"}})
    submitted = copy.deepcopy(live)
    submitted["pages"][0]["sections"][0]["tiles"][2]["config"]["asset"] = 4
    submitted["pages"][0]["sections"][0]["tiles"][0]["config"]["asins"].append("B000000003")
    submitted["pages"][0]["sections"][0]["tiles"][0]["config"]["hide_out_of_stock"] = True

    diff = document_diff(live, submitted)

    grid, image = diff.tiles
    assert (image.type_label, image.heading) == ("Image", "Snow")
    assert [(d.kind, d.before, d.after) for d in image.details] == [("image", 3, 4)]
    products, suppress = grid.details
    assert (products.kind, products.added, products.removed) == ("products", ("B000000003",), ())
    assert (suppress.label, suppress.before, suppress.after) == (
        "Hide out-of-stock products", False, True)


def test_a_new_sub_page_is_added_with_its_tiles_and_is_a_page_to_preview():
    submitted = copy.deepcopy(LIVE)
    submitted["pages"].append({"key": "p3", "parent": "home", "slug": "sale", "title": "Sale",
                               "sections": [{"key": "s9", "layout": "full", "tiles": [
                                   {"key": "t9", "type": "text",
                                    "config": {"html": "<h2>Winter sale</h2>"}}]}]})

    diff = document_diff(LIVE, submitted)

    assert diff.pages == [PageChange("p3", "Sale", "added")]
    (tile,) = diff.tiles
    assert (tile.key, tile.change, tile.page_title, tile.heading) == (
        "t9", "added", "Sale", "Winter sale")
    assert diff.changed_page_keys() == ["p3"]
