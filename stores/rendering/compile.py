"""Compiling a page: everything about it that does not depend on stock, as HTML pieces.

The page around the sections, each section's and tile's opening and closing HTML, and for
every product tile its candidates in order, with the deal windows of each. Product cards
are rendered on first use and kept (per product, deal and stock state), so compiling costs
what the page shows, not what it might show: an automatic tile keeps many candidates for
out-of-stock skipping, and only those ever shown are rendered. `refresh_products`
re-renders nothing itself: it drops the cards of changed products, which the next view
renders again.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from catalog.marketplaces import MarketplaceInfo, marketplace_get
from catalog.money import format_price
from catalog.templatetags.images import fallbacks_shown

from ..documents import iter_tiles
from ..models import Store
from ..selectors import store_alternates
from ..seo import page_seo
from ..theme import theme_asset_ids, theme_look
from ..tiles.base import OutOfStock, TileType
from ..tiles.registry import UnknownTileType, get_tile_type
from .page_data import PageCatalog

ITEMS = "<!--sf:items-->"
BODY = "<!--sf:body-->"

# Counters of work done in this process (tests assert on them, benchmarks report them).
COUNTERS = {"compiles": 0, "cards_rendered": 0, "refills": 0}


@dataclass(slots=True)
class CompiledTile:
    """HTML pieces as UTF-8 bytes: the hot path joins bytes and never encodes."""

    key: str
    open: bytes
    close: bytes
    shows_products: bool = False
    limit: int | None = None
    exclude_shown: bool = False
    collapses: bool = False
    deals_only: bool = False
    # The tile's out-of-stock policy: show such a product without price (True) or hide it.
    shows_unbuyable: bool = False
    # Candidates in order, and for each its deal windows (start, end), lowest price first.
    candidates: list[int] = field(default_factory=list)
    windows: dict[int, tuple[tuple[datetime, datetime], ...]] = field(default_factory=dict)
    # Rendered cards: (product id, deal index or -1, in stock) -> HTML.
    cards: dict[tuple[int, int, bool], bytes] = field(default_factory=dict)
    # What rendering a card needs: the tile's type name, the tile, its image loading flags.
    type_name: str = ""
    tile: dict = field(default_factory=dict)
    images: dict = field(default_factory=dict)
    # The key of its candidate queries (automatic tiles; see PageCatalog.grow).
    spec: str | None = None


@dataclass(slots=True)
class CompiledSection:
    key: str
    open: bytes
    close: bytes
    tiles: list[CompiledTile]


@dataclass(slots=True)
class CompiledPage:
    head: bytes
    tail: bytes
    sections: list[CompiledSection]
    product_ids: list[int]
    data: PageCatalog | None = None
    built_at: float = 0.0
    page_key: str = ""
    # Deal windows open and close at these instants: the assembled page changes then.
    window_edges: tuple[datetime, ...] = ()
    # The brand's catalog_version this page reflects (live pages only).
    catalog_version: int = 0
    # The last live assembly (see rendering.live).
    memo: tuple | None = None
    # Cards that depend only on the tile type, image loading and the product: rendered
    # once for every tile of the page that shows them.
    shared_cards: dict[tuple, bytes] = field(default_factory=dict)
    # Some HTML shows originals for want of renditions: not to be kept as it is.
    provisional: bool = False

    def product_tiles(self) -> list[CompiledTile]:
        return [t for s in self.sections for t in s.tiles if t.shows_products]

    def card(self, tile: CompiledTile, product_id: int, deal_index: int,
             in_stock: bool) -> bytes:
        """A product's card in this tile, rendered on first use."""
        key = (product_id, deal_index, in_stock)
        html = tile.cards.get(key)
        if html is None:
            tile_type = get_tile_type(tile.type_name)
            own = type(tile_type).item_context is not TileType.item_context
            shared = None if own else (
                tile_type.item_template, tile.images["img_loading"], product_id, deal_index,
                in_stock)
            html = self.shared_cards.get(shared) if shared else None
            if html is None:
                before = fallbacks_shown()
                html = _render_card(tile, self.data, product_id, deal_index, in_stock)
                if fallbacks_shown() != before:
                    # An original shown for want of renditions: right now, not for keeps.
                    self.provisional = True
                    return html
                if shared:
                    self.shared_cards[shared] = html
            tile.cards[key] = html
        return html

    def forget_cards(self, product_ids: set[int]) -> None:
        """Drops the cards of these products (their data changed)."""
        for tile in self.product_tiles():
            tile.cards = {k: html for k, html in tile.cards.items() if k[0] not in product_ids}
        self.shared_cards = {k: html for k, html in self.shared_cards.items()
                             if k[2] not in product_ids}


