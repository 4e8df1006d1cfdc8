"""Rendering a Store page: compile once, apply live stock on every view.

A page is *compiled* from its document into HTML pieces: the page around the sections,
each section's and tile's opening and closing HTML, and for every product a tile may show
its card twice, as it looks in stock and out of stock (or nothing, when the tile hides
out-of-stock products). Automatic tiles keep candidates beyond their limit. Compiling
costs a fixed number of queries, whatever the number of tiles (products, images, deals,
assets of the brand), and its result depends only on the version and on product data,
so the live page keeps it in process memory, keyed by version and product-data token.

Each view then only *assembles*: it reads live stock for the page's products (an
in-memory copy revalidated by one token read, see catalog.stock), picks each tile's cards
by the tile's out-of-stock policy, drops tiles left empty and sections whose tiles all
collapsed, and joins bytes. No template renders on the hot path. The live page also keeps
its last assembly with the stock token it was made under: while that token is unchanged
(no stock write since) and no deal window opened or closed, the same bytes are the right
answer and are served again; the first view after a stock change assembles afresh.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from catalog.models import Brand, Product, ProductImage
from catalog.money import format_price
from catalog.selectors import deal_is_running, deals_not_ended
from catalog.stock import STOCK, product_data_token, stock_levels

from .documents import find_page, home_page_key, page_paths
from .models import Asset, Store
from .seo import page_seo
from .tiles.base import OutOfStock, TileType
from .tiles.registry import UnknownTileType, get_tile_type

STOCK_MODES = ("live", "all_in_stock", "all_out_of_stock")
ITEMS = "<!--sf:items-->"
BODY = "<!--sf:body-->"
# Compiled live pages are rebuilt at least this often, so product data written without
# `product_data_changed` (and deal windows) cannot stay stale for long.
COMPILED_TTL = 300.0
# A compiled page of ~150 cards (both stock variants) plus its last assembly is ~1 MB.
COMPILED_MAX = 128


@dataclass(slots=True)
class ProductInfo:
    """What a card needs of a product, read once per compile."""

    id: int
    asin: str
    title: str
    price: Decimal
    currency: str
    is_prime: bool
    rating: Decimal
    review_count: int
    units_sold_30d: int
    created_ts: float
    category_slug: str | None
    bullet_points: list
    has_description: bool
    is_active: bool
    image: ProductImage | None = None
    image_count: int = 0
    search_text: str = ""

    @property
    def price_display(self) -> str:
        return format_price(self.price, self.currency)

    @property
    def rating_step(self) -> int:
        """Rating rounded to half stars, as 0..50 (CSS classes; no inline style allowed)."""
        return int(round(float(self.rating) * 2)) * 5

    @property
    def url(self) -> str:
        return f"/dp/{self.asin}/"


@dataclass(slots=True)
class DealInfo:
    product_id: int
    deal_price: Decimal
    starts_at: datetime
    ends_at: datetime


class PageCatalog:
    """The catalogue data one page needs, loaded with a fixed number of queries."""

    def __init__(self, *, brand: Brand, tiles: list[tuple[TileType, dict]],
                 page_url: Callable[[str], str | None], now: datetime):
        self.brand = brand
        self.now = now
        self.page_url = page_url
        curated: set[str] = set()
        asset_ids: set[int] = set()
        needs_brand = needs_deals = False
        for tile_type, config in tiles:
            curated.update(tile_type.curated_asins(config))
            asset_ids.update(tile_type.asset_ids(config))
            needs_brand |= tile_type.chooses_from_brand(config)
            # Every product card shows the deal price while a deal runs.
            needs_deals |= tile_type.shows_products
        self.products: dict[int, ProductInfo] = {}
        self.by_asin: dict[str, int] = {}
        if needs_brand or curated:
            query = Product.objects.filter(brand=brand).select_related("category")
            if not needs_brand:
                query = query.filter(asin__in=curated)
            for p in query.only(
                "id", "asin", "title", "price", "currency", "is_prime", "rating",
                "review_count", "units_sold_30d", "created_at", "category__slug",
                "bullet_points", "description", "is_active",
            ):
                bullets = p.bullet_points if isinstance(p.bullet_points, list) else []
                self.products[p.id] = ProductInfo(
                    id=p.id, asin=p.asin, title=p.title, price=p.price, currency=p.currency,
                    is_prime=p.is_prime, rating=p.rating, review_count=p.review_count,
                    units_sold_30d=p.units_sold_30d, created_ts=p.created_at.timestamp(),
                    category_slug=p.category.slug if p.category_id else None,
                    bullet_points=bullets, has_description=bool(p.description.strip()),
                    is_active=p.is_active,
                    search_text=" ".join([p.title, *map(str, bullets)]).casefold(),
                )
                self.by_asin[p.asin] = p.id
            images = ProductImage.objects.filter(product_id__in=list(self.products)) if (
                not needs_brand) else ProductImage.objects.filter(product__brand=brand)
            for image in images.order_by("product_id", "position", "id"):
                info = self.products.get(image.product_id)
                if info is None:
                    continue
                if info.image is None:
                    info.image = image
                info.image_count += 1
        self.deals: list[DealInfo] = []
        self._deals_by_product: dict[int, list[DealInfo]] | None = None
        if needs_deals and self.products:
            # Running and future deals: a compiled page switches prices at their edges.
            self.deals = [
                DealInfo(d.product_id, d.deal_price, d.starts_at, d.ends_at)
                for d in deals_not_ended(brand=brand, at=now, product_ids=None if needs_brand
                                         else list(self.products))
                if d.product_id in self.products
            ]
        self.assets: dict[int, Asset] = (
            {a.pk: a for a in Asset.objects.filter(brand=brand, pk__in=asset_ids)}
            if asset_ids else {}
        )
        self.page_product_ids = {self.by_asin[a] for a in curated if a in self.by_asin}

    def ids_for_asins(self, asins: list[str]) -> list[int]:
        return [self.by_asin[a] for a in asins if a in self.by_asin]

    def brand_products(self) -> list[ProductInfo]:
        """The brand's active products (what automatic tiles choose from)."""
        return [p for p in self.products.values() if p.is_active]

    def deals_current_or_future(self) -> list[DealInfo]:
        return self.deals

    def product_ids_on_deal_now(self) -> set[int]:
        return {d.product_id for d in self.deals
                if deal_is_running(starts_at=d.starts_at, ends_at=d.ends_at, at=self.now)}

    def deals_of(self, product_id: int) -> list[DealInfo]:
        """A product's running and future deals, lowest price first: when two run at
        once, the card shows the lower price (as the product page does)."""
        if self._deals_by_product is None:
            self._deals_by_product = {}
            for deal in sorted(self.deals, key=lambda d: (d.deal_price, d.starts_at)):
                self._deals_by_product.setdefault(deal.product_id, []).append(deal)
        return self._deals_by_product.get(product_id, [])

    def link_href(self, link: dict | None) -> str | None:
        if not link:
            return None
        if link.get("page"):
            return self.page_url(link["page"])
        if link.get("asin"):
            return f"/dp/{link['asin']}/"
        return None


