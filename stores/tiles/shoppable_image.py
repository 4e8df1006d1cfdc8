"""Shoppable image: a brand image with hot-spots that point at products."""
from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from .base import TileType
from .fields import AltTextField, BooleanField, HotspotsField, ImageField

if TYPE_CHECKING:
    from stores.rendering import PageCatalog

MAX_HOTSPOTS = 20


class ShoppableImage(TileType):
    name = "shoppable_image"
    label = _("Shoppable image")
    description = _("An image with hot-spots on products. Out-of-stock products keep their "
                    "hot-spot without price (as in a manual grid) unless you hide them.")
    shows_products = True
    large_image = True
    item_template = "stores/cards/hotspot.html"
    fields = (
        ImageField("asset", label=_("Image"), required=True, may_be_hero=True),
        AltTextField(),
        HotspotsField("hotspots", label=_("Hot-spots"), required=True, max_items=MAX_HOTSPOTS,
                      help=_("Each hot-spot sits at x, y (percent of the image's width and "
                             "height) and points at a product.")),
        BooleanField("hide_out_of_stock", label=_("Hide products that are out of stock")),
    )

    def collapses_when_empty(self, config: dict) -> bool:
        return False  # the image itself is still worth showing

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
