"""Insights reads: the one report the dashboard, the API and the CSV all present.

Only DailyStat rows are read (one query), never raw events. Over a range, `visitors`
add the daily unique visitors (visitor-days); views per visitor = the average number of
unique Store pages a daily visitor viewed (in a page or source row: a daily visitor of
that page or source).
Sources: the four referrer kinds are always listed; of the channel tags, the 100 with the
most views are broken out and the rest are summed as "other tags".
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils import timezone

from catalog.marketplaces import marketplaces_all
from catalog.selectors import brands_for_user
from stores.models import Store

from .classify import KINDS
from .models import DailyStat

TOP_TAGS = 100
OTHER_TAGS = "other tags"
MAX_RANGE_DAYS = 366
DEFAULT_RANGE_DAYS = 28
CENT = Decimal("0.01")


def insights_stores_for_user(*, user) -> QuerySet[Store]:
    """Stores whose insights the user may read: those of the brands the user acts for."""
    return Store.objects.filter(brand__in=brands_for_user(user=user)).select_related(
        "brand", "published_version"
    )


@dataclass
class Figures:
    visitors: int = 0
    views: int = 0
    page_visitors: int = 0
    visits: int = 0
    orders: int = 0
    units: int = 0
    sales: Decimal = field(default_factory=lambda: Decimal("0.00"))

    def add(self, row) -> None:
        self.visitors += row.visitors
        self.views += row.views
        self.page_visitors += row.page_visitors
        self.visits += row.visits
        self.orders += row.orders
        self.units += row.units
        self.sales += row.sales

    @staticmethod
    def _ratio(numerator, denominator) -> Decimal:
        if not denominator:
            return Decimal("0.00")
        return (Decimal(numerator) / Decimal(denominator)).quantize(CENT, ROUND_HALF_UP)

    @property
    def views_per_visitor(self) -> Decimal:
        return self._ratio(self.page_visitors, self.visitors)

    @property
    def views_per_visit(self) -> Decimal:
        return self._ratio(self.views, self.visits)

    @property
    def units_per_order(self) -> Decimal:
        return self._ratio(self.units, self.orders)

    @property
    def sales_per_visitor(self) -> Decimal:
        return self._ratio(self.sales, self.visitors)

    def as_dict(self) -> dict:
        return {
            "visitors": self.visitors,
            "views": self.views,
            "sales": str(self.sales.quantize(CENT)),
            "units": self.units,
            "views_per_visitor": float(self.views_per_visitor),
            "visits": self.visits,
            "views_per_visit": float(self.views_per_visit),
            "orders": self.orders,
            "units_per_order": float(self.units_per_order),
            "sales_per_visitor": str(self.sales_per_visitor),
        }


@dataclass
class Report:
    store: Store
    start: date
    end: date
    totals: Figures
    by_day: list[tuple[date, Figures]]
    by_page: list[tuple[str, str, str, Figures]]  # key, path, title, figures
    by_source: list[tuple[str, Figures]]

    def as_dict(self) -> dict:
        return {
            "store": self.store.pk,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "totals": self.totals.as_dict(),
            "by_day": [{"date": d.isoformat(), **f.as_dict()} for d, f in self.by_day],
            "by_page": [{"page": k, "path": p, "title": t, **f.as_dict()}
                        for k, p, t, f in self.by_page],
            "by_source": [{"source": s, **f.as_dict()} for s, f in self.by_source],
        }


def store_time_zone(store_id: int) -> ZoneInfo:
    """The zone a Store's days are counted in: its marketplace's (Amsterdam for amazon.nl,
    London for amazon.co.uk), so "today" is the brand's shoppers' today. Read once per
    process per Store (a Store keeps its marketplace)."""
    zone = _zones.get(store_id)
    if zone is None:
        code = Store.objects.filter(pk=store_id).values_list("marketplace_id", flat=True).first()
        market = marketplaces_all().get(code)
        zone = _zones[store_id] = ZoneInfo(market.time_zone if market else "UTC")
    return zone


_zones: dict[int, ZoneInfo] = {}


def store_day(store_id: int, moment: datetime) -> date:
    """The day `moment` falls on in the Store's marketplace time zone."""
    return moment.astimezone(store_time_zone(store_id)).date()


def store_today(store_id: int) -> date:
    return store_day(store_id, timezone.now())


def default_range(*, today: date) -> tuple[date, date]:
    return today - timedelta(days=DEFAULT_RANGE_DAYS - 1), today