# --- compiled form ------------------------------------------------------------------


@dataclass(slots=True)
class CompiledTile:
    """HTML pieces as UTF-8 bytes: the hot path joins bytes and never encodes."""

    key: str
    open: bytes
    close: bytes
    # (product id, in-stock HTML, out-of-stock HTML, deals): the HTML shown while none of
    # the product's deals runs (None = hidden: out of stock, or a deals-only tile), and
    # `deals` a tuple of (start, end, in-stock HTML, out-of-stock HTML), lowest price
    # first, one of which replaces it while its window is open.
    items: list[tuple] = field(default_factory=list)
    shows_products: bool = False
    limit: int | None = None
    exclude_shown: bool = False
    collapses: bool = False


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
    built_at: float = 0.0
    page_key: str = ""
    # Deal windows open and close at these instants: the assembled page changes then.
    window_edges: tuple[datetime, ...] = ()
    # The last live assembly: (stock token, valid until, bytes). Same stock token and no
    # deal window edge passed since = the same HTML, so it is reused (see assemble_live).
    memo: tuple | None = None


def _split(html: str, marker: str) -> tuple[str, str]:
    before, found, after = html.partition(marker)
    if not found:
        raise ValueError(f"template lacks the {marker} slot")
    return before, after


def compile_page(*, store: Store, document: dict, page: dict,
                 page_url: Callable[[str], str | None], preview: bool = False,
                 share_url: str = "") -> CompiledPage:
    """Everything about a page that does not depend on stock, as HTML pieces."""
    now = timezone.now()
    tiles: list[tuple[TileType, dict]] = []
    for section in page.get("sections", []):
        for tile in section.get("tiles", []):
            try:
                tiles.append((get_tile_type(tile.get("type")), tile.get("config") or {}))
            except UnknownTileType:
                continue
    catalog = PageCatalog(brand=store.brand, tiles=tiles, page_url=page_url, now=now)
    product_ids: set[int] = set()
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
                product_ids.update(item[0] for item in compiled.items)
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
        "accent": (document.get("theme") or {}).get("accent_color", "#0a7d5a").lstrip("#"),
        "body_slot": mark_safe(BODY),  # noqa: S308 - our marker
        "preview": preview,
        "share": share_links(share_url, f"{page.get('title', '')} – {document.get('name', '')}"),
        "share_url": share_url,
        "tile_scripts": sorted(scripts),
        "seo": page_seo(store=store, document=document, page=page, page_url=page_url,
                        share_url=share_url, preview=preview, assets=catalog.assets),
    })
    head, tail = _split(page_html, BODY)
    edges = sorted({edge for section in sections for tile in section.tiles
                    for item in tile.items for deal in item[3] for edge in deal[:2]})
    return CompiledPage(head.encode(), tail.encode(), sections, sorted(product_ids),
                        time.monotonic(), page.get("key", ""), tuple(edges))


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
    choice = tile_type.choose(config, catalog)
    policy = tile_type.out_of_stock_policy(config)
    items = []
    for product_id in choice.product_ids:
        product = catalog.products.get(product_id)
        if product is None:
            continue
        extra = tile_type.item_context(config, product_id, catalog)
        card = {"product": product, "tile": tile, **images, **extra}
        # Every deal not yet over gets its own card, picked at request time while its
        # window is open: a cached page starts and stops showing a deal price on time.
        deals = tuple((deal.starts_at, deal.ends_at,
                       *_render_card(tile_type.item_template, card, policy, deal))
                      for deal in catalog.deals_of(product_id))
        if tile_type.deals_only:
            if deals:
                items.append((product_id, None, None, deals))
        else:
            items.append((product_id,
                          *_render_card(tile_type.item_template, card, policy, None), deals))
    return CompiledTile(
        tile.get("key", ""), open_html.encode(), close_html.encode(), items, shows_products=True,
        limit=choice.limit, exclude_shown=choice.exclude_shown,
        collapses=tile_type.collapses_when_empty(config),
    )


