"""Page templates: ready-made pages (sections and tiles) that a new page can start from.

`page_template_instantiate` returns one page of the Store document (see stores.documents)
for a brand. Every key in it is prefixed by the page key, so it cannot clash with the rest
of the document. A template uses only tiles that are valid without an upload — text,
automatic tiles (deals, best sellers, recommendations, rule-based grids) and the brand's
own products, chosen by the advice of the product brief (in stock, selling, well rated) —
plus, when the brand already has uploaded images, its newest image as the hero. So an
instantiated page always passes `validate_store_document`, and the brand then edits it.
"""
from __future__ import annotations

import hashlib
from collections import Counter

from django.utils.html import format_html

from catalog.models import Brand, Product

from . import content_policy as policy
from .models import Asset

BLANK = "blank"
MARQUEE = "marquee"
SHOWCASE = "showcase"
PRODUCT_GRID = "product_grid"

PAGE_TEMPLATES: dict[str, dict[str, str]] = {
    MARQUEE: {
        "label": "Marquee",
        "description": ("A hero banner across the top, then deals, best sellers and a grid "
                        "of your top products: a home page that sells."),
    },
    SHOWCASE: {
        "label": "Showcase",
        "description": ("Tell a story: an image and text side by side, your star products "
                        "in full, and a curated selection."),
    },
    PRODUCT_GRID: {
        "label": "Product grid",
        "description": ("A heading and an automatic grid of your products in one category, "
                        "kept up to date from the catalogue."),
    },
    BLANK: {
        "label": "Blank",
        "description": "An empty page: add sections and tiles yourself.",
    },
}

KEY_MAX = 40


class UnknownPageTemplate(ValueError):
    """The template name is not one of PAGE_TEMPLATES."""


class _Keys:
    """Unique keys under one page: <prefix>-s1, <prefix>-t1, …"""

    def __init__(self, page_key: str):
        # Room for "-t99"; a long page key is shortened with a hash so it stays unique.
        room = KEY_MAX - 4
        if len(page_key) > room:
            digest = hashlib.sha256(page_key.encode()).hexdigest()[:6]
            page_key = f"{page_key[: room - 7]}-{digest}"
        self.prefix = page_key
        self.sections = 0
        self.tiles = 0

    def section(self) -> str:
        self.sections += 1
        return f"{self.prefix}-s{self.sections}"

    def tile(self) -> str:
        self.tiles += 1
        return f"{self.prefix}-t{self.tiles}"


def _top_products(brand: Brand, limit: int) -> list[str]:
    """ASINs of the brand's products worth featuring: in stock, best selling, well rated."""
    ranked = (
        Product.objects.filter(brand=brand, is_active=True, quantity__gt=0)
        .order_by("-units_sold_30d", "-rating", "-review_count", "asin")
        .values_list("asin", flat=True)[:limit]
    )
    return list(ranked)


def _main_category(brand: Brand) -> str | None:
    slugs = Product.objects.filter(brand=brand, is_active=True,
                                   category__isnull=False).values_list("category__slug",
                                                                       flat=True)
    counts = Counter(slugs)
    return counts.most_common(1)[0][0] if counts else None


def _newest_asset(brand: Brand) -> Asset | None:
    return Asset.objects.filter(brand=brand).order_by("-created_at", "-pk").first()


def _tile(keys: _Keys, tile_type: str, config: dict, visibility: str = "all") -> dict:
    return {"key": keys.tile(), "type": tile_type, "visibility": visibility, "config": config}


def _section(keys: _Keys, layout: str, tiles: list[dict]) -> dict:
    return {"key": keys.section(), "layout": layout, "tiles": tiles}


def _text(keys: _Keys, heading: str, body: str, align: str = "start") -> dict:
    return _tile(keys, "text", {"html": str(format_html("<h2>{}</h2><p>{}</p>", heading, body)),
                                "align": align})


def _paragraph(keys: _Keys, body: str) -> dict:
    return _tile(keys, "text", {"html": str(format_html("<p>{}</p>", body)), "align": "start"})


