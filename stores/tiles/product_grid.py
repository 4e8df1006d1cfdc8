"""Product grid: a curated list of products (manual) or a rule (automated)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from .base import (
    KEYWORD_RE,
    MAX_PRODUCTS,
    CandidateQuery,
    Choice,
    ConfigReader,
    OutOfStock,
    TileType,
    heading_field,
    limit_field,
)

if TYPE_CHECKING:
    from stores.rendering import PageCatalog

SORTS = ("best_selling", "rating", "price_low", "price_high", "newest")
# Automatic tiles keep this many candidates beyond their limit, so that live stock can
# skip out-of-stock ones at request time without another query.
CANDIDATE_EXTRA = 150


class ProductGrid(TileType):
    name = "product_grid"
    label = "Product grid"
    description = ("A grid of products: pick them yourself, or let a rule (whole brand, a "
                   "category or a keyword) choose and sort them.")
    shows_products = True

    def default_config(self) -> dict:
        return {"mode": "manual", "asins": [], "hide_out_of_stock": False, "title": ""}

    def is_automated(self, config: dict) -> bool:
        return config.get("mode") == "automated"

    def chooses_from_brand(self, config: dict) -> bool:
        return self.is_automated(config)

    def out_of_stock_policy(self, config: dict) -> OutOfStock | None:
        if self.is_automated(config):
            return OutOfStock.HIDE
        return super().out_of_stock_policy(config)

    def clean(self, reader: ConfigReader) -> dict:
        mode = reader.choice("mode", ("manual", "automated"), "manual")
        title = heading_field(reader)
        if mode == "manual":
            asins = reader.config.get("asins")
            place = reader.place.child("asins")
            cleaned: list[str] = []
            if not isinstance(asins, list) or not asins:
                reader.error("asins", "required", "Pick at least one product.")
            elif len(asins) > MAX_PRODUCTS:
                reader.error("asins", "too_many", f"A grid holds at most {MAX_PRODUCTS} products.")
            else:
                for index, value in enumerate(asins):
                    asin = reader.asin(value, place.child(f"[{index}]"), "asins")
                    if asin is None:
                        continue
                    if asin in cleaned:
                        reader.error("asins", "duplicate_asin",
                                     f"{asin} is already in this grid.", place.child(f"[{index}]"))
                        continue
                    cleaned.append(asin)
            return {"mode": "manual", "title": title, "asins": cleaned,
                    "hide_out_of_stock": reader.boolean("hide_out_of_stock")}
        rule = reader.config.get("rule") or {}
        rule_place = reader.place.child("rule")
        category = keyword = None
        if not isinstance(rule, dict):
            reader.error("rule", "invalid_rule", "rule must be an object.")
            rule = {}
        if rule.get("category") not in (None, ""):
            category = rule["category"]
            if not isinstance(category, str):
                reader.error("rule", "invalid_category", "category must be a category slug.",
                             rule_place.child("category"))
                category = None
            else:
                reader.checker.references.append(
                    _category_reference(category, rule_place.child("category")))
        if rule.get("keyword") not in (None, ""):
            keyword = rule["keyword"]
            if not isinstance(keyword, str) or not KEYWORD_RE.match(keyword.strip()):
                reader.error("rule", "invalid_keyword",
                             "keyword is 1 to 60 letters, digits, spaces or - ' & .",
                             rule_place.child("keyword"))
                keyword = None
            else:
                keyword = keyword.strip()
        return {
            "mode": "automated",
            "title": title,
            "rule": {"category": category, "keyword": keyword},
            "sort": reader.choice("sort", SORTS, "best_selling"),
            "limit": limit_field(reader, default=12),
        }

    def curated_asins(self, config: dict) -> list[str]:
        return list(config.get("asins") or []) if not self.is_automated(config) else []

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
            return Choice(catalog.ids_for_asins(config.get("asins") or []))
        # The rule (category, keyword) was applied by the candidates' query.
        products = sort_products(catalog.candidates(self, config),
                                 config.get("sort", "best_selling"))
        limit = config.get("limit", 12)
        return Choice([p.id for p in products[: limit + CANDIDATE_EXTRA]], limit=limit)


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


def _category_reference(slug: str, place):
    from .base import Reference

    return Reference("category", slug, place, "rule")
