"""Demo insights: six weeks of shopper visits and orders for the demo Stores, rolled up.

Deterministic (seeded random), stored and folded into the rollups by the same ingestion
the real capture uses. Idempotent: a Store that already has demo visits is left alone.
"""
from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from catalog.models import Product
from stores.models import Store

from .classify import INTERNAL
from .models import Order, PageView
from .services import orders_attribute, orders_record, page_views_ingest

DAYS = 42
STORES = {"acme-outdoor": 110, "nordic-home": 50}  # slug -> visitors on an average day
SOURCES = [("direct", 30), ("search", 24), ("social", 12), ("external", 6),
           ("newsletter", 10), ("tags", 18)]
TAGS = ([f"spring-ads-{n}" for n in range(1, 13)]
        + [f"influencer-{name}" for name in ("mia", "jonas", "lea", "tom", "ana", "kai",
                                              "noor", "finn", "ella", "omar")]
        + ["qr-flyer", "podcast", "partner-blog", "email-vip", "retargeting", "tv-spot",
           "giveaway", "catalogue-pdf", "store-card", "affiliate-a", "affiliate-b",
           "summer-preview", "black-friday", "winter-sale"])
WEEKDAY_FACTOR = [1.0, 0.95, 0.95, 1.0, 1.1, 1.35, 1.3]


def _page_keys(store: Store) -> list[str]:
    version = store.published_version
    pages = version.document.get("pages", []) if version else []
    return [p["key"] for p in pages if isinstance(p, dict) and p.get("key")] or ["home"]


def _source(rng: random.Random) -> str:
    kind = rng.choices([s for s, _ in SOURCES], weights=[w for _, w in SOURCES])[0]
    if kind == "tags":
        # A long tail: the first tags are much more common than the last ones.
        return TAGS[min(int(rng.expovariate(1 / 7)), len(TAGS) - 1)]
    return kind


def _seed_store(store: Store, daily: int, rng: random.Random, now: datetime) -> tuple[int, int]:
    pages = _page_keys(store)
    home = pages[0]
    products = list(Product.objects.filter(brand=store.brand, is_active=True)
                    .values_list("asin", "price")[:60])
    pool = [f"demo-{store.slug}-{n:05d}" for n in range(daily * 12)]
    first_day = now.date() - timedelta(days=DAYS - 1)
    views: list[tuple] = []
    buyers: list[tuple[str, datetime]] = []
    for offset in range(DAYS):
        day = first_day + timedelta(days=offset)
        trend = 0.75 + 0.5 * offset / DAYS
        count = int(daily * trend * WEEKDAY_FACTOR[day.weekday()] * rng.uniform(0.85, 1.15))
        for visitor in rng.sample(pool, min(count, len(pool))):
            start = datetime.combine(day, time(0, 0), tzinfo=UTC) + timedelta(
                seconds=rng.randint(7 * 3600, 23 * 3600))
            if start > now:
                continue
            # One visit, sometimes a second one a few hours later.
            visits = [start] + ([start + timedelta(hours=rng.uniform(1, 6))]
                                if rng.random() < 0.2 else [])
            for visit_start in visits:
                if visit_start > now:
                    break
                landing = home if rng.random() < 0.6 else rng.choice(pages)
                at = visit_start
                for index in range(min(int(rng.expovariate(1 / 1.6)) + 1, 8)):
                    page = landing if index == 0 else rng.choice(pages)
                    views.append((store.pk, page, visitor, "",
                                  _source(rng) if index == 0 else INTERNAL, at.timestamp()))
                    at += timedelta(seconds=rng.randint(15, 240))
            if products and rng.random() < 0.05:
                buyers.append((visitor, at + timedelta(hours=rng.uniform(0.1, 20 * 24))))
    page_views_ingest(records=views)
    orders = []
    for number, (visitor, ordered_at) in enumerate(buyers):
        if ordered_at > now:
            continue
        asin, price = rng.choice(products)
        units = rng.choice([1, 1, 1, 2, 2, 3])
        orders.append({"order_id": f"demo-{store.slug}-{number}", "visitor_id": visitor,
                       "asin": asin, "units": units, "amount": price * units,
                       "ordered_at": ordered_at})
    if orders:
        orders_record(items=orders)
    return len(views), len(orders)


def seed(*, password: str, stdout=None) -> list[str]:
    """Six weeks of visits and orders for each published demo Store (once)."""
    now = timezone.now()
    lines: list[str] = []
    for slug, daily in STORES.items():
        store = Store.objects.filter(slug=slug).select_related("published_version").first()
        if store is None or store.published_version is None:
            continue
        seeded = PageView.objects.filter(store=store, visitor_id__startswith="demo-").exists()
        if seeded or Order.objects.filter(Q(order_id__startswith=f"demo-{slug}-")).exists():
            lines.append(f"Insights of {store.name}: /builder/stores/{store.pk}/insights/")
            continue
        views, orders = _seed_store(store, daily, random.Random(f"insights-{slug}"), now)
        if stdout is not None:
            stdout.write(f"  {store.name}: {views} page views, {orders} orders")
        lines.append(f"Insights of {store.name}: /builder/stores/{store.pk}/insights/")
    orders_attribute()  # a Celery worker would do it too, when REDIS_URL is set
    return lines
