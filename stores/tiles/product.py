"""Full-width product tile: one curated product with its details."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .base import TileType
from .fields import BooleanField, ChoiceField, ProductField


class ProductTile(TileType):
    name = "product"
    label = _("Product")
    description = _("One product, full width, with its image, details, price and rating.")
    shows_products = True
    large_image = True
    item_template = "stores/cards/product_details.html"
    fields = (
        ProductField("asin", label=_("Product"), required=True),
        ChoiceField("layout", label=_("Layout"),
                    choices=(("product_details", _("Product details")),)),
        BooleanField("hide_out_of_stock", label=_("Hide the product while it is out of stock")),
    )
