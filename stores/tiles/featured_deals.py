"""Featured deals: the brand's active deals, soonest-ending first."""
from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import CANDIDATE_EXTRA, PRODUCT_LIST, CandidateQuery, Choice, TileType
from .fields import heading_field, limit_field

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

    def candidate_queries(self, config: dict, *, page_products: int) -> list[CandidateQuery]:
        return [CandidateQuery(Q(), (), config.get("limit", 8) + CANDIDATE_EXTRA, deals=True)]

    def choose(self, config: dict, catalog: PageCatalog) -> Choice:
        # Deals that have not started yet are kept too: the request-time pick applies
        # each deal's window (`deals_only`), so a cached page starts showing a deal on time.
        mine = {p.id for p in catalog.candidates(self, config)}
        deals = sorted((d for d in catalog.deals_current_or_future() if d.product_id in mine),
                       key=lambda d: (d.ends_at, d.product_id))
        ids: list[int] = []
        for deal in deals:
            if deal.product_id not in ids:
                ids.append(deal.product_id)
        return Choice(ids, limit=config.get("limit", 8))