def _render_card(tile: CompiledTile, data: PageCatalog, product_id: int, deal_index: int,
                 in_stock: bool) -> bytes:
    # Cards are rendered lazily, during a shopper's request: in the Store's language and
    # number format (prices included), never the shopper's browser's.
    with translation.override(data.marketplace.locale.lower()):
        return _render_card_here(tile, data, product_id, deal_index, in_stock)


def _render_card_here(tile: CompiledTile, data: PageCatalog, product_id: int, deal_index: int,
                      in_stock: bool) -> bytes:
    COUNTERS["cards_rendered"] += 1
    tile_type = get_tile_type(tile.type_name)
    config = tile.tile.get("config") or {}
    product = data.products[product_id]
    extra = tile_type.item_context(config, product_id, data)
    deal = data.deals_of(product_id)[deal_index] if deal_index >= 0 else None
    context = {
        "product": product, "tile": tile.tile, **tile.images, **extra, "deal": deal,
        "deal_price_display": format_price(deal.deal_price, product.currency) if deal else "",
        "in_stock": in_stock,
    }
    return render_to_string(tile_type.item_template, context).strip().encode()


def _split(html: str, marker: str) -> tuple[str, str]:
    before, found, after = html.partition(marker)
    if not found:
        raise ValueError(f"template lacks the {marker} slot")
    return before, after


def _page_tiles(page: dict) -> list[tuple[TileType, dict]]:
    tiles: list[tuple[TileType, dict]] = []
    for at in iter_tiles({"pages": [page]}):
        try:
            tiles.append((get_tile_type(at.tile.get("type")), at.tile.get("config") or {}))
        except UnknownTileType:
            continue
    return tiles


def compile_page(*, store: Store, document: dict, page: dict,
                 page_url: Callable[[str], str | None], preview: bool = False,
                 share_url: str = "") -> CompiledPage:
    """Everything about a page that does not depend on stock, as HTML pieces, in the
    language and number format of the Store's marketplace."""
    marketplace = marketplace_get(store.marketplace_id)
    with translation.override(marketplace.locale.lower()):
        return _compile_page(store=store, document=document, page=page, page_url=page_url,
                             preview=preview, share_url=share_url, marketplace=marketplace)


