"""Insights writes: storing captured views, the incremental rollup, orders, pruning.

Rules decided here (and documented in README):
- Daily visitors are unique per Store and UTC day; in the page and source breakdowns a
  visitor is unique per page (source) and day. Totals over a range add the daily figures
  (visitor-days), so the days, the totals and the CSV always agree.
- A visit is a run of views of one visitor in one Store with gaps under
  INSIGHTS_VISIT_GAP_MINUTES, within one UTC day; it belongs to its first page and source.
- An order is attributed to the Store of the brand selling its ASIN that the buyer
  (`visitor_id` = the sf_vid cookie) viewed last at or before `ordered_at`, if that last
  view was at most 14 calendar days (UTC) before the order day: day 14 counts, day 15
  does not. Its sales, units and order count go to the order's day, to that last view's
  page and source.
- The rollup is idempotent: each raw event and each order is folded in exactly once,
  under a lock, in the transaction that marks it processed.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from catalog.models import Product
from config.api import DomainError
from stores.models import Store

from .capture import INTERNAL, REDIS_KEY, parse_record
from .models import DailyStat, Order, PageView, RollupLock, VisitorDay

logger = logging.getLogger(__name__)

ATTRIBUTION_DAYS = 14
ROLLUP_BATCH = 5000
MAX_SOURCES_PER_VISITOR_DAY = 10


def page_views_store(*, records: list[tuple]) -> int:
    """Write captured records (store_id, page_key, visitor_id, device_hash, source,
    timestamp) with one bulk_create; records of Stores that no longer exist are dropped."""
    if not records:
        return 0
    store_ids = set(Store.objects.filter(pk__in={r[0] for r in records})
                    .values_list("pk", flat=True))
    rows = [
        PageView(store_id=store_id, page_key=page_key, visitor_id=visitor_id,
                 device_hash=device_hash, source=source,
                 viewed_at=datetime.fromtimestamp(ts, tz=UTC))
        for store_id, page_key, visitor_id, device_hash, source, ts in records
        if store_id in store_ids
    ]
    PageView.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def redis_events_drain(*, max_events: int = 50_000) -> int:
    """Move page views pushed to Redis into the database (at-least-once: the list is
    trimmed only after the rows are committed). Returns the number of events moved."""
    if not settings.REDIS_URL:
        return 0
    from .capture import _redis

    client = _redis()
    lock = client.lock("insights:drain-lock", timeout=300, blocking=False)
    if not lock.acquire(blocking=False):
        return 0
    moved = 0
    try:
        while moved < max_events:
            raw = client.lrange(REDIS_KEY, 0, ROLLUP_BATCH - 1)
            if not raw:
                break
            with transaction.atomic():
                page_views_store(records=[parse_record(item) for item in raw])
            client.ltrim(REDIS_KEY, len(raw), -1)
            moved += len(raw)
    finally:
        lock.release()
    return moved


@dataclass
class Counters:
    visitors: int = 0
    views: int = 0
    page_visitors: int = 0
    visits: int = 0
    orders: int = 0
    units: int = 0
    sales: Decimal = Decimal("0.00")


def rollup_process(*, batch_size: int = ROLLUP_BATCH) -> dict:
    """Fold every pending raw event, then every pending order, into DailyStat.

    Runs under the rollup lock, a batch per transaction; running it twice adds nothing.
    Returns {"events": n, "orders": m}.
    """
    events = orders = 0
    while True:
        done = _rollup_events_batch(batch_size)
        events += done
        if done < batch_size:
            break
    while True:
        done = _rollup_orders_batch(batch_size)
        orders += done
        if done < batch_size:
            break
    return {"events": events, "orders": orders}


def _lock() -> None:
    RollupLock.objects.select_for_update().get_or_create(pk=1)


def _day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def _add(stats: dict, store_id: int, day: date, dimension: str, key: str, **deltas) -> None:
    counters = stats.setdefault((store_id, day, dimension, key), Counters())
    for name, value in deltas.items():
        setattr(counters, name, getattr(counters, name) + value)


def _stats_save(stats: dict) -> None:
    """Add the deltas to DailyStat rows (create the missing ones)."""
    if not stats:
        return
    store_ids = {k[0] for k in stats}
    days = {k[1] for k in stats}
    existing = {
        (row.store_id, row.day, row.dimension, row.key): row
        for row in DailyStat.objects.filter(store_id__in=store_ids, day__in=days)
    }
    fields = ["visitors", "views", "page_visitors", "visits", "orders", "units", "sales"]
    rows = []
    for key, delta in stats.items():
        row = existing.get(key)
        if row is None:
            store_id, day, dimension, slice_key = key
            row = DailyStat(store_id=store_id, day=day, dimension=dimension, key=slice_key)
        for f in fields:
            setattr(row, f, getattr(row, f) + getattr(delta, f))
        rows.append(row)
    # New totals were computed under the rollup lock: one INSERT … ON CONFLICT UPDATE.
    _upsert(DailyStat, rows, ["store", "day", "dimension", "key"], fields)


def _upsert(model, rows: list, unique_fields: list[str], update_fields: list[str]) -> None:
    model.objects.bulk_create(rows, batch_size=500, update_conflicts=True,
                              unique_fields=unique_fields, update_fields=update_fields)


class Event(NamedTuple):
    pk: int
    store_id: int
    page_key: str
    visitor_id: str
    device_hash: str
    source: str
    viewed_at: datetime


def _rollup_events_batch(batch_size: int) -> int:
    gap = timedelta(minutes=settings.INSIGHTS_VISIT_GAP_MINUTES)
    with transaction.atomic():
        _lock()
        # Plain tuples, not model instances: the rollup is CPU-bound on big batches.
        events = [Event(*row) for row in PageView.objects.filter(rolled_up=False)
                  .order_by("viewed_at", "id")
                  .values_list("id", "store_id", "page_key", "visitor_id", "device_hash",
                               "source", "viewed_at")[:batch_size]]
        if not events:
            return 0
        days = {_day(e.viewed_at) for e in events}
        store_ids = {e.store_id for e in events}
        visitor_ids = {e.visitor_id for e in events}
        hashes = {e.device_hash for e in events if e.device_hash}
        known = VisitorDay.objects.filter(store_id__in=store_ids, day__in=days,
                                          visitor_id__in=visitor_ids)
        by_visitor = {(v.store_id, v.day, v.visitor_id): v for v in known}
        by_device: dict[tuple, VisitorDay] = {}
        if hashes:
            for v in VisitorDay.objects.filter(store_id__in=store_ids, day__in=days,
                                               device_hash__in=hashes):
                by_visitor.setdefault((v.store_id, v.day, v.visitor_id), v)
                by_device.setdefault((v.store_id, v.day, v.device_hash), v)
        created: dict[tuple, VisitorDay] = {}
        changed: dict[int, VisitorDay] = {}
        stats: dict = {}
        resolved: dict[str, list[int]] = defaultdict(list)

        for event in events:
            day = _day(event.viewed_at)
            vd = by_visitor.get((event.store_id, day, event.visitor_id))
            if vd is None and event.device_hash:
                # No cookie came: the same device earlier that day is the same visitor.
                vd = by_device.get((event.store_id, day, event.device_hash))
            new_visitor = vd is None
            if new_visitor:
                vd = VisitorDay(store_id=event.store_id, day=day,
                                visitor_id=event.visitor_id, device_hash=event.device_hash,
                                last_seen_at=event.viewed_at, last_source="direct")
                created[(event.store_id, day, event.visitor_id)] = vd
                by_visitor[(event.store_id, day, event.visitor_id)] = vd
            if event.device_hash:
                by_device.setdefault((event.store_id, day, event.device_hash), vd)
            source = event.source
            if source == INTERNAL:
                source = vd.last_source if not new_visitor else "direct"
                resolved[source].append(event.pk)
            elif source not in vd.sources and len(vd.sources) >= MAX_SOURCES_PER_VISITOR_DAY:
                # One browser cycling through made-up channel tags does not get to
                # create rows without end: it keeps its last source.
                source = vd.last_source
                resolved[source].append(event.pk)
            page = event.page_key
            new_visit = new_visitor or event.viewed_at - vd.last_seen_at > gap
            new_page = page not in vd.pages
            new_source = source not in vd.sources
            store_key = (event.store_id, day)
            _add(stats, *store_key, "store", "", views=1, visitors=int(new_visitor),
                 page_visitors=int(new_page), visits=int(new_visit))
            _add(stats, *store_key, "page", page, views=1, visits=int(new_visit))
            _add(stats, *store_key, "source", source, views=1, visits=int(new_visit))
            # page_visitors of a page (source) row = the unique Store pages its daily
            # visitors viewed that day: a visitor's new page adds one to every page and
            # source row the visitor already counts in.
            if new_page:
                for other in vd.pages:
                    _add(stats, *store_key, "page", other, page_visitors=1)
                for other in vd.sources:
                    _add(stats, *store_key, "source", other, page_visitors=1)
                vd.pages = [*vd.pages, page]
                _add(stats, *store_key, "page", page, visitors=1,
                     page_visitors=len(vd.pages))
            if new_source:
                vd.sources = [*vd.sources, source]
                _add(stats, *store_key, "source", source, visitors=1,
                     page_visitors=len(vd.pages))
            vd.last_seen_at = max(vd.last_seen_at, event.viewed_at)
            vd.last_source = source
            if vd.pk:
                changed[vd.pk] = vd

        _stats_save(stats)
        _upsert(VisitorDay, [*created.values(), *changed.values()],
                ["store", "day", "visitor_id"],
                ["pages", "sources", "last_seen_at", "last_source"])
        for source, ids in resolved.items():
            PageView.objects.filter(pk__in=ids).update(source=source)
        PageView.objects.filter(pk__in=[e.pk for e in events]).update(rolled_up=True)
        RollupLock.objects.filter(pk=1).update(processed_at=timezone.now())
    return len(events)


def last_view_before(*, visitor_id: str, store_ids, at: datetime) -> PageView | None:
    """The visitor's latest counted view of one of these Stores at or before `at`, if it
    is within the attribution window (at most 14 calendar days before `at`'s day)."""
    earliest = datetime.combine(_day(at) - timedelta(days=ATTRIBUTION_DAYS),
                                datetime.min.time(), tzinfo=UTC)
    return (
        PageView.objects.filter(visitor_id=visitor_id, store_id__in=store_ids,
                                viewed_at__lte=at, viewed_at__gte=earliest, rolled_up=True)
        .order_by("-viewed_at", "-id")
        .first()
    )


def _rollup_orders_batch(batch_size: int) -> int:
    with transaction.atomic():
        _lock()
        orders = list(Order.objects.filter(status=Order.Status.PENDING)
                      .order_by("id")[:batch_size])
        if not orders:
            return 0
        brand_of = dict(Product.objects.filter(asin__in={o.asin for o in orders})
                        .values_list("asin", "brand_id"))
        stores_of: dict[int, list[int]] = defaultdict(list)
        for store_id, brand_id in Store.objects.filter(
            brand_id__in=set(brand_of.values())
        ).values_list("pk", "brand_id"):
            stores_of[brand_id].append(store_id)
        stats: dict = {}
        for order in orders:
            store_ids = stores_of.get(brand_of.get(order.asin), [])
            view = (last_view_before(visitor_id=order.visitor_id, store_ids=store_ids,
                                     at=order.ordered_at) if store_ids else None)
            if view is None:
                order.status = Order.Status.UNATTRIBUTED
                continue
            order.status = Order.Status.ATTRIBUTED
            order.store_id = view.store_id
            order.page_key = view.page_key
            order.source = view.source
            order.last_visit_at = view.viewed_at
            day = _day(order.ordered_at)
            for dimension, key in (("store", ""), ("page", view.page_key),
                                   ("source", view.source)):
                _add(stats, view.store_id, day, dimension, key, orders=1,
                     units=order.units, sales=order.amount)
        _stats_save(stats)
        _upsert(Order, orders, ["id"], ["status", "store", "page_key", "source",
                                         "last_visit_at"])
    return len(orders)


# --- orders -------------------------------------------------------------------------------

class OrdersInvalid(DomainError):
    code = "invalid_orders"


@dataclass(frozen=True)
class OrdersResult:
    received: int
    created: int
    duplicates: int


def orders_record(*, items: list[dict]) -> OrdersResult:
    """Store validated orders (dicts with visitor_id, asin, units, amount, ordered_at and
    an optional order_id) in one transaction and enqueue their attribution.

    An order_id seen before (or twice in `items`) is skipped, so a re-sent feed adds
    nothing. Raises OrdersInvalid when `items` is empty.
    """
    if not items:
        raise OrdersInvalid("Send at least one order.", details=[])
    from .tasks import rollup as rollup_task

    ids = [item.get("order_id") for item in items if item.get("order_id")]
    with transaction.atomic():
        seen = set(Order.objects.filter(order_id__in=ids).values_list("order_id", flat=True))
        rows = []
        for item in items:
            order_id = item.get("order_id") or None
            if order_id:
                if order_id in seen:
                    continue
                seen.add(order_id)
            rows.append(Order(order_id=order_id, visitor_id=item["visitor_id"],
                              asin=item["asin"], units=item["units"], amount=item["amount"],
                              ordered_at=item["ordered_at"]))
        Order.objects.bulk_create(rows, batch_size=1000)
        if rows:
            transaction.on_commit(rollup_task.delay)
    return OrdersResult(received=len(items), created=len(rows),
                        duplicates=len(items) - len(rows))


def raw_events_prune(*, now: datetime | None = None) -> int:
    """Delete raw page views and visitor-day state older than INSIGHTS_RAW_RETENTION_DAYS
    (at least 15 days; only rolled-up views: a pending one is never lost). Returns the
    number of views deleted."""
    now = now or timezone.now()
    # Attribution reads the views of the 14 days before an order: never prune those.
    days = max(settings.INSIGHTS_RAW_RETENTION_DAYS, ATTRIBUTION_DAYS + 1)
    cutoff = now - timedelta(days=days)
    deleted, _ = PageView.objects.filter(viewed_at__lt=cutoff, rolled_up=True).delete()
    VisitorDay.objects.filter(day__lt=_day(cutoff)).delete()
    return deleted
