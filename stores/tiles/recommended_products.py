"""Recommended products: the brand's products most worth featuring.

Ranked by the signals the product brief names: rating, number of reviews, a rich detail
page (several images, bullet points, a description) and a running deal. Products other
tiles of the page already show are skipped; out-of-stock ones are hidden. The choice is
made among the brand's best-rated products, its products on deal and its most reviewed
one (for the reviews scale), as many of each as the tile may need: the whole catalogue
for brands that size, a bounded pool for large ones.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import CANDIDATE_EXTRA, PRODUCT_LIST, CandidateQuery, Choice, TileType
from .fields import heading_field, limit_field

if TYPE_CHECKING:
    from stores.rendering import PageCatalog, ProductInfo


def recommendation_score(product: ProductInfo, *, max_reviews: int, on_deal: bool) -> float:
    """0..1: rating 40 %, reviews 25 % (log scale), detail-page richness 20 %, deal 15 %."""
    rating = float(product.rating) / 5
    reviews = math.log1p(product.review_count) / math.log1p(max_reviews) if max_reviews else 0
    richness = (
        min(product.image_count, 4) / 4 * 0.5
        + min(len(product.bullet_points), 3) / 3 * 0.25
        + (0.25 if product.has_description else 0)
    )
    return 0.40 * rating + 0.25 * reviews + 0.20 * richness + (0.15 if on_deal else 0)


class RecommendedProducts(TileType):
    name = "recommended_products"
    label = _("Recommended products")
    description = _("Products chosen from the brand's catalogue: well rated, well reviewed, "
                    "with rich detail pages and deals; never one the page already shows.")
    shows_products = True
    template = PRODUCT_LIST
    automatic = True
    fields = (heading_field(default=_("Recommended for you")), limit_field())

    def candidate_queries(self, config: dict, *, page_products: int) -> list[CandidateQuery]:
        keep = config.get("limit", 8) + CANDIDATE_EXTRA + page_products
        active = Q(is_active=True)
        return [
            CandidateQuery(active, ("-rating", "-review_count", "asin"), keep),
            CandidateQuery(active, (), keep, deals=True),
            CandidateQuery(active, ("-review_count", "asin"), 1, fixed=True),
        ]

    def choose(self, config: dict, catalog: PageCatalog) -> Choice:
        products = catalog.candidates(self, config)
        on_deal = catalog.product_ids_on_deal_now()
        max_reviews = max((p.review_count for p in products), default=0)
        ranked = sorted(
            products,
            key=lambda p: (-recommendation_score(p, max_reviews=max_reviews,
                                                 on_deal=p.id in on_deal), p.asin),
        )
        # Every candidate is kept (the queries bound them): they cover both out-of-stock
        # products and those shown elsewhere.
        return Choice([p.id for p in ranked], limit=config.get("limit", 8),
                      exclude_shown=True)