def _compile_page(*, store: Store, document: dict, page: dict,
                  page_url: Callable[[str], str | None], preview: bool,
                  share_url: str, marketplace: MarketplaceInfo) -> CompiledPage:
    COUNTERS["compiles"] += 1
    fallbacks_before = fallbacks_shown()
    now = timezone.now()
    look = theme_look(document)
    catalog = PageCatalog(brand=store.brand, tiles=_page_tiles(page), page_url=page_url, now=now,
                          marketplace=marketplace,
                          extra_assets=theme_asset_ids(document.get("theme")))
    scripts: set[str] = set()
    sections: list[CompiledSection] = []
    hero = _hero_section(page.get("sections", []))
    for index, section in enumerate(page.get("sections", [])):
        compiled_tiles = []
        for tile in section.get("tiles", []):
            try:
                tile_type = get_tile_type(tile.get("type"))
            except UnknownTileType:
                continue  # a type removed since the version was approved: skip, never 500
            compiled = _compile_tile(tile_type, tile, catalog,
                                     hero=index == hero and tile_type.large_image)
            if compiled is not None:
                compiled_tiles.append(compiled)
                if tile_type.script:
                    scripts.add(tile_type.script)
        section_html = render_to_string("stores/section.html", {
            "section": section, "tiles_slot": mark_safe(ITEMS),  # noqa: S308 - our marker
        })
        open_html, close_html = _split(section_html, ITEMS)
        sections.append(CompiledSection(section.get("key", ""), open_html.encode(),
                                        close_html.encode(), compiled_tiles))
    page_html = render_to_string("stores/page.html", {
        "store": store,
        "document": document,
        "page": page,
        "navigation": navigation(document, current_key=page["key"], page_url=page_url),
        "theme": look,
        "logo": catalog.assets.get(look.logo),
        "banner": catalog.assets.get(look.banner) if not page.get("parent") else None,
        "body_slot": mark_safe(BODY),  # noqa: S308 - our marker
        "preview": preview,
        "share": share_links(share_url, f"{page.get('title', '')} – {document.get('name', '')}"),
        "share_url": share_url,
        "tile_scripts": sorted(scripts),
        "seo": page_seo(store=store, document=document, page=page, page_url=page_url,
                        share_url=share_url, preview=preview, assets=catalog.assets),
        "marketplace": marketplace,
        "alternates": [] if preview else store_alternates(store=store, document=document,
                                                          page_key=page.get("key", "")),
    })
    head, tail = _split(page_html, BODY)
    compiled = CompiledPage(head.encode(), tail.encode(), sections, [], catalog,
                            time.monotonic(), page.get("key", ""),
                            provisional=fallbacks_shown() != fallbacks_before)
    _index_products(compiled)
    catalog.page_url = None  # only needed while compiling; keeps the page picklable
    return compiled


def _index_products(page: CompiledPage) -> None:
    """The page's product ids and deal window edges, from its tiles' candidates."""
    data = page.data
    ids: set[int] = set()
    edges: set[datetime] = set()
    for tile in page.product_tiles():
        ids.update(tile.candidates)
        for windows in tile.windows.values():
            for window in windows:
                edges.update(window)
    page.product_ids = sorted(ids)
    page.window_edges = tuple(sorted(edges))
    if data is not None:
        pools = {pk for found in data.candidate_ids.values() for pk in found}
        data.forget(ids | pools | data.page_product_ids)


def choose_products(page: CompiledPage, *, changed: set[int]) -> None:
    """After `page.data` changed: each product tile's candidates chosen again (in Python,
    from the data in memory) and the cards of `changed` products dropped."""
    data = page.data
    for tile in page.product_tiles():
        tile_type = get_tile_type(tile.type_name)
        _fill_candidates(tile, tile_type, tile.tile.get("config") or {}, data)
    if changed:
        page.forget_cards(changed)
    _index_products(page)
    page.memo = None


def refill_short_tiles(page: CompiledPage, shown: dict[int, int]) -> bool:
    """When automatic tiles showed fewer products than their limit (`shown`: id(tile) to
    how many) and their candidates' query was cut short, reads more candidates (one query,
    plus the new products) and chooses again; True when the page changed. Bounded: each
    call doubles the short tiles' candidates up to page_data.CANDIDATES_MAX."""
    data = page.data
    if data is None or not data.cut:
        return False
    short = {tile.spec for tile in page.product_tiles()
             if tile.spec is not None and tile.limit is not None
             and shown.get(id(tile), 0) < tile.limit}
    if not short or not data.grow(short):
        return False
    COUNTERS["refills"] += 1
    data.now = timezone.now()
    data.rechoose()
    choose_products(page, changed=set())
    return True


def _fill_candidates(tile: CompiledTile, tile_type: TileType, config: dict,
                     catalog: PageCatalog) -> None:
    choice = tile_type.choose(config, catalog)
    tile.candidates = [pk for pk in choice.product_ids if pk in catalog.products]
    tile.limit = choice.limit
    tile.exclude_shown = choice.exclude_shown
    tile.windows = {}
    for pk in tile.candidates:
        deals = catalog.deals_of(pk)
        if deals:
            tile.windows[pk] = tuple((d.starts_at, d.ends_at) for d in deals)


