"""What every check family shares: where a finding is, and its shape."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from catalog.stored_texts import (
    StoredText,
    stored_text_data,
    stored_text_fallback,
    stored_text_render,
)
from stores.documents import TileAt, iter_tiles
from stores.tiles.base import TileType

from ..models import CheckFinding

BLOCKING = CheckFinding.Severity.BLOCKING
WARNING = CheckFinding.Severity.WARNING


@dataclass(frozen=True)
class Place:
    page: str = ""
    section: str = ""
    tile: str = ""


def finding(place: Place, check: str, severity: str, reason: str,
            message: StoredText) -> dict:
    """A finding, ready for CheckFinding: its message as stored text (read in each
    reader's language: `finding_message`) and in English (the plain record)."""
    return {"check_name": check, "severity": severity, "reason_code": reason,
            "page": place.page, "section": place.section, "tile": place.tile,
            "message": stored_text_fallback(message), "message_data": stored_text_data(message)}


def finding_message(found: dict) -> str:
    """A finding's message in the active language."""
    return stored_text_render(found.get("message_data"), found.get("message", ""))


def tiles(document: dict) -> Iterator[tuple[Place, TileAt, TileType]]:
    """Every tile whose type the registry knows, with its place (others show nothing)."""
    for at in iter_tiles(document):
        tile_type = at.tile_type
        if tile_type is not None:
            yield Place(at.page_key, at.section_key, at.key), at, tile_type


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
