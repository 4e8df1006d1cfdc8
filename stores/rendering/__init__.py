"""Rendering a Store page: compile once, refresh by what changed, apply live stock per view.

Split along its seams:

* `page_data` — the catalogue data a page needs (a selector), a fixed number of queries
  whatever the tile count and the catalogue size;
* `compile` — the page as HTML pieces, cards rendered on first use;
* `assemble` — stock applied by each tile's out-of-stock policy (`pick_tile`, the one
  place that policy meets stock), bytes joined;
* `live` — the shopper page's caches, invalidated by versions scoped to the page's brand
  (see catalog.stock for the design).

This module keeps the public names where callers expect them.
"""
from __future__ import annotations

from collections.abc import Callable

from ..documents import find_page, home_page_key, page_paths
from ..models import Store
from .assemble import STOCK_MODES, TilePick, assemble, pick_page, pick_tile
from .compile import (
    BODY,
    ITEMS,
    CompiledPage,
    CompiledSection,
    CompiledTile,
    compile_page,
    navigation,
    share_links,
)
from .live import (
    COMPILED_MAX,
    assemble_live,
    clear_compiled_pages,
    live_page,
    refresh,
)
from .page_data import DealInfo, PageCatalog, ProductInfo

__all__ = [
    "BODY", "COMPILED_MAX", "ITEMS", "STOCK_MODES", "CompiledPage", "CompiledSection",
    "CompiledTile", "DealInfo", "PageCatalog", "ProductInfo", "TilePick", "assemble",
    "assemble_live", "clear_compiled_pages", "compile_page", "live_page", "live_page_url",
    "navigation", "pick_page", "pick_tile", "public_url", "refresh", "render_store_page",
    "share_links",
]


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
                      page_url: Callable[[str], str | None] | None = None) -> str:
    """The HTML of one page of `document` (a draft or a version) with stock applied,
    compiled afresh (previews; the live page goes through `live_page`).

    stock_mode: "live" (current stock), "all_in_stock" or "all_out_of_stock" (to check
    how the page behaves). Raises LookupError when the page does not exist.
    """
    if stock_mode not in STOCK_MODES:
        raise ValueError(f"stock_mode must be one of {STOCK_MODES}")
    page_key = page_key or home_page_key(document)
    page = find_page(document, key=page_key) if page_key else None
    if page is None:
        raise LookupError(page_key)
    page_url = page_url or live_page_url(store, document)
    compiled = compile_page(store=store, document=document, page=page, page_url=page_url,
                            preview=preview,
                            share_url=public_url(store, document, page_key, preview))
    return assemble(compiled, stock_mode=stock_mode).decode()


def public_url(store: Store, document: dict, page_key: str, preview: bool = False) -> str:
    """The absolute public address of a page (what share buttons share)."""
    if preview:
        return ""  # a preview link is not for the public
    from django.conf import settings

    path = live_page_url(store, document)(page_key) or f"/stores/{store.slug}/"
    return f"{settings.SITE_URL.rstrip('/')}{path}"