def _hero_section(sections: list[dict]) -> int | None:
    """The section whose large images are the first thing a shopper sees: the first one
    holding a large image, when only text (short) comes before it. Its images load at
    once and first; every other image of the page loads lazily."""
    for index, section in enumerate(sections):
        types = []
        for tile in section.get("tiles", []):
            try:
                types.append(get_tile_type(tile.get("type")))
            except UnknownTileType:
                continue
        if any(tile_type.large_image for tile_type in types):
            return index
        if not all(tile_type.keeps_hero for tile_type in types):
            return None  # a grid or a video first: what follows is below the fold
    return None


def _compile_tile(tile_type: TileType, tile: dict, catalog: PageCatalog, *,
                  hero: bool = False) -> CompiledTile | None:
    config = tile.get("config") or {}
    # Above the fold: load now and first (it is the page's largest paint), else lazily.
    images = {"img_loading": "eager" if hero else "lazy", "img_priority": "high" if hero else ""}
    context = {
        "tile": tile,
        "config": config,
        "tile_type": tile_type,
        "items_slot": mark_safe(ITEMS),  # noqa: S308 - our marker
        **images,
        **tile_type.context(config, catalog),
    }
    html = render_to_string(tile_type.template_name, context).strip()
    if not html:
        return None  # e.g. an image whose asset is gone: nothing to show
    if not tile_type.shows_products:
        return CompiledTile(tile.get("key", ""), html.encode(), b"")
    open_html, close_html = _split(html, ITEMS)
    compiled = CompiledTile(
        tile.get("key", ""), open_html.encode(), close_html.encode(), shows_products=True,
        collapses=tile_type.collapses_when_empty(config), deals_only=tile_type.deals_only,
        shows_unbuyable=tile_type.out_of_stock_policy(config) is OutOfStock.SHOW_UNBUYABLE,
        type_name=tile_type.name, tile=tile, images=images,
        spec=catalog.spec_of(tile_type, config),
    )
    _fill_candidates(compiled, tile_type, config, catalog)
    return compiled


def navigation(document: dict, *, current_key: str,
               page_url: Callable[[str], str | None]) -> dict:
    """The menu from the page tree: `primary` is the home page and its sub-pages;
    `secondary` the sub-pages of the current top-level page (the third level)."""
    pages = document.get("pages", [])
    by_key = {p.get("key"): p for p in pages}
    children: dict[str | None, list[dict]] = {}
    for page in pages:
        children.setdefault(page.get("parent"), []).append(page)
    home = next(iter(children.get(None, [])), None)
    if home is None:
        return {"home_url": "", "primary": [], "secondary": []}
    trail = []  # the current page and its ancestors
    cursor = by_key.get(current_key)
    while cursor is not None and len(trail) < 4:
        trail.append(cursor["key"])
        cursor = by_key.get(cursor.get("parent"))

    def item(page: dict) -> dict:
        return {"key": page["key"], "title": page.get("title", ""),
                "url": page_url(page["key"]), "current": page["key"] == current_key,
                # The home page is everyone's ancestor: marked only when it is the page.
                "in_trail": page["key"] in trail and page["key"] != home["key"]}

    level2 = children.get(home["key"], [])
    primary = [item(home)] + [item(p) for p in level2]
    top = next((p for p in level2 if p["key"] in trail), None)
    secondary = []
    if top is not None and children.get(top["key"]):
        secondary = [item(top)] + [item(p) for p in children[top["key"]]]
    return {
        "home_url": page_url(home["key"]),
        "primary": primary,
        "secondary": secondary,
        "secondary_label": _("%(title)s pages") % {"title": top.get("title", "")} if top else "",
    }


def share_links(url: str, title: str) -> list[dict]:
    """Plain links to share the page: no third-party scripts, no tracking pixels."""
    if not url:
        return []
    from urllib.parse import quote

    u, t = quote(url, safe=""), quote(title, safe="")
    return [
        {"name": "Facebook", "slug": "facebook",
         "href": f"https://www.facebook.com/sharer/sharer.php?u={u}"},
        {"name": "X", "slug": "x", "href": f"https://twitter.com/intent/tweet?url={u}&text={t}"},
        {"name": "Pinterest", "slug": "pinterest",
         "href": f"https://www.pinterest.com/pin/create/button/?url={u}&description={t}"},
        {"name": _("Email"), "slug": "email", "href": f"mailto:?subject={t}&body={u}"},
    ]
