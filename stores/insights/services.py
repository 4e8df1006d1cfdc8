"""Insights writes: ingesting captured views into the rollups, orders, pruning.

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
- Views are folded into VisitorDay and DailyStat in the transaction that stores them, and
  each order in the transaction that marks it attributed, under one lock: every event
  counts exactly once, and nothing ever re-reads the raw events to build a dashboard.
"""
from __future__ import annotations

import json
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from catalog.models import Product
from config.api import DomainError
from outbox.services import outbox_enqueue
from stores.models import Store

from .classify import INTERNAL
from .models import DailyStat, Order, PageView, RollupLock, VisitorDay
from .selectors import store_day
from .transport import REDIS_KEY, parse_record

logger = logging.getLogger(__name__)

ATTRIBUTION_DAYS = 14
ROLLUP_BATCH = 5000
MAX_SOURCES_PER_VISITOR_DAY = 10


def page_views_ingest(*, records: list[tuple]) -> int:
    """Store captured records (store_id, page_key, visitor_id, device_hash, source,
    timestamp) and fold them into the rollups at once, in transactions of ROLLUP_BATCH
    under the rollup lock: no raw event is ever read back. Records of Stores that no
    longer exist are dropped. Returns the number of views stored."""
    records = sorted(records, key=lambda r: r[5])  # oldest first: visits are runs in time
    written = 0
    for start in range(0, len(records), ROLLUP_BATCH):
        chunk = records[start:start + ROLLUP_BATCH]
        with transaction.atomic():
            _lock()
            live = set(Store.objects.filter(pk__in={r[0] for r in chunk})
                       .values_list("pk", flat=True))
            events = [Event(store_id, str(page_key), visitor_id, device_hash, source,
                            datetime.fromtimestamp(ts, tz=UTC))
                      for store_id, page_key, visitor_id, device_hash, source, ts in chunk
                      if store_id in live]
            if not events:
                continue
            sources = _events_fold(events)
            _rows_insert(PageView, ["store", "page_key", "visitor_id", "device_hash",
                                    "source", "viewed_at"],
                         [(e.store_id, e.page_key, e.visitor_id, e.device_hash, source,
                           e.viewed_at) for e, source in zip(events, sources, strict=True)])
        written += len(events)
    return written


def redis_events_drain(*, max_events: int = 50_000) -> int:
    """Move page views pushed to Redis into the database and the rollups (at-least-once:
    the list is trimmed only after the rows are committed). Returns the events moved."""
    if not settings.REDIS_URL:
        return 0
    from .transport import _redis

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
            page_views_ingest(records=[parse_record(item) for item in raw])
            client.ltrim(REDIS_KEY, len(raw), -1)
            moved += len(raw)
    finally:
        lock.release()
    return moved


def orders_attribute(*, batch_size: int = ROLLUP_BATCH) -> int:
    """Attribute every pending order and add it to the rollups, a batch per transaction
    under the rollup lock; running it twice adds nothing. Returns the orders processed."""
    orders = 0
    while True:
        done = _orders_attribute_batch(batch_size)
        orders += done
        if done < batch_size:
            return orders


def _lock() -> None:
    """Serialise the writers of the rollups. SQLite already does: its write transactions
    are IMMEDIATE (settings). PostgreSQL locks the one RollupLock row."""
    if connection.vendor != "sqlite":
        RollupLock.objects.select_for_update().get_or_create(pk=1)


def _utc_day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


STAT_FIELDS = ["visitors", "views", "page_visitors", "visits", "orders", "units", "sales"]
VISITORS, VIEWS, PAGE_VISITORS, VISITS, ORDERS, UNITS, SALES = range(len(STAT_FIELDS))


def _stat(stats: dict, store_id: int, day: date, dimension: str, key: str) -> list:
    """The deltas of one DailyStat row (a list in STAT_FIELDS order: the fold adds to
    thousands of them per batch, so they are plain lists)."""
    row = stats.get((store_id, day, dimension, key))
    if row is None:
        row = stats[(store_id, day, dimension, key)] = [0, 0, 0, 0, 0, 0, 0]
    return row


