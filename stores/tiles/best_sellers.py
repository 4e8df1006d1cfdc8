"""Best sellers: the brand's products by units sold in the last 30 days."""
from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from .base import CandidateQuery, Choice, ConfigReader, TileType, heading_field, limit_field
from .product_grid import CANDIDATE_EXTRA

if TYPE_CHECKING:
    from stores.rendering import PageCatalog


class BestSellers(TileType):
    name = "best_sellers"
    label = "Best sellers"
    description = "The brand's top sellers of the last 30 days, in stock."
    shows_products = True
    automatic = True

    def default_config(self) -> dict:
        return {"limit": 8, "title": "Best sellers"}

    def clean(self, reader: ConfigReader) -> dict:
        return {"title": heading_field(reader), "limit": limit_field(reader)}

    def candidate_queries(self, config: dict, *, page_products: int) -> list[CandidateQuery]:
        return [CandidateQuery(Q(is_active=True, units_sold_30d__gt=0),
                               ("-units_sold_30d", "-rating", "asin"),
                               config.get("limit", 8) + CANDIDATE_EXTRA)]

    def choose(self, config: dict, catalog: PageCatalog) -> Choice:
        selling = catalog.candidates(self, config)
        selling.sort(key=lambda p: (-p.units_sold_30d, -p.rating, p.asin))
        limit = config.get("limit", 8)
        return Choice([p.id for p in selling[: limit + CANDIDATE_EXTRA]], limit=limit)