def _hero(keys: _Keys, brand: Brand, title: str) -> dict:
    asset = _newest_asset(brand)
    if asset is not None:
        return _tile(keys, "image", {"asset": asset.pk, "alt": f"{brand.name}: {title}",
                                     "phone_asset": None, "link": None})
    return _text(keys, title, f"Welcome to {brand.name}. Discover our latest products.",
                 align="center")


def _marquee(keys: _Keys, brand: Brand, title: str) -> list[dict]:
    sections = [
        _section(keys, "full", [_hero(keys, brand, title)]),
        _section(keys, "full", [_tile(keys, "featured_deals", {"title": "Deals", "limit": 8})]),
        _section(keys, "full", [_tile(keys, "best_sellers",
                                      {"title": "Best sellers", "limit": 8})]),
    ]
    top = _top_products(brand, 8)
    if top:
        sections.append(_section(keys, "full", [_tile(keys, "product_grid", {
            "mode": "manual", "title": "Our favourites", "asins": top,
            "hide_out_of_stock": False})]))
    else:
        sections.append(_section(keys, "full", [_tile(keys, "product_grid", {
            "mode": "automated", "title": "Our products",
            "rule": {"category": None, "keyword": None}, "sort": "best_selling",
            "limit": 12})]))
    return sections


def _showcase(keys: _Keys, brand: Brand, title: str) -> list[dict]:
    # The page title is already the page's heading: the story gets its own.
    story = _text(keys, "Our story",
                  f"What makes {brand.name} different? Tell shoppers here: where your "
                  "products come from, how they are made, who they are for.")
    asset = _newest_asset(brand)
    if asset is not None:
        intro = _section(keys, "halves", [
            _tile(keys, "image", {"asset": asset.pk, "alt": f"{brand.name}: {title}",
                                  "phone_asset": None, "link": None}),
            story])
    else:
        intro = _section(keys, "full", [story])
    sections = [intro]
    top = _top_products(brand, 6)
    if top:
        sections.append(_section(keys, "halves", [
            _tile(keys, "product", {"asin": asin, "layout": "product_details",
                                    "hide_out_of_stock": False})
            for asin in top[:2]]))
    if top[2:]:
        sections.append(_section(keys, "full", [_tile(keys, "product_grid", {
            "mode": "manual", "title": "The collection", "asins": top[2:],
            "hide_out_of_stock": False})]))
    sections.append(_section(keys, "full", [_tile(keys, "recommended_products",
                                                  {"title": "You may also like",
                                                   "limit": 8})]))
    return sections


def _product_grid(keys: _Keys, brand: Brand, title: str) -> list[dict]:
    category = _main_category(brand)
    return [
        _section(keys, "full", [_paragraph(keys, f"Every {brand.name} favourite in one "
                                                 "place, kept up to date from the catalogue.")]),
        _section(keys, "full", [_tile(keys, "product_grid", {
            "mode": "automated", "title": "",
            "rule": {"category": category, "keyword": None}, "sort": "best_selling",
            "limit": 24})]),
    ]


_BUILDERS = {
    MARQUEE: _marquee,
    SHOWCASE: _showcase,
    PRODUCT_GRID: _product_grid,
    BLANK: lambda keys, brand, title: [],
}


def page_template_instantiate(*, template: str, brand: Brand, page_key: str,
                              parent: str | None, slug: str, title: str) -> dict:
    """A page of the Store document built from `template` for `brand`.

    Section and tile keys are `<page_key>-s<n>` / `<page_key>-t<n>` (a long page key is
    shortened with a hash). Raises UnknownPageTemplate for a name not in PAGE_TEMPLATES.
    Reads the brand's products and newest asset; writes nothing.
    """
    if template not in _BUILDERS:
        raise UnknownPageTemplate(f"Unknown page template {template!r}; the templates are: "
                                  f"{', '.join(PAGE_TEMPLATES)}.")
    title = (title or "").strip()[:policy.PAGE_TITLE_MAX] or PAGE_TEMPLATES[template]["label"]
    keys = _Keys(page_key)
    return {
        "key": page_key,
        "parent": parent,
        "slug": slug if parent is not None else "",
        "title": title,
        "sections": _BUILDERS[template](keys, brand, title),
    }
