"""Best sellers: the brand's products by units sold in the last 30 days."""
from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import CANDIDATE_EXTRA, PRODUCT_LIST, CandidateQuery, Choice, TileType
from .fields import heading_field, limit_field

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

    def candidate_queries(self, config: dict, *, page_products: int) -> list[CandidateQuery]:
        return [CandidateQuery(Q(is_active=True, units_sold_30d__gt=0),
                               ("-units_sold_30d", "-rating", "asin"),
                               config.get("limit", 8) + CANDIDATE_EXTRA)]

    def choose(self, config: dict, catalog: PageCatalog) -> Choice:
        selling = catalog.candidates(self, config)
        selling.sort(key=lambda p: (-p.units_sold_30d, -p.rating, p.asin))
        # As many as the candidates' query read (it bounds them).
        return Choice([p.id for p in selling], limit=config.get("limit", 8))
