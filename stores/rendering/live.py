"""The live page: compiled once, refreshed by what changed, assembled only when stock moved.

A view reads its brand's versions first (catalog.stock.brand_versions: one mirror read),
then:

* **compiled form** (process memory, LRU of COMPILED_MAX pages; shared through Redis when
  compiling was expensive): kept while the brand's `catalog_version` stands still. When it
  moved, `refresh` asks which of the brand's products changed since (one indexed query),
  reads those of them the page holds again, chooses the automatic tiles' candidates again
  only when a ranking input changed (or a product the page does not hold changed and the
  page has automatic tiles), and drops the changed products' cards; only those are
  rendered again. More than REFRESH_MAX_CHANGED changes at once: compiled afresh.
* **assembled bytes** (the memo): kept while the brand's `stock_version` stands still and
  no deal window opened or closed. When it moved, the page's products' stock is read again
  (one query); the same buyable set means the same bytes, so they are served again.

Nothing expires on a timer: deal windows are keyed by their edges, and every other input
(the version, product data, stock) is compared by version on every view. What still
expires: the version mirror (catalog.stock.VERSION_TTL, which bounds a bump lost to a
cache outage), shared compiled pages (SHARED_TTL: memory hygiene; a stale one is only a
starting point, refreshed by versions like any other) and Store routes (stores.selectors).
"""
from __future__ import annotations

import bisect
import hashlib
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.utils import timezone

from catalog.models import Product
from catalog.stock import stock_levels

from .assemble import assemble, buyable_ids
from .compile import CompiledPage, choose_products

# A compiled page of ~150 shown cards plus its candidates' data is ~1 MB.
COMPILED_MAX = 128
REFRESH_MAX_CHANGED = 1_000
# Compiled pages that took longer than this are shared with other processes (Redis).
SHARE_MIN_SECONDS = 0.02
SHARED_TTL = 3_600

COUNTERS = {"refreshes": 0, "rechooses": 0, "recompiles": 0, "assembles": 0,
            "memo_hits": 0, "shared_loads": 0, "shared_stores": 0}

_compiled: OrderedDict[tuple, CompiledPage] = OrderedDict()
_compiled_lock = threading.Lock()
_FOREVER = datetime.max.replace(tzinfo=UTC)


def _shared() -> bool:
    return isinstance(caches["default"], RedisCache)


def _shared_key(key: tuple) -> str:
    return "compiled:" + hashlib.sha256(repr(key).encode()).hexdigest()[:32]


def _shared_get(key: tuple) -> CompiledPage | None:
    if not _shared():
        return None
    try:
        blob = cache.get(_shared_key(key))
        page = pickle.loads(blob) if blob else None  # noqa: S301 - our own cache
    except Exception:  # noqa: BLE001 - a cache outage costs a compile, not the page
        return None
    if page is not None:
        COUNTERS["shared_loads"] += 1
    return page


def _shared_put(key: tuple, page: CompiledPage) -> None:
    if not _shared():
        return
    memo, page.memo = page.memo, None
    try:
        cache.set(_shared_key(key), pickle.dumps(page, pickle.HIGHEST_PROTOCOL), SHARED_TTL)
        COUNTERS["shared_stores"] += 1
    except Exception:  # noqa: BLE001, S110 - sharing is an optimisation only
        pass
    finally:
        page.memo = memo


def refresh(page: CompiledPage, *, brand_id: int, catalog_version: int) -> CompiledPage | None:
    """Brings `page` to `catalog_version` (read by the caller before this): re-reads the
    products changed since the page's version; None when so much changed that compiling
    afresh is cheaper."""
    COUNTERS["refreshes"] += 1
    changed = list(Product.objects.filter(brand_id=brand_id,
                                          data_version__gt=page.catalog_version)
                   .order_by().values_list("pk", "asin")[:REFRESH_MAX_CHANGED + 1])
    if len(changed) > REFRESH_MAX_CHANGED:
        return None
    data = page.data
    changed_set = {pk for pk, _ in changed}
    # Curated products the page could not show until now (not priced in its marketplace)
    # are the page's too: read like the ones it holds.
    curated = {pk for pk, asin in changed if data is not None and asin in data.curated}
    if not changed_set and data is not None and catalog_version > page.catalog_version:
        # The version moved but no product row says why: products were deleted (or moved
        # to another brand). Read every held product again and choose again.
        COUNTERS["rechooses"] += 1
        data.now = timezone.now()
        held = set(data.products)
        data.load_products(held)
        if data.has_automatic:
            data.rechoose()
        choose_products(page, changed=held - set(data.products))
    elif changed_set and data is not None:
        data.now = timezone.now()
        held = (changed_set & set(data.products)) | curated
        before = {pk: (data.products[pk].ranking(), tuple(
            (d.deal_price, d.starts_at, d.ends_at) for d in data.deals_of(pk)))
            for pk in held if pk in data.products}
        data.load_products(held)
        after = {pk: (data.products[pk].ranking(), tuple(
            (d.deal_price, d.starts_at, d.ends_at) for d in data.deals_of(pk)))
            for pk in held if pk in data.products}
        ranking_moved = bool(changed_set - held) or before != after
        if data.has_automatic and ranking_moved:
            COUNTERS["rechooses"] += 1
            data.rechoose()
        choose_products(page, changed=changed_set)
    page.catalog_version = max(page.catalog_version, catalog_version)
    return page


