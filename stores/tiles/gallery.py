"""Gallery: several brand images, each with alt text."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .base import ConfigReader, TileType

if TYPE_CHECKING:
    from stores.rendering import PageCatalog

MAX_IMAGES = 12


class GalleryTile(TileType):
    name = "gallery"
    label = "Gallery"
    large_image = True
    description = f"Up to {MAX_IMAGES} images in a row that scrolls on phones."

    def default_config(self) -> dict:
        return {"images": []}

    def clean(self, reader: ConfigReader) -> dict:
        images = reader.config.get("images")
        place = reader.place.child("images")
        cleaned = []
        if not isinstance(images, list) or not images:
            reader.error("images", "required", "Add at least one image.")
            return {"images": []}
        if len(images) > MAX_IMAGES:
            reader.error("images", "too_many", f"A gallery holds at most {MAX_IMAGES} images.")
            return {"images": []}
        for index, item in enumerate(images):
            item_place = place.child(f"[{index}]")
            if not isinstance(item, dict):
                reader.error("images", "invalid_image", 'Each image is {"asset": id, "alt": "…"}.',
                             item_place)
                continue
            cleaned.append({
                "asset": reader.asset("images", required=True, value=item.get("asset"),
                                      place=item_place.child("asset"), field="images"),
                "alt": reader.alt("alt", value=item.get("alt"), place=item_place.child("alt")),
            })
        return {"images": cleaned}

    def asset_ids(self, config: dict) -> list[int]:
        return [item["asset"] for item in config.get("images") or [] if item.get("asset")]

    def context(self, config: dict, catalog: PageCatalog) -> dict:
        images = [
            {"asset": catalog.assets[item["asset"]], "alt": item["alt"]}
            for item in config.get("images") or []
            if item.get("asset") in catalog.assets
        ]
        return {"images": images, "empty": not images}