def _stats_add(stats: dict) -> None:
    """Add the deltas to DailyStat rows, creating the missing ones: one additive
    INSERT … ON CONFLICT DO UPDATE per row, so no row is read first."""
    table = DailyStat._meta.db_table
    _rows_insert(
        DailyStat, ["store", "day", "dimension", "key", *STAT_FIELDS],
        [(*key, *deltas) for key, deltas in stats.items()],
        conflict=["store", "day", "dimension", "key"],
        updates={f: f"{_q(table)}.{_q(f)} + EXCLUDED.{_q(f)}" for f in STAT_FIELDS},
    )


def _marks(values: list) -> str:
    return ", ".join(["%s"] * len(values))


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _rows_insert(model, fields: list[str], rows: list[tuple], *,
                 conflict: list[str] | None = None, updates: dict[str, str] | None = None,
                 ) -> None:
    """One executemany INSERT of plain tuples (optionally ON CONFLICT … DO UPDATE SET,
    `updates` mapping column to SQL): the fold writes thousands of rows per batch, and
    model instances would cost more than the fold itself."""
    if not rows:
        return
    columns, placeholders, adapters = _columns(model, fields)
    # Only quoted names from the model's own metadata go into the text; values are bound.
    sql = (f"INSERT INTO {_q(model._meta.db_table)} ({', '.join(columns)}) "  # noqa: S608
           f"VALUES ({', '.join(placeholders)})")
    if conflict:
        targets = ", ".join(_q(model._meta.get_field(name).column) for name in conflict)
        sets = ", ".join(f"{_q(column)} = {expr}" for column, expr in updates.items())
        sql += f" ON CONFLICT ({targets}) DO UPDATE SET {sets}"
    with connection.cursor() as cursor:
        cursor.executemany(sql, _adapted(rows, adapters))


def _rows_update(model, fields: list[str], rows: list[tuple]) -> None:
    """One executemany UPDATE … WHERE pk of plain tuples (the fields' values, then pk)."""
    if not rows:
        return
    columns, placeholders, adapters = _columns(model, fields)
    sets = ", ".join(f"{c} = {p}" for c, p in zip(columns, placeholders, strict=True))
    sql = (f"UPDATE {_q(model._meta.db_table)} SET {sets} "  # noqa: S608
           f"WHERE {_q(model._meta.pk.column)} = %s")
    with connection.cursor() as cursor:
        cursor.executemany(sql, _adapted(rows, [*adapters, None]))


def _columns(model, fields: list[str]) -> tuple[list, list, list]:
    """Quoted columns, placeholders and value adapters (as the ORM would adapt) of
    the model's fields."""
    columns, placeholders, adapters = [], [], []
    for name in fields:
        field = model._meta.get_field(name)
        kind = field.get_internal_type()
        columns.append(_q(field.column))
        if kind == "JSONField":
            placeholders.append("CAST(%s AS jsonb)" if connection.vendor == "postgresql"
                                else "%s")
            adapters.append(_json)
        else:
            placeholders.append("%s")
            adapters.append({"DateTimeField": _datetime_adapter(),
                             "DateField": connection.ops.adapt_datefield_value}.get(kind))
    return columns, placeholders, adapters


def _adapted(rows: list[tuple], adapters: list) -> list:
    adapted = [(i, adapt) for i, adapt in enumerate(adapters) if adapt]
    if not adapted:
        return rows
    rows = [list(row) for row in rows]
    for row in rows:
        for i, adapt in adapted:
            row[i] = adapt(row[i])
    return rows


def _json(value) -> str:
    # Lists of strings (VisitorDay pages and sources) by the C string encoder alone.
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return f"[{','.join(map(_json_string, value))}]"
    return json.dumps(value)


_json_string = json.encoder.encode_basestring_ascii


def _sqlite_datetime(value: datetime) -> str:
    # What Django stores on SQLite, naive UTC text, without its per-value checks.
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None).isoformat(" ")


def _datetime_adapter():
    if connection.vendor == "sqlite":
        return _sqlite_datetime
    return connection.ops.adapt_datetimefield_value


class Event(NamedTuple):
    store_id: int
    page_key: str
    visitor_id: str
    device_hash: str
    source: str
    viewed_at: datetime


