"""Recommended products: the brand's products most worth featuring.

Ranked by the signals the product brief names: rating, number of reviews, a rich detail
page (several images, bullet points, a description) and a running deal. Products other
tiles of the page already show are skipped; out-of-stock ones are hidden.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from .base import PRODUCT_LIST, Choice, TileType
from .fields import heading_field, limit_field
from .product_grid import CANDIDATE_EXTRA

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

    def choose(self, config: dict, catalog: PageCatalog) -> Choice:
        products = catalog.brand_products()
        on_deal = catalog.product_ids_on_deal_now()
        max_reviews = max((p.review_count for p in products), default=0)
        ranked = sorted(
            products,
            key=lambda p: (-recommendation_score(p, max_reviews=max_reviews,
                                                 on_deal=p.id in on_deal), p.asin),
        )
        limit = config.get("limit", 8)
        # Extra candidates cover both out-of-stock products and those shown elsewhere.
        keep = limit + CANDIDATE_EXTRA + len(catalog.page_product_ids)
        return Choice([p.id for p in ranked[:keep]], limit=limit, exclude_shown=True)
