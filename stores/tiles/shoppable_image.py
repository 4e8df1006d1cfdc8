"""Shoppable image: a brand image with hot-spots that point at products."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .base import Choice, ConfigReader, TileType

if TYPE_CHECKING:
    from stores.rendering import PageCatalog

MAX_HOTSPOTS = 20


class ShoppableImage(TileType):
    name = "shoppable_image"
    label = "Shoppable image"
    description = ("An image with hot-spots on products. Out-of-stock products keep their "
                   "hot-spot without price (as in a manual grid) unless you hide them.")
    shows_products = True
    large_image = True
    item_template = "stores/cards/hotspot.html"

    def default_config(self) -> dict:
        return {"asset": None, "alt": "", "hotspots": [], "hide_out_of_stock": False}

    def clean(self, reader: ConfigReader) -> dict:
        hotspots = reader.config.get("hotspots")
        place = reader.place.child("hotspots")
        cleaned = []
        if not isinstance(hotspots, list) or not hotspots:
            reader.error("hotspots", "required", "Add at least one hot-spot on a product.")
            hotspots = []
        elif len(hotspots) > MAX_HOTSPOTS:
            reader.error("hotspots", "too_many", f"At most {MAX_HOTSPOTS} hot-spots.")
            hotspots = []
        seen: set[str] = set()
        for index, spot in enumerate(hotspots):
            spot_place = place.child(f"[{index}]")
            if not isinstance(spot, dict):
                reader.error("hotspots", "invalid_hotspot",
                             'A hot-spot is {"x": 0-100, "y": 0-100, "asin": "…"}.', spot_place)
                continue
            point = {}
            for axis in ("x", "y"):
                value = spot.get(axis)
                if isinstance(value, bool) or not isinstance(value, int | float) or not (
                        0 <= value <= 100):
                    reader.error("hotspots", "out_of_range",
                                 f"{axis} is a percentage from 0 to 100.", spot_place.child(axis))
                    value = 0
                point[axis] = round(float(value), 2)
            asin = reader.asin(spot.get("asin"), spot_place.child("asin"), "hotspots")
            if asin and asin in seen:
                reader.error("hotspots", "duplicate_asin", f"{asin} already has a hot-spot.",
                             spot_place.child("asin"))
                continue
            if asin:
                seen.add(asin)
                cleaned.append({**point, "asin": asin})
        return {
            "asset": reader.asset("asset", required=True),
            "alt": reader.alt(),
            "hotspots": cleaned,
            "hide_out_of_stock": reader.boolean("hide_out_of_stock"),
        }

    def collapses_when_empty(self, config: dict) -> bool:
        return False  # the image itself is still worth showing

    def curated_asins(self, config: dict) -> list[str]:
        return [spot["asin"] for spot in config.get("hotspots") or []]

    def asset_ids(self, config: dict) -> list[int]:
        return [config["asset"]] if config.get("asset") else []

    def choose(self, config: dict, catalog: PageCatalog) -> Choice:
        return Choice(catalog.ids_for_asins(self.curated_asins(config)))

    def context(self, config: dict, catalog: PageCatalog) -> dict:
        asset = catalog.assets.get(config.get("asset"))
        return {"asset": asset, "empty": asset is None}

    def item_context(self, config: dict, product_id: int, catalog: PageCatalog) -> dict:
        """Where the hot-spot of this product sits on the image."""
        product = catalog.products[product_id]
        for spot in config.get("hotspots") or []:
            if spot["asin"] == product.asin:
                return {"x": spot["x"], "y": spot["y"], "x_step": step(spot["x"]),
                        "y_step": step(spot["y"])}
        return {"x": 0, "y": 0, "x_step": 0, "y_step": 0}


def step(value: float) -> int:
    """Positions go through CSS classes in steps of 2 % (the CSP allows no inline style)."""
    return min(100, max(0, int(round(value / 2)) * 2))
