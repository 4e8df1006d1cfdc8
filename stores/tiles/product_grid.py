"""Product grid: a curated list of products (manual) or a rule (automated)."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from stores import content_policy as policy

from .base import PRODUCT_LIST, Choice, OutOfStock, TileType
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
# Automatic tiles keep this many candidates beyond their limit, so that live stock can
# skip out-of-stock ones at request time without another query.
CANDIDATE_EXTRA = 150
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

    def choose(self, config: dict, catalog: PageCatalog) -> Choice:
        if not self.is_automated(config):
            return Choice(catalog.ids_for_asins(self.curated_asins(config)))
        rule = config.get("rule") or {}
        products = catalog.brand_products()
        if rule.get("category"):
            products = [p for p in products if p.category_slug == rule["category"]]
        if rule.get("keyword"):
            needle = rule["keyword"].casefold()
            products = [p for p in products if needle in p.search_text]
        products = sort_products(products, config.get("sort", "best_selling"))
        limit = config.get("limit", 12)
        return Choice([p.id for p in products[: limit + CANDIDATE_EXTRA]], limit=limit)


def sort_products(products: list, sort: str) -> list:
    keys = {
        "best_selling": lambda p: (-p.units_sold_30d, -p.rating, p.asin),
        "rating": lambda p: (-p.rating, -p.review_count, p.asin),
        "price_low": lambda p: (p.price, p.asin),
        "price_high": lambda p: (-p.price, p.asin),
        "newest": lambda p: (-p.created_ts, p.asin),
    }
    return sorted(products, key=keys[sort])
