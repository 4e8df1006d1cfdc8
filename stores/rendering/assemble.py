"""Assembling a view: stock applied to a compiled page, by each tile's out-of-stock policy.

`pick_tile` is THE place where a tile's out-of-stock policy meets stock: the live page,
previews and the builder's stock hints (stores.selectors.tile_stock_health) all go
through it, so what the builder reports is what shoppers see, deals-only tiles and tiles
that skip products shown elsewhere on the page included.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from catalog.availability import is_buyable
from catalog.selectors import deal_is_running
from catalog.stock import Level, stock_levels

from .compile import CompiledPage, CompiledTile, refill_short_tiles

# How a page may apply stock: live, or as if everything were (not) in stock (previews).
STOCK_MODES = ("live", "all_in_stock", "all_out_of_stock")


@dataclass(slots=True)
class TilePick:
    """What one product tile shows now: its products in order, which of them cannot be
    bought (shown without price), and how many it hid because they cannot be bought."""

    product_ids: list[int] = field(default_factory=list)
    unbuyable: list[int] = field(default_factory=list)
    hidden: int = 0
    cards: list[bytes] = field(default_factory=list)


def running_deal(tile: CompiledTile, product_id: int, now: datetime) -> int:
    """The index of the product's deal running at `now` (lowest price first), or -1."""
    for index, (starts, ends) in enumerate(tile.windows.get(product_id, ())):
        if deal_is_running(starts_at=starts, ends_at=ends, at=now):
            return index
    return -1


def pick_tile(page: CompiledPage, tile: CompiledTile, *, in_stock: set[int], now: datetime,
              shown: set[int], skip: set[int] | None, cards: bool = True) -> TilePick:
    """Applies the tile's choice and out-of-stock policy to stock as it is now.

    In candidate order: a deals-only tile passes over products without a running deal;
    a tile that skips what the page shows elsewhere passes over those (`skip`); a product
    that cannot be bought is shown without price when the tile's policy says so, else
    hidden; the tile stops at its limit. Adds what it shows to `shown`.
    """
    pick = TilePick()
    limit = tile.limit
    for product_id in tile.candidates:
        deal_index = running_deal(tile, product_id, now) if tile.windows else -1
        if tile.deals_only and deal_index < 0:
            continue
        if skip is not None and product_id in skip:
            continue
        buyable = product_id in in_stock
        if not buyable:
            if not tile.shows_unbuyable:
                pick.hidden += 1
                continue
            pick.unbuyable.append(product_id)
        pick.product_ids.append(product_id)
        if cards:
            pick.cards.append(page.card(tile, product_id, deal_index, buyable))
        shown.add(product_id)
        if limit is not None and len(pick.product_ids) >= limit:
            break
    return pick


def pick_page(page: CompiledPage, *, in_stock: set[int], now: datetime, cards: bool = True,
              more: Callable[[list[int]], set[int]] | None = None) -> dict[int, TilePick]:
    """Every product tile's pick, keyed by id(tile). Tiles that skip products shown
    elsewhere (recommendations) pick last, once the others are known.

    `more` (live stock): when an automatic tile's candidates ran out, more are read
    (`refill_short_tiles`) and `more(new ids)` says which of them can be bought; they are
    added to `in_stock` (a set the caller owns) and the page is picked again.
    """
    while True:
        before = set(page.product_ids)
        picks = _pick_all(page, in_stock=in_stock, now=now, cards=cards)
        if more is None or not refill_short_tiles(
                page, {key: len(pick.product_ids) for key, pick in picks.items()}):
            return picks
        in_stock |= more([pk for pk in page.product_ids if pk not in before])


def _pick_all(page: CompiledPage, *, in_stock: set[int], now: datetime,
              cards: bool) -> dict[int, TilePick]:
    shown: set[int] = set()
    picks: dict[int, TilePick] = {}
    later: list[CompiledTile] = []
    for tile in page.product_tiles():
        if tile.exclude_shown:
            later.append(tile)
            continue
        picks[id(tile)] = pick_tile(page, tile, in_stock=in_stock, now=now, shown=shown,
                                    skip=None, cards=cards)
    for tile in later:
        picks[id(tile)] = pick_tile(page, tile, in_stock=in_stock, now=now, shown=shown,
                                    skip=shown, cards=cards)
    return picks


def buyable_ids(levels: dict[int, Level]) -> set[int]:
    return {pk for pk, (is_active, quantity) in levels.items()
            if is_buyable(is_active=is_active, quantity=quantity)}


def live_buyable(ids: list[int]) -> set[int]:
    """Which of these products can be bought now (straight from the database)."""
    return buyable_ids(stock_levels(ids))


def in_stock_for(page: CompiledPage, stock_mode: str) -> set[int]:
    if stock_mode == "live":
        return live_buyable(page.product_ids)
    if stock_mode == "all_in_stock":
        return set(page.product_ids)
    if stock_mode == "all_out_of_stock":
        return set()
    raise ValueError(f"stock_mode must be one of {STOCK_MODES}")


def assemble(page: CompiledPage, *, stock_mode: str = "live", now: datetime | None = None,
             in_stock: set[int] | None = None,
             more: Callable[[list[int]], set[int]] | None = None) -> bytes:
    """The page's HTML (UTF-8) with stock applied now. Cost: one stock read, joins (and,
    when an automatic tile's candidates ran out, one read of more: see `pick_page`).
    `in_stock` given: the buyable products of the page, which `more` extends."""
    if in_stock is None:
        in_stock = in_stock_for(page, stock_mode)
        if stock_mode == "live":
            more = live_buyable
    picks = pick_page(page, in_stock=in_stock, now=now or timezone.now(), more=more)
    out = [page.head]
    for section in page.sections:
        parts = []
        for tile in section.tiles:
            if not tile.shows_products:
                parts.append(tile.open)
                continue
            cards = picks[id(tile)].cards
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
