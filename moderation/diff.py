"""Tile-level differences between two Store documents (pure: no database, no I/O).

`document_diff(live, submitted)` says which pages and tiles were added, removed or changed,
so a moderator reviews what is new rather than the whole Store again.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PAGE_FIELDS = ("title", "slug", "parent")


@dataclass(frozen=True)
class PageChange:
    key: str
    title: str
    change: str  # "added", "removed", "changed"
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class TileChange:
    key: str
    type: str
    page: str
    section: str
    change: str  # "added", "removed", "changed", "moved"
    fields: tuple[str, ...] = ()


@dataclass
class DocumentDiff:
    pages: list[PageChange] = field(default_factory=list)
    tiles: list[TileChange] = field(default_factory=list)
    store_fields: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.pages or self.tiles or self.store_fields)

    def tile_change(self, key: str) -> str | None:
        return next((t.change for t in self.tiles if t.key == key), None)


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


def document_diff(live: dict | None, submitted: dict) -> DocumentDiff:
    """Differences from `live` (None: nothing is live yet, so everything is added)."""
    diff = DocumentDiff()
    live = live or {}
    diff.store_fields = [k for k in ("name", "theme") if live.get(k) != submitted.get(k)] \
        if live else []

    old_pages, new_pages = _pages(live), _pages(submitted)
    for key, page in new_pages.items():
        if key not in old_pages:
            diff.pages.append(PageChange(key, str(page.get("title", "")), "added"))
            continue
        changed = tuple(f for f in PAGE_FIELDS if old_pages[key].get(f) != page.get(f))
        old_sections = [s.get("key") for s in old_pages[key].get("sections") or []]
        new_sections = [s.get("key") for s in page.get("sections") or []]
        old_layouts = [s.get("layout") for s in old_pages[key].get("sections") or []]
        new_layouts = [s.get("layout") for s in page.get("sections") or []]
        if old_sections != new_sections or old_layouts != new_layouts:
            changed += ("sections",)
        if changed:
            diff.pages.append(PageChange(key, str(page.get("title", "")), "changed", changed))
    for key, page in old_pages.items():
        if key not in new_pages:
            diff.pages.append(PageChange(key, str(page.get("title", "")), "removed"))

    old_tiles, new_tiles = _tiles(live), _tiles(submitted)
    for key, (page, section, position, tile) in new_tiles.items():
        kind = str(tile.get("type", ""))
        if key not in old_tiles:
            diff.tiles.append(TileChange(key, kind, page, section, "added"))
            continue
        old_page, old_section, old_position, old_tile = old_tiles[key]
        fields = _changed_keys(old_tile.get("config") or {}, tile.get("config") or {})
        if old_tile.get("type") != tile.get("type"):
            fields = ("type", *fields)
        if fields:
            diff.tiles.append(TileChange(key, kind, page, section, "changed", fields))
        elif (old_page, old_section, old_position) != (page, section, position):
            diff.tiles.append(TileChange(key, kind, page, section, "moved"))
    for key, (page, section, _position, tile) in old_tiles.items():
        if key not in new_tiles:
            diff.tiles.append(TileChange(key, str(tile.get("type", "")), page, section,
                                         "removed"))
    return diff