def _render_card(template: str, card: dict, policy: OutOfStock | None,
                 deal: DealInfo | None) -> tuple[bytes, bytes | None]:
    """A product's card in stock and out of stock (None when the tile's out-of-stock
    policy, from the registry, hides it), with `deal`'s price when given."""
    context = {**card, "deal": deal, "deal_price_display": format_price(
        deal.deal_price, card["product"].currency) if deal else ""}
    in_html = render_to_string(template, {**context, "in_stock": True}).strip().encode()
    out_html = (render_to_string(template, {**context, "in_stock": False}).strip().encode()
                if policy is OutOfStock.SHOW_UNBUYABLE else None)
    return in_html, out_html


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
        "secondary_label": f"{top.get('title', '')} pages" if top else "",
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
        {"name": "Email", "slug": "email", "href": f"mailto:?subject={t}&body={u}"},
    ]


# --- assembling a view -------------------------------------------------------------


def _in_stock(level: tuple[bool, int] | None) -> bool:
    return level is not None and level[0] and level[1] > 0


def assemble(page: CompiledPage, *, stock_mode: str = "live",
             now: datetime | None = None) -> bytes:
    """The page's HTML (UTF-8) with stock applied now. Cost: one stock read, joins."""
    if stock_mode == "live":
        levels = stock_levels(page.product_ids)
        in_stock = {pk for pk, level in levels.items() if _in_stock(level)}
    elif stock_mode == "all_in_stock":
        in_stock = set(page.product_ids)
    else:
        in_stock = set()
    now = now or timezone.now()
    shown: set[int] = set()
    chosen: dict[int, list[bytes]] = {}
    later: list[CompiledTile] = []
    for section in page.sections:
        for tile in section.tiles:
            if not tile.shows_products:
                continue
            if tile.exclude_shown:
                later.append(tile)
                continue
            chosen[id(tile)] = _pick(tile, in_stock, now, shown, skip=None)
    for tile in later:
        chosen[id(tile)] = _pick(tile, in_stock, now, shown, skip=shown)
    out = [page.head]
    for section in page.sections:
        parts = []
        for tile in section.tiles:
            if not tile.shows_products:
                parts.append(tile.open)
                continue
            cards = chosen[id(tile)]
            if not cards and tile.collapses:
                continue
            parts.append(tile.open)
            parts.extend(cards)
            parts.append(tile.close)
        if parts:
            out.append(section.open)
            out.extend(parts)
            out.append(section.close)
    out.append(page.tail)
    return b"".join(out)


