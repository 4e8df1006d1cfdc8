"""Best sellers: the brand's products by units sold in the last 30 days."""
from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from .base import PRODUCT_LIST, Choice, TileType
from .fields import heading_field, limit_field
from .product_grid import CANDIDATE_EXTRA

if TYPE_CHECKING:
    from stores.rendering import PageCatalog


class BestSellers(TileType):
    name = "best_sellers"
    label = _("Best sellers")
    description = _("The brand's top sellers of the last 30 days, in stock.")
    shows_products = True
    template = PRODUCT_LIST
    automatic = True
    fields = (heading_field(default=_("Best sellers")), limit_field())

    def choose(self, config: dict, catalog: PageCatalog) -> Choice:
        selling = [p for p in catalog.brand_products() if p.units_sold_30d > 0]
        selling.sort(key=lambda p: (-p.units_sold_30d, -p.rating, p.asin))
        limit = config.get("limit", 8)
        return Choice([p.id for p in selling[: limit + CANDIDATE_EXTRA]], limit=limit)
