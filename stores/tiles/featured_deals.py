"""Featured deals: the brand's active deals, soonest-ending first."""
from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from .base import PRODUCT_LIST, Choice, TileType
from .fields import heading_field, limit_field
from .product_grid import CANDIDATE_EXTRA

if TYPE_CHECKING:
    from stores.rendering import PageCatalog


class FeaturedDeals(TileType):
    name = "featured_deals"
    label = _("Featured deals")
    description = _("The brand's deals running right now, with their deal price.")
    shows_products = True
    template = PRODUCT_LIST
    automatic = True
    deals_only = True
    fields = (heading_field(default=_("Deals")), limit_field())

    def choose(self, config: dict, catalog: PageCatalog) -> Choice:
        # Deals that have not started yet are kept too: the request-time pick applies
        # each deal's window (`deals_only`), so a cached page starts showing a deal on time.
        deals = sorted(catalog.deals_current_or_future(), key=lambda d: (d.ends_at, d.product_id))
        ids: list[int] = []
        for deal in deals:
            if deal.product_id not in ids:
                ids.append(deal.product_id)
        limit = config.get("limit", 8)
        return Choice(ids[: limit + CANDIDATE_EXTRA], limit=limit)
