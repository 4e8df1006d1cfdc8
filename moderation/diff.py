"""Differences between two Store documents (pure: no database, no I/O).

`document_diff(live, submitted)` says which pages and tiles were added, removed, changed
or moved, so a moderator reviews what is new rather than the whole Store again. Each
change names its page by title and its tile by type and heading, and carries the
before/after of every changed field: text as a word-level diff, images as the two asset
ids, product lists as the products added and removed, settings as their two values.
"""
from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass, field, replace
from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

PAGE_FIELDS = ("title", "slug", "parent", "description")
# Fields of tile configurations, by what they hold (how their change is shown).
TEXT_FIELDS = {"html", "title", "alt", "caption", "heading", "body", "description"}
IMAGE_FIELDS = {"asset", "phone_asset", "poster", "logo", "banner"}
PRODUCT_LIST_FIELDS = {"asins"}
PRODUCT_FIELDS = {"asin"}
FIELD_LABELS = {
    "html": _("Text"), "title": _("Heading"), "alt": _("Alternative text"),
    "asset": _("Image"), "phone_asset": _("Phone image"), "poster": _("Poster image"),
    "asins": _("Products"), "asin": _("Product"), "hide_out_of_stock": _(
        "Hide out-of-stock products"),
    "mode": _("Product choice"), "rule": _("Rule"), "sort": _("Sort order"),
    "limit": _("Number of products"), "layout": _("Layout"), "align": _("Alignment"),
    "link": _("Link"), "images": _("Images"), "hotspots": _("Hot-spots"),
    "url": _("Video address"), "type": _("Tile type"), "slug": _("Address"),
    "parent": _("Parent page"), "description": _("Description"), "name": _("Store name"),
    "theme": _("Theme"), "sections": _("Sections"), "provider": _("Video host"),
    "video_id": _("Video"),
    # The Store's theme (stores.theme).
    "logo": _("Logo"), "banner": _("Banner image"), "accent_color": _("Accent colour"),
    "background_color": _("Background colour"), "font_pairing": _("Fonts"),
}
TYPE_LABELS = {
    "product_grid": _("Product grid"), "featured_deals": _("Featured deals"),
    "best_sellers": _("Best sellers"), "recommended_products": _("Recommended products"),
    "product": _("Product"), "image": _("Image"), "text": _("Text"), "video": _("Video"),
    "gallery": _("Gallery"), "shoppable_image": _("Shoppable image"),
}
_TAG = re.compile(r"<[^>]+>")
_HEADING = re.compile(r"<h[1-6][^>]*>(.*?)</h[1-6]>", re.IGNORECASE | re.DOTALL)
_BLOCK_END = re.compile(r"</(p|h[1-6]|li|div|blockquote)>|<br\s*/?>", re.IGNORECASE)


def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name) or capfirst(name.replace("_", " ")))


def type_label(kind: str) -> str:
    return str(TYPE_LABELS.get(kind) or capfirst(kind.replace("_", " ")))


def plain_text(value: Any) -> str:
    """Text as a shopper reads it: tags dropped, entities decoded, spaces collapsed."""
    text = _BLOCK_END.sub(" ", str(value or ""))
    return " ".join(html.unescape(_TAG.sub("", text)).split())


def tile_heading(tile: dict) -> str:
    """What names a tile for a person: its heading, its text's first heading or words,
    its image's alternative text."""
    config = tile.get("config") or {}
    if config.get("title"):
        return plain_text(config["title"])[:80]
    if config.get("html"):
        match = _HEADING.search(str(config["html"]))
        text = plain_text(match.group(1) if match else config["html"])
        return text[:77] + "…" if len(text) > 80 else text
    if config.get("alt"):
        return plain_text(config["alt"])[:80]
    return ""


@dataclass(frozen=True)
class Word:
    """A run of words of a text diff: `op` is "same", "removed" or "added"."""

    op: str
    text: str