@dataclass(slots=True)
class VisitorState:
    """One visitor's day in one Store, as the fold reads and writes it."""

    store_id: int
    day: date
    visitor_id: str
    device_hash: str
    pages: list
    sources: list
    last_seen_at: datetime
    last_source: str
    pk: int | None = None  # None until stored


def _visitor_states(events: list[Event]) -> tuple[dict, dict]:
    """The stored visitor-days these events may continue: by visitor id and by device."""
    store_ids = list({e.store_id for e in events})
    days = [connection.ops.adapt_datefield_value(d)
            for d in {store_day(e.store_id, e.viewed_at) for e in events}]
    lookups = [("visitor_id", list({e.visitor_id for e in events}), "")]
    hashes = list({e.device_hash for e in events if e.device_hash})
    if hashes:  # the partial device index needs its condition spelled out
        lookups.append(("device_hash", hashes, " AND device_hash <> ''"))
    by_visitor: dict[tuple, VisitorState] = {}
    by_device: dict[tuple, VisitorState] = {}
    for column, values, condition in lookups:
        # Hand-written and converted here: on the thousands of rows of a batch, the ORM's
        # query building and per-value converters cost more than the query.
        sql = (f"SELECT store_id, day, visitor_id, device_hash, pages, sources, "  # noqa: S608
               f"last_seen_at, last_source, id FROM {_q(VisitorDay._meta.db_table)} "
               f"WHERE store_id IN ({_marks(store_ids)}) AND day IN ({_marks(days)}) "
               f"AND {column} IN ({_marks(values)}){condition}")
        with connection.cursor() as cursor:
            cursor.execute(sql, [*store_ids, *days, *values])
            rows = cursor.fetchall()
        for store_id, day, visitor_id, device_hash, pages, sources, seen, source, pk in rows:
            if isinstance(pages, str):  # SQLite: JSON as text, datetimes naive UTC
                pages, sources = json.loads(pages), json.loads(sources)
            if isinstance(seen, str):
                seen = datetime.fromisoformat(seen)
            if seen.tzinfo is None:
                seen = seen.replace(tzinfo=UTC)
            if isinstance(day, str):
                day = date.fromisoformat(day)
            state = by_visitor.setdefault((store_id, day, visitor_id), VisitorState(
                store_id, day, visitor_id, device_hash, pages, sources, seen, source, pk))
            if state.device_hash:
                by_device.setdefault((state.store_id, state.day, state.device_hash), state)
    return by_visitor, by_device