def live_page(key: tuple, *, brand_id: int, catalog_version: int,
              build: Callable[[], CompiledPage | None]) -> CompiledPage | None:
    """The compiled page for `key` (version id, page path…) at `catalog_version` (the
    brand's, read before this call): from process memory, else another process's copy,
    else compiled; refreshed when product data of its brand changed since."""
    page = _compiled.get(key)
    fresh = False
    if page is None:
        page = _shared_get(key)
        if page is None:
            started = time.perf_counter()
            page = build()
            if page is None:
                return None
            page.catalog_version = catalog_version
            fresh = time.perf_counter() - started
    if page.catalog_version < catalog_version:
        refreshed = refresh(page, brand_id=brand_id, catalog_version=catalog_version)
        if refreshed is None:
            COUNTERS["recompiles"] += 1
            page = build()
            if page is None:
                return None
            page.catalog_version = catalog_version
        else:
            page = refreshed
    if page.provisional:
        # Its tiles show originals for want of renditions: served now, compiled again
        # on the next view (which makes more renditions).
        return page
    with _compiled_lock:
        _compiled[key] = page
        _compiled.move_to_end(key)
        while len(_compiled) > COMPILED_MAX:
            _compiled.popitem(last=False)
    if fresh and fresh >= SHARE_MIN_SECONDS:
        page.memo = ("share", key)  # shared after its first assembly (cards rendered)
    return page


def assemble_live(page: CompiledPage, *, brand_id: int, stock_version: int) -> tuple[bytes, str]:
    """The page with live stock, and its entity tag. Reuses the last bytes while the
    brand's stock version and the deal windows stand still, and when stock moved but the
    page's buyable products did not. The version is read before the stock it guards, so a
    stock change can only make the memo look older."""
    now = timezone.now()
    memo = page.memo
    share_key = None
    if memo is not None and memo[0] == "share":
        share_key, memo = memo[1], None
    if memo is not None and memo[0] == stock_version and now < memo[1]:
        COUNTERS["memo_hits"] += 1
        return memo[3], memo[4]

    def buyable(ids: list[int]) -> set[int]:
        return buyable_ids(stock_levels(ids, brand_id=brand_id, version=stock_version))

    in_stock = frozenset(buyable(page.product_ids))
    edge = bisect.bisect_right(page.window_edges, now)
    until = page.window_edges[edge] if edge < len(page.window_edges) else _FOREVER
    if memo is not None and memo[2] == in_stock and memo[5] == edge:
        body, etag = memo[3], memo[4]
    else:
        COUNTERS["assembles"] += 1
        page.provisional = False
        grown = set(in_stock)
        body = assemble(page, in_stock=grown, now=now, more=buyable)
        # Short tiles may have read more candidates (and their deals): as they are now.
        in_stock = frozenset(grown)
        edge = bisect.bisect_right(page.window_edges, now)
        until = page.window_edges[edge] if edge < len(page.window_edges) else _FOREVER
        if page.provisional:  # some cards show originals: assembled again next time
            page.provisional = False
            page.memo = None
            digest = hashlib.blake2b(body, digest_size=8)
            return body, f'"{page.catalog_version}-{edge}-p{digest.hexdigest()}"'
        digest = hashlib.blake2b(digest_size=8)
        digest.update(page.head)
        digest.update(repr(sorted(in_stock)).encode())
        etag = f'"{page.catalog_version}-{edge}-{digest.hexdigest()}"'
    page.memo = (stock_version, until, in_stock, body, etag, edge)
    if share_key is not None:
        _shared_put(share_key, page)
    return body, etag


def clear_compiled_pages() -> None:
    """Forgets every compiled page of this process, and the shared copies of them."""
    with _compiled_lock:
        keys = list(_compiled)
        _compiled.clear()
    if keys and _shared():
        try:
            cache.delete_many([_shared_key(key) for key in keys])
        except Exception:  # noqa: BLE001, S110 - an unreachable cache holds nothing to forget
            pass
    for name in COUNTERS:
        COUNTERS[name] = 0


def compiled_page_count() -> int:
    return len(_compiled)