def assemble_live(page: CompiledPage, stock_token: str | None = None) -> bytes:
    """`assemble` with live stock, reusing the last result while neither stock (its token)
    nor a deal window changed: then the answer is byte-for-byte the same. The token is read
    before the stock it guards, so a stock change can only make the memo look older."""
    token = stock_token or STOCK.value()
    now = timezone.now()
    memo = page.memo
    if memo is not None and memo[0] == token and now < memo[1]:
        return memo[2]
    body = assemble(page, stock_mode="live", now=now)
    until = next((edge for edge in page.window_edges if edge > now), _FOREVER)
    page.memo = (token, until, body)
    return body


_FOREVER = datetime.max.replace(tzinfo=UTC)


def _pick(tile: CompiledTile, in_stock: set[int], now: datetime, shown: set[int],
          skip: set[int] | None) -> list[bytes]:
    cards: list[bytes] = []
    limit = tile.limit
    for product_id, in_html, out_html, deals in tile.items:
        for starts, ends, deal_in, deal_out in deals:
            if deal_is_running(starts_at=starts, ends_at=ends, at=now):
                in_html, out_html = deal_in, deal_out
                break
        if in_html is None:
            continue  # a deals-only tile and none of this product's deals runs now
        if skip is not None and product_id in skip:
            continue
        if product_id in in_stock:
            cards.append(in_html)
        elif out_html is not None:
            cards.append(out_html)
        else:
            continue
        shown.add(product_id)
        if limit is not None and len(cards) >= limit:
            break
    return cards


# --- the live cache ----------------------------------------------------------------

_compiled: OrderedDict[tuple, CompiledPage] = OrderedDict()
_compiled_lock = threading.Lock()


def compiled_live_page(key: tuple, build: Callable[[], CompiledPage | None],
                       data_token: str | None = None) -> CompiledPage | None:
    """The compiled page for `key` (version id, page path…) from process memory, rebuilt
    when product data changed (token) or after COMPILED_TTL seconds. Only the live page
    uses this; previews compile afresh every time."""
    full_key = (*key, data_token or product_data_token())
    page = _compiled.get(full_key)
    if page is not None and time.monotonic() - page.built_at < COMPILED_TTL:
        return page
    page = build()
    if page is None:
        return None
    with _compiled_lock:
        _compiled[full_key] = page
        _compiled.move_to_end(full_key)
        while len(_compiled) > COMPILED_MAX:
            _compiled.popitem(last=False)
    return page


def clear_compiled_pages() -> None:
    with _compiled_lock:
        _compiled.clear()


# --- the contract entry point --------------------------------------------------------


def live_page_url(store: Store, document: dict) -> Callable[[str], str | None]:
    paths = page_paths(document)

    def url(page_key: str) -> str | None:
        path = paths.get(page_key)
        if path is None:
            return None
        return f"/stores/{store.slug}/{path}/" if path else f"/stores/{store.slug}/"

    return url


def render_store_page(request, *, store: Store, document: dict, page_key: str | None,
                      stock_mode: str = "live", preview: bool = False,
                      page_url: Callable[[str], str | None] | None = None,
                      cache_key: tuple | None = None) -> str:
    """The HTML of one page of `document` (a draft or a version) with stock applied.

    stock_mode: "live" (current stock), "all_in_stock" or "all_out_of_stock" (to check
    how the page behaves). With `cache_key` (the live page only) the stock-independent
    part is kept in process memory; previews pass none and are compiled afresh.
    Raises LookupError when the page does not exist.
    """
    if stock_mode not in STOCK_MODES:
        raise ValueError(f"stock_mode must be one of {STOCK_MODES}")
    page_key = page_key or home_page_key(document)
    page = find_page(document, key=page_key) if page_key else None
    if page is None:
        raise LookupError(page_key)
    page_url = page_url or live_page_url(store, document)

    def build() -> CompiledPage:
        return compile_page(store=store, document=document, page=page, page_url=page_url,
                            preview=preview, share_url=public_url(store, document, page_key,
                                                                  preview))

    compiled = compiled_live_page(cache_key, build) if cache_key and not preview else build()
    return assemble(compiled, stock_mode=stock_mode).decode()


def public_url(store: Store, document: dict, page_key: str, preview: bool = False) -> str:
    """The absolute public address of a page (what share buttons share)."""
    if preview:
        return ""  # a preview link is not for the public
    from django.conf import settings

    path = live_page_url(store, document)(page_key) or f"/stores/{store.slug}/"
    return f"{settings.SITE_URL.rstrip('/')}{path}"