def word_diff(before: str, after: str) -> tuple[Word, ...]:
    """Word-level differences, runs merged, for before/after highlighting."""
    old, new = before.split(), after.split()
    runs: list[Word] = []

    def push(op: str, words: list[str]) -> None:
        if not words:
            return
        if runs and runs[-1].op == op:
            runs[-1] = Word(op, f"{runs[-1].text} {' '.join(words)}")
        else:
            runs.append(Word(op, " ".join(words)))

    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            push("same", old[i1:i2])
        else:
            push("removed", old[i1:i2])
            push("added", new[j1:j2])
    return tuple(runs)


@dataclass(frozen=True)
class FieldChange:
    """One changed field. `kind`: "text" (with `words`), "image" (asset ids), "products"
    (`added`/`removed` ASINs), "product" (two ASINs) or "value" (two values)."""

    name: str
    label: str
    kind: str
    before: Any = None
    after: Any = None
    words: tuple[Word, ...] = ()
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


def _gallery_assets(value: Any) -> list:
    return [item.get("asset") for item in value or [] if isinstance(item, dict)]


def field_change(name: str, before: Any, after: Any) -> FieldChange:
    label = field_label(name)
    if name in TEXT_FIELDS:
        old, new = plain_text(before), plain_text(after)
        return FieldChange(name, label, "text", old, new, words=word_diff(old, new))
    if name in IMAGE_FIELDS:
        return FieldChange(name, label, "image", before, after)
    if name == "images":
        return FieldChange(name, label, "images", _gallery_assets(before), _gallery_assets(after))
    if name in PRODUCT_LIST_FIELDS or name == "hotspots":
        old = ([s.get("asin") for s in before or [] if isinstance(s, dict)]
               if name == "hotspots" else list(before or []))
        new = ([s.get("asin") for s in after or [] if isinstance(s, dict)]
               if name == "hotspots" else list(after or []))
        return FieldChange(name, label, "products", tuple(old), tuple(new),
                           added=tuple(a for a in new if a not in old),
                           removed=tuple(a for a in old if a not in new))
    if name in PRODUCT_FIELDS:
        return FieldChange(name, label, "product", before, after)
    return FieldChange(name, label, "value", before, after)


@dataclass(frozen=True)
class PageChange:
    key: str
    title: str
    change: str  # "added", "removed", "changed"
    fields: tuple[str, ...] = ()
    details: tuple[FieldChange, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class TileChange:
    key: str
    type: str
    page: str
    section: str
    change: str  # "added", "removed", "changed", "moved"
    fields: tuple[str, ...] = ()
    page_title: str = field(default="", compare=False)
    heading: str = field(default="", compare=False)
    details: tuple[FieldChange, ...] = field(default=(), compare=False)
    # The tile's configuration as submitted (as it was, for a removed tile).
    config: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def type_label(self) -> str:
        return type_label(self.type)


@dataclass
class DocumentDiff:
    pages: list[PageChange] = field(default_factory=list)
    tiles: list[TileChange] = field(default_factory=list)
    store_fields: list[str] = field(default_factory=list)
    store_details: list[FieldChange] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.pages or self.tiles or self.store_fields)

    def tile_change(self, key: str) -> str | None:
        return next((t.change for t in self.tiles if t.key == key), None)

    def changed_page_keys(self) -> list[str]:
        """Pages a moderator should look at: added or changed, or holding a changed tile
        (in document order of the submitted pages first seen)."""
        keys: list[str] = []
        for page in self.pages:
            if page.change != "removed" and page.key not in keys:
                keys.append(page.key)
        for tile in self.tiles:
            if tile.change != "removed" and tile.page not in keys:
                keys.append(tile.page)
        return keys


def _pages(document: dict | None) -> dict[str, dict]:
    return {str(p.get("key")): p for p in (document or {}).get("pages") or []}


def _tiles(document: dict | None) -> dict[str, tuple[str, str, int, dict]]:
    """tile key -> (page key, section key, position in its section, tile).

    Positions count within the section, so adding a section does not mark every tile
    below it as moved (the page reports its sections changed instead)."""
    tiles: dict[str, tuple[str, str, int, dict]] = {}
    for page in (document or {}).get("pages") or []:
        for section in page.get("sections") or []:
            for position, tile in enumerate(section.get("tiles") or []):
                tiles[str(tile.get("key"))] = (str(page.get("key")), str(section.get("key")),
                                               position, tile)
    return tiles


