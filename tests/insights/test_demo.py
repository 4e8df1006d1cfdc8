"""The demo's six weeks of visits and orders: seeded once, and every view agrees."""
from __future__ import annotations

import io
from decimal import Decimal

from stores.insights import demo
from stores.insights.models import DailyStat, Order, PageView


def test_the_demo_seeds_weeks_of_visits_and_orders_once(store, product, client, seller):
    lines = demo.seed(password="x", stdout=io.StringIO())
    assert lines == [f"Insights of Acme Outdoor: /builder/stores/{store.pk}/insights/"]
    views, orders = PageView.objects.count(), Order.objects.count()
    assert views > 5000 and orders > 50
    assert not Order.objects.filter(status="pending").exists()

    assert demo.seed(password="x", stdout=io.StringIO()) == lines
    assert (PageView.objects.count(), Order.objects.count()) == (views, orders)

    client.force_login(seller.user)
    body = client.get(f"/api/v1/stores/{store.pk}/insights/",
                      {"start": "2020-01-01", "end": "2020-12-31"}).json()
    assert body["totals"]["views"] == 0
    rows = DailyStat.objects.filter(store=store, dimension="store")
    first, last = min(r.day for r in rows), max(r.day for r in rows)
    body = client.get(f"/api/v1/stores/{store.pk}/insights/",
                      {"start": first.isoformat(), "end": last.isoformat()}).json()
    totals = body["totals"]
    assert totals["views"] == views
    assert totals["views"] == sum(r["views"] for r in body["by_day"])
    assert totals["views"] == sum(r["views"] for r in body["by_page"])
    assert totals["views"] == sum(r["views"] for r in body["by_source"])
    assert totals["visitors"] == sum(r["visitors"] for r in body["by_day"])
    attributed = Order.objects.filter(status="attributed")
    assert totals["orders"] == attributed.count()
    assert Decimal(totals["sales"]) == sum(o.amount for o in attributed)
    assert Decimal(totals["sales"]) == sum(Decimal(r["sales"]) for r in body["by_source"])
    assert {r["source"] for r in body["by_source"]} >= {"direct", "search", "social",
                                                       "external", "newsletter"}
