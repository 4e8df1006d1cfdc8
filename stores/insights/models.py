"""Insights data: raw page views, orders, per-visitor-day state and the daily rollups.

Raw page views are kept for INSIGHTS_RAW_RETENTION_DAYS (order attribution reads them);
dashboards read only DailyStat, updated incrementally as views are stored and orders
attributed (see services).
"""
from __future__ import annotations

from django.db import models
from django.db.models import Q

from stores.models import Store


class PageView(models.Model):
    """One counted shopper page view (bots, previews and staff are never written)."""

    # Indexed by (store, viewed_at) below, which also serves deletes by Store.
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+",
                              db_index=False)
    page_key = models.CharField(max_length=64)
    # The sf_vid cookie the browser sent, or the id the response set when it sent none.
    visitor_id = models.CharField(max_length=64)
    # Keyed hash of IP + user agent + day, only when no cookie came: groups the views of
    # a browser that refuses cookies (raw IPs are never stored).
    device_hash = models.CharField(max_length=32, blank=True)
    # Channel tag or referrer kind; internal navigation is stored as the visitor's
    # previous source that day.
    source = models.CharField(max_length=64, blank=True)
    viewed_at = models.DateTimeField()

    class Meta:
        indexes = [
            # Attribution: a buyer's last view. Pruning, per Store: views before a day.
            models.Index(fields=["visitor_id", "viewed_at"], name="insights_pv_visitor"),
            models.Index(fields=["store", "viewed_at"], name="insights_pv_store_time"),
        ]


class VisitorDay(models.Model):
    """What one visitor did in one Store on one day: decides the daily uniques and visits.

    Read and written only by the rollup (under its lock), never by dashboards.
    """

    # No index of its own: the unique constraint starts with it (and every index costs
    # each page view a write).
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+",
                              db_index=False)
    day = models.DateField()
    visitor_id = models.CharField(max_length=64)
    device_hash = models.CharField(max_length=32, blank=True)
    pages = models.JSONField(default=list)  # page keys viewed that day
    sources = models.JSONField(default=list)  # sources seen that day
    last_seen_at = models.DateTimeField()
    last_source = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "day", "visitor_id"],
                                    name="insights_unique_visitor_day"),
        ]
        indexes = [
            # Only browsers that refuse cookies have a device hash.
            models.Index(fields=["store", "day", "device_hash"], name="insights_vd_device",
                         condition=~Q(device_hash="")),
        ]


class DailyStat(models.Model):
    """Counters of one Store on one day, for the whole Store, one page or one source.

    `visitors` are unique for that slice and day; `page_visitors` adds, over those
    visitors, the unique Store pages each viewed that day (views per visitor =
    page_visitors / visitors);
    sales, units and orders count attributed orders on their order day.
    """

    class Dimension(models.TextChoices):
        STORE = "store", "Store"
        PAGE = "page", "Page"
        SOURCE = "source", "Source"

    # No index of its own: the unique constraint starts with (store, day).
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+",
                              db_index=False)
    day = models.DateField()
    dimension = models.CharField(max_length=6, choices=Dimension.choices)
    key = models.CharField(max_length=64, blank=True)  # page key, source, or "" for store
    visitors = models.PositiveIntegerField(default=0)
    views = models.PositiveIntegerField(default=0)
    page_visitors = models.PositiveIntegerField(default=0)
    visits = models.PositiveIntegerField(default=0)
    orders = models.PositiveIntegerField(default=0)
    units = models.PositiveIntegerField(default=0)
    sales = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "day", "dimension", "key"],
                                    name="insights_unique_daily_stat"),
        ]


class Order(models.Model):
    """A marketplace purchase from the order feed, attributed to a Store (or not)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ATTRIBUTED = "attributed", "Attributed"
        UNATTRIBUTED = "unattributed", "Not attributed"

    order_id = models.CharField(max_length=64, null=True, blank=True, unique=True)
    visitor_id = models.CharField(max_length=64)
    asin = models.CharField(max_length=10)
    units = models.PositiveIntegerField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    ordered_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    store = models.ForeignKey(Store, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    page_key = models.CharField(max_length=64, blank=True)
    source = models.CharField(max_length=64, blank=True)
    last_visit_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "id"], condition=Q(status="pending"),
                         name="insights_order_pending"),
        ]


class RollupLock(models.Model):
    """A single row locked (SELECT … FOR UPDATE) so that one rollup runs at a time."""

    id = models.PositiveSmallIntegerField(primary_key=True)
