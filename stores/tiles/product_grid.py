"""Product grid: a curated list of products (manual) or a rule (automated)."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stores import content_policy as policy

from .base import CANDIDATE_EXTRA, PRODUCT_LIST, CandidateQuery, Choice, OutOfStock, TileType
from .fields import (
    MAX_PRODUCTS,
    BooleanField,
    CategoryField,
    ChoiceField,
    ProductsField,
    TextField,
    heading_field,
    limit_field,
)

if TYPE_CHECKING:
    from stores.rendering import PageCatalog

SORTS = (
    ("best_selling", _("Best selling")),
    ("rating", _("Rating")),
    ("price_low", _("Price: low to high")),
    ("price_high", _("Price: high to low")),
    ("newest", _("Newest")),
)
KEYWORD_RE = re.compile(rf"^[\w\s'&.-]{{1,{policy.KEYWORD_MAX}}}$", re.UNICODE)
MANUAL = {"mode": "manual"}
AUTOMATED = {"mode": "automated"}


class ProductGrid(TileType):
    name = "product_grid"
    label = _("Product grid")
    description = _("A grid of products: pick them yourself, or let a rule (whole brand, a "
                    "category or a keyword) choose and sort them.")
    shows_products = True
    template = PRODUCT_LIST
    fields = (
        ChoiceField("mode", label=_("Products"), choices=(
            ("manual", _("Products I choose")), ("automated", _("Automatic (by a rule)")))),
        heading_field(),
        ProductsField("asins", label=_("Products"), required=True, max_items=MAX_PRODUCTS,
                      show_if=MANUAL),
        BooleanField("hide_out_of_stock", label=_("Hide products that are out of stock"),
                     show_if=MANUAL),
        CategoryField("rule.category", label=_("Category (optional)"), show_if=AUTOMATED),
        TextField("rule.keyword", label=_("Keyword"), max_length=policy.KEYWORD_MAX,
                  public=False, default=None, fallback=None, pattern=KEYWORD_RE,
                  pattern_code="invalid_keyword",
                  pattern_message=_("The keyword is 1 to 60 letters, digits, spaces or "
                                    "- ' & ."),
                  help=_("Products whose title or description holds this word, e.g. tent."),
                  show_if=AUTOMATED),
        ChoiceField("sort", label=_("Order"), choices=SORTS, show_if=AUTOMATED),
        limit_field(default=12, show_if=AUTOMATED),
    )

    def is_automated(self, config: dict) -> bool:
        return config.get("mode") == "automated"

    def chooses_from_brand(self, config: dict) -> bool:
        return self.is_automated(config)

    def out_of_stock_policy(self, config: dict) -> OutOfStock | None:
        if self.is_automated(config):
            return OutOfStock.HIDE
        return super().out_of_stock_policy(config)

    def candidate_queries(self, config: dict, *, page_products: int) -> list[CandidateQuery]:
        if not self.is_automated(config):
            return []
        rule = config.get("rule") or {}
        where = Q(is_active=True)
        if rule.get("category"):
            where &= Q(category__slug=rule["category"])
        if rule.get("keyword"):
            # The title or a bullet point contains the keyword, in any case.
            where &= Q(title__icontains=rule["keyword"]) | Q(
                bullet_points__icontains=rule["keyword"])
        return [CandidateQuery(where, SORT_ORDER[config.get("sort", "best_selling")],
                               config.get("limit", 12) + CANDIDATE_EXTRA)]

    def choose(self, config: dict, catalog: PageCatalog) -> Choice:
        if not self.is_automated(config):
            return Choice(catalog.ids_for_asins(self.curated_asins(config)))
        # The rule (category, keyword) was applied, and the number of candidates bounded,
        # by the candidates' query.
        products = sort_products(catalog.candidates(self, config),
                                 config.get("sort", "best_selling"))
        return Choice([p.id for p in products], limit=config.get("limit", 12))


# The same orders as `sort_products`, for queries (ASINs are unique: the order is total).
SORT_ORDER = {
    "best_selling": ("-units_sold_30d", "-rating", "asin"),
    "rating": ("-rating", "-review_count", "asin"),
    "price_low": ("price", "asin"),
    "price_high": ("-price", "asin"),
    "newest": ("-created_at", "asin"),
}


def sort_products(products: list, sort: str) -> list:
    keys = {
        "best_selling": lambda p: (-p.units_sold_30d, -p.rating, p.asin),
        "rating": lambda p: (-p.rating, -p.review_count, p.asin),
        "price_low": lambda p: (p.price, p.asin),
        "price_high": lambda p: (-p.price, p.asin),
        "newest": lambda p: (-p.created_ts, p.asin),
    }
    return sorted(products, key=keys[sort])