def page_paths(*, store: Store) -> dict[str, tuple[str, str]]:
    """page key -> (URL path, title) in the Store's published document."""
    version = store.published_version
    pages = (version.document.get("pages", []) if version else []) or []
    by_key = {p.get("key"): p for p in pages if isinstance(p, dict)}
    result = {}
    for key, page in by_key.items():
        slugs, current, depth = [], page, 0
        while current is not None and depth < 5:
            if current.get("slug"):
                slugs.append(current["slug"])
            current = by_key.get(current.get("parent"))
            depth += 1
        path = "/".join(reversed(slugs))
        url = f"/stores/{store.slug}/{path}/" if path else f"/stores/{store.slug}/"
        result[key] = (url, page.get("title") or key)
    return result


def store_insights(*, store: Store, start: date, end: date) -> Report:
    """Totals, days (every day of the range, zeros included), pages and sources."""
    totals = Figures()
    days = {start + timedelta(days=i): Figures() for i in range((end - start).days + 1)}
    pages: dict[str, Figures] = {}
    sources: dict[str, Figures] = {}
    rows = DailyStat.objects.filter(store=store, day__gte=start, day__lte=end)
    for row in rows:
        if row.dimension == DailyStat.Dimension.STORE:
            totals.add(row)
            days[row.day].add(row)
        elif row.dimension == DailyStat.Dimension.PAGE:
            pages.setdefault(row.key, Figures()).add(row)
        else:
            sources.setdefault(row.key, Figures()).add(row)

    paths = page_paths(store=store)
    by_page = [
        (key, *paths.get(key, ("", key)), figures)
        for key, figures in sorted(pages.items(), key=lambda kv: (-kv[1].views, kv[0]))
    ]
    kinds = [(kind, sources.pop(kind, Figures())) for kind in KINDS]
    tags = sorted(sources.items(), key=lambda kv: (-kv[1].views, kv[0]))
    by_source = kinds + tags[:TOP_TAGS]
    if len(tags) > TOP_TAGS:
        other = Figures()
        for _, figures in tags[TOP_TAGS:]:
            other.add(figures)
        by_source.append((OTHER_TAGS, other))
    return Report(store=store, start=start, end=end, totals=totals,
                  by_day=list(days.items()), by_page=by_page, by_source=by_source)


def previous_period(*, start: date, end: date) -> tuple[date, date]:
    """The period of the same length just before [start, end]."""
    length = (end - start).days + 1
    return start - timedelta(days=length), start - timedelta(days=1)


def store_totals(*, store: Store, start: date, end: date) -> Figures:
    """The Store's totals over [start, end] (one query)."""
    totals = Figures()
    for row in DailyStat.objects.filter(store=store, day__gte=start, day__lte=end,
                                        dimension=DailyStat.Dimension.STORE):
        totals.add(row)
    return totals


def compare(current: Figures, previous: Figures) -> dict[str, int | None]:
    """Change of each headline figure against the previous period, in whole percent
    (None when the previous period had none: no meaningful percentage)."""
    def change(now, before) -> int | None:
        if not before:
            return None
        return int(((Decimal(now) - Decimal(before)) / Decimal(before) * 100).quantize(
            Decimal("1"), ROUND_HALF_UP))

    return {name: change(getattr(current, name), getattr(previous, name))
            for name in ("visitors", "views", "sales", "units", "views_per_visitor")}


CSV_HEADER = ["section", "date", "page", "path", "source", "visitors", "views",
              "views_per_visitor", "visits", "views_per_visit", "orders", "units",
              "units_per_order", "sales", "sales_per_visitor"]


def report_csv_rows(report: Report) -> list[list[str]]:
    """The report as CSV rows (header first): totals, then days, pages, sources."""
    def figures(f: Figures) -> list[str]:
        return [str(f.visitors), str(f.views), str(f.views_per_visitor), str(f.visits),
                str(f.views_per_visit), str(f.orders), str(f.units), str(f.units_per_order),
                str(f.sales.quantize(CENT)), str(f.sales_per_visitor)]

    rows = [CSV_HEADER, ["total", f"{report.start}..{report.end}", "", "", "",
                         *figures(report.totals)]]
    rows += [["day", d.isoformat(), "", "", "", *figures(f)] for d, f in report.by_day]
    rows += [["page", "", k, p, "", *figures(f)] for k, p, _, f in report.by_page]
    rows += [["source", "", "", "", s, *figures(f)] for s, f in report.by_source]
    return rows