def _changed_keys(old: dict[str, Any], new: dict[str, Any]) -> tuple[str, ...]:
    return tuple(sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k)))


def _store_details(live: dict, submitted: dict, names: list[str]) -> list[FieldChange]:
    details = []
    for name in names:
        if name == "theme":
            old, new = live.get("theme") or {}, submitted.get("theme") or {}
            for key in _changed_keys(old, new):
                change = field_change(key, old.get(key), new.get(key))
                details.append(replace(change, label=str(_("Theme: %(setting)s")
                                                         % {"setting": change.label})))
        else:
            details.append(field_change(name, live.get(name), submitted.get(name)))
    return details


def document_diff(live: dict | None, submitted: dict) -> DocumentDiff:
    """Differences from `live` (None: nothing is live yet, so everything is added)."""
    diff = DocumentDiff()
    live = live or {}
    diff.store_fields = [k for k in ("name", "theme") if live.get(k) != submitted.get(k)] \
        if live else []
    diff.store_details = _store_details(live, submitted, diff.store_fields)

    old_pages, new_pages = _pages(live), _pages(submitted)
    titles = {key: str(page.get("title", "")) for key, page in {**old_pages,
                                                                **new_pages}.items()}
    for key, page in new_pages.items():
        if key not in old_pages:
            diff.pages.append(PageChange(key, titles[key], "added"))
            continue
        old_page = old_pages[key]
        changed = tuple(f for f in PAGE_FIELDS if old_page.get(f) != page.get(f))
        details = [field_change(f, old_page.get(f), page.get(f)) for f in changed]
        # A parent's key means nothing to a person: its title does.
        details = [FieldChange("parent", d.label, "value",
                               titles.get(str(d.before), d.before),
                               titles.get(str(d.after), d.after)) if d.name == "parent" else d
                   for d in details]
        old_sections = [(s.get("key"), s.get("layout")) for s in old_page.get("sections") or []]
        new_sections = [(s.get("key"), s.get("layout")) for s in page.get("sections") or []]
        if old_sections != new_sections:
            changed += ("sections",)
            details.append(FieldChange("sections", field_label("sections"), "value",
                                       len(old_sections), len(new_sections)))
        if changed:
            diff.pages.append(PageChange(key, titles[key], "changed", changed, tuple(details)))
    for key, _page in old_pages.items():
        if key not in new_pages:
            diff.pages.append(PageChange(key, titles[key], "removed"))

    old_tiles, new_tiles = _tiles(live), _tiles(submitted)
    for key, (page, section, position, tile) in new_tiles.items():
        kind = str(tile.get("type", ""))
        config = tile.get("config") or {}
        named = {"page_title": titles.get(page, page), "heading": tile_heading(tile),
                 "config": config}
        if key not in old_tiles:
            diff.tiles.append(TileChange(key, kind, page, section, "added", **named))
            continue
        old_page, old_section, old_position, old_tile = old_tiles[key]
        old_config = old_tile.get("config") or {}
        fields = _changed_keys(old_config, config)
        details = [field_change(name, old_config.get(name), config.get(name)) for name in fields]
        if old_tile.get("type") != tile.get("type"):
            fields = ("type", *fields)
            details.insert(0, FieldChange("type", field_label("type"), "value",
                                          type_label(str(old_tile.get("type"))),
                                          type_label(kind)))
        if old_tile.get("visibility", "all") != tile.get("visibility", "all"):
            fields = (*fields, "visibility")
            details.append(FieldChange("visibility", str(_("Shown on")), "value",
                                       old_tile.get("visibility", "all"),
                                       tile.get("visibility", "all")))
        if fields:
            diff.tiles.append(TileChange(key, kind, page, section, "changed", fields,
                                         details=tuple(details), **named))
        elif (old_page, old_section, old_position) != (page, section, position):
            diff.tiles.append(TileChange(key, kind, page, section, "moved", **named))
    for key, (page, section, _position, tile) in old_tiles.items():
        if key not in new_tiles:
            diff.tiles.append(TileChange(key, str(tile.get("type", "")), page, section,
                                         "removed", page_title=titles.get(page, page),
                                         heading=tile_heading(tile),
                                         config=tile.get("config") or {}))
    return diff