def _events_fold(events: list[Event]) -> list[str]:
    """Add the events (oldest first) to VisitorDay and DailyStat. Returns each event's
    source as stored: internal navigation resolved to the visitor's source that day."""
    gap = timedelta(minutes=settings.INSIGHTS_VISIT_GAP_MINUTES)
    by_visitor, by_device = _visitor_states(events)
    touched: dict[tuple, VisitorState] = {}
    stats: dict = {}
    sources: list[str] = []
    for event in events:
        day = store_day(event.store_id, event.viewed_at)
        key = (event.store_id, day, event.visitor_id)
        state = by_visitor.get(key)
        if state is None and event.device_hash:
            # No cookie came: the same device earlier that day is the same visitor.
            state = by_device.get((event.store_id, day, event.device_hash))
        new_visitor = state is None
        if new_visitor:
            state = VisitorState(event.store_id, day, event.visitor_id, event.device_hash,
                                 [], [], event.viewed_at, "direct")
            by_visitor[key] = state
        if event.device_hash:
            by_device.setdefault((event.store_id, day, event.device_hash), state)
        source = event.source
        if source == INTERNAL:
            source = "direct" if new_visitor else state.last_source
        elif source not in state.sources and len(state.sources) >= MAX_SOURCES_PER_VISITOR_DAY:
            # One browser cycling through made-up channel tags does not get to create
            # rows without end: it keeps its last source.
            source = state.last_source
        sources.append(source)
        page = event.page_key
        new_visit = int(new_visitor or event.viewed_at - state.last_seen_at > gap)
        new_page = page not in state.pages
        store_id = event.store_id
        row = _stat(stats, store_id, day, "store", "")
        row[VIEWS] += 1
        row[VISITORS] += new_visitor
        row[PAGE_VISITORS] += new_page
        row[VISITS] += new_visit
        page_row = _stat(stats, store_id, day, "page", page)
        page_row[VIEWS] += 1
        page_row[VISITS] += new_visit
        source_row = _stat(stats, store_id, day, "source", source)
        source_row[VIEWS] += 1
        source_row[VISITS] += new_visit
        # page_visitors of a page (source) row = the unique Store pages its daily
        # visitors viewed that day: a visitor's new page adds one to every page and
        # source row the visitor already counts in.
        if new_page:
            for other in state.pages:
                _stat(stats, store_id, day, "page", other)[PAGE_VISITORS] += 1
            for other in state.sources:
                _stat(stats, store_id, day, "source", other)[PAGE_VISITORS] += 1
            state.pages.append(page)
            page_row[VISITORS] += 1
            page_row[PAGE_VISITORS] += len(state.pages)
        if source not in state.sources:
            state.sources.append(source)
            source_row[VISITORS] += 1
            source_row[PAGE_VISITORS] += len(state.pages)
        if event.viewed_at > state.last_seen_at:
            state.last_seen_at = event.viewed_at
        state.last_source = source
        touched[(state.store_id, state.day, state.visitor_id)] = state

    _stats_add(stats)
    # New visitor-days are inserted, known ones updated by primary key: both happen under
    # the rollup lock, so no other writer can have inserted the same visitor-day meanwhile.
    _rows_insert(
        VisitorDay, ["store", "day", "visitor_id", "device_hash", "pages", "sources",
                     "last_seen_at", "last_source"],
        [(s.store_id, s.day, s.visitor_id, s.device_hash, s.pages, s.sources,
          s.last_seen_at, s.last_source) for s in touched.values() if s.pk is None])
    _rows_update(
        VisitorDay, ["pages", "sources", "last_seen_at", "last_source"],
        [(s.pages, s.sources, s.last_seen_at, s.last_source, s.pk)
         for s in touched.values() if s.pk is not None])
    return sources


def last_view_before(*, visitor_id: str, store_ids, at: datetime) -> PageView | None:
    """The visitor's latest counted view of one of these Stores at or before `at`, if it
    is within the attribution window (at most 14 calendar days before `at`'s day)."""
    earliest = datetime.combine(_utc_day(at) - timedelta(days=ATTRIBUTION_DAYS),
                                datetime.min.time(), tzinfo=UTC)
    return (
        PageView.objects.filter(visitor_id=visitor_id, store_id__in=store_ids,
                                viewed_at__lte=at, viewed_at__gte=earliest)
        .order_by("-viewed_at", "-id")
        .first()
    )


def _orders_attribute_batch(batch_size: int) -> int:
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
            day = store_day(view.store_id, order.ordered_at)
            for dimension, key in (("store", ""), ("page", view.page_key),
                                   ("source", view.source)):
                row = _stat(stats, view.store_id, day, dimension, key)
                row[ORDERS] += 1
                row[UNITS] += order.units
                row[SALES] += order.amount
        _stats_add(stats)
        Order.objects.bulk_update(orders, ["status", "store", "page_key", "source",
                                           "last_visit_at"], batch_size=500)
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
            outbox_enqueue(task="insights.rollup")
    return OrdersResult(received=len(items), created=len(rows),
                        duplicates=len(items) - len(rows))


def raw_events_prune(*, now: datetime | None = None) -> int:
    """Delete raw page views and visitor-day state older than INSIGHTS_RAW_RETENTION_DAYS
    (at least 15 days, the attribution window). Returns the number of views deleted."""
    now = now or timezone.now()
    # Attribution reads the views of the 14 days before an order: never prune those.
    days = max(settings.INSIGHTS_RAW_RETENTION_DAYS, ATTRIBUTION_DAYS + 1)
    cutoff = now - timedelta(days=days)
    deleted = 0
    # Store by Store, so that both deletes use the (store, time) indexes.
    for store_id in Store.objects.values_list("pk", flat=True):
        deleted += PageView.objects.filter(store_id=store_id, viewed_at__lt=cutoff).delete()[0]
        VisitorDay.objects.filter(store_id=store_id, day__lt=_utc_day(cutoff)).delete()
    return deleted
