"""Full-width product tile: one curated product with its details."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .base import Choice, ConfigReader, TileType

if TYPE_CHECKING:
    from stores.rendering import PageCatalog

LAYOUTS = ("product_details",)


class ProductTile(TileType):
    name = "product"
    label = "Product"
    description = "One product, full width, with its image, details, price and rating."
    shows_products = True
    large_image = True
    item_template = "stores/cards/product_details.html"

    def default_config(self) -> dict:
        return {"asin": "", "layout": "product_details", "hide_out_of_stock": False}

    def clean(self, reader: ConfigReader) -> dict:
        value = reader.config.get("asin")
        asin = None
        if not value:
            reader.error("asin", "required", "Pick a product.")
        else:
            asin = reader.asin(value, reader.place.child("asin"), "asin")
        return {
            "asin": asin or "",
            "layout": reader.choice("layout", LAYOUTS, "product_details"),
            "hide_out_of_stock": reader.boolean("hide_out_of_stock"),
        }

    def curated_asins(self, config: dict) -> list[str]:
        return [config["asin"]] if config.get("asin") else []

    def choose(self, config: dict, catalog: PageCatalog) -> Choice:
        return Choice(catalog.ids_for_asins(self.curated_asins(config)))
