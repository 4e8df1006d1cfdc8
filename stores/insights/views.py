"""The insights dashboard and its CSV export (thin: the numbers come from selectors)."""
from __future__ import annotations

import csv
from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext

from catalog.marketplaces import marketplace_get
from catalog.models import Product

from .charts import daily_chart
from .forms import range_from
from .selectors import (
    compare,
    insights_stores_for_user,
    previous_period,
    report_csv_rows,
    store_insights,
    store_time_zone,
    store_today,
    store_totals,
)

PRESET_DAYS = (7, 30, 90)


def _store(request, store_id: int):
    # The currency amounts are shown in: the brand's catalogue's (read with the Store).
    currency = (Product.objects.filter(brand=OuterRef("brand")).order_by("pk")
                .values("currency")[:1])
    store = (insights_stores_for_user(user=request.user).filter(pk=store_id)
             .annotate(currency=Subquery(currency)).first())
    if store is None:
        raise Http404("No such Store.")
    return store


def _csv_cell(value: str) -> str:
    # Spreadsheets run cells that start like a formula; keep them text.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


def _csv_response(report) -> HttpResponse:
    filename = f"insights-{report.store.slug}-{report.start}-{report.end}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    for row in report_csv_rows(report):
        writer.writerow([_csv_cell(cell) for cell in row])
    return response


@login_required
def dashboard(request, store_id: int):
    """Daily chart, totals, pages and sources of one Store (another brand's: 404)."""
    store = _store(request, store_id)
    form, start, end = range_from(request.GET, today=store_today(store.pk))
    report = store_insights(store=store, start=start, end=end)
    if request.GET.get("format") == "csv" and form.is_valid():
        return _csv_response(report)
    previous_start, previous_end = previous_period(start=start, end=end)
    previous = store_totals(store=store, start=previous_start, end=previous_end)
    today = store_today(store.pk)
    presets = []
    for days in PRESET_DAYS:
        preset_start = today - timedelta(days=days - 1)
        presets.append({
            "label": ngettext("Last %(days)d day", "Last %(days)d days", days) % {"days": days},
            "query": f"start={preset_start.isoformat()}&end={today.isoformat()}",
            "current": (start, end) == (preset_start, today)})
    return render(
        request,
        "insights/dashboard.html",
        {"store": store, "form": form, "report": report, "chart": daily_chart(report.by_day),
         # One Store, one marketplace: every amount is in its currency, never mixed.
         "csv_query": f"start={start.isoformat()}&end={end.isoformat()}",
         "currency": marketplace_get(store.marketplace_id).currency, "presets": presets,
         "previous": previous, "previous_start": previous_start, "previous_end": previous_end,
         "comparison": compare(report.totals, previous),
         "time_zone": store_time_zone(store.pk).key},
        status=200 if form.is_valid() else 400,
    )


@login_required
def export_csv(request, store_id: int):
    """The dashboard's numbers as CSV."""
    store = _store(request, store_id)
    form, start, end = range_from(request.GET, today=store_today(store.pk))
    if not form.is_valid():
        return HttpResponse("; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()),
                            status=400, content_type="text/plain; charset=utf-8")
    return _csv_response(store_insights(store=store, start=start, end=end))
