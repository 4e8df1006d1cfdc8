"""A small history scripted by hand; the API, the dashboard and the CSV must agree with
the numbers worked out on paper.

Visitor A (cookie), 1 Oct: home via ?channel=newsletter 10:00, shoes 10:05 and home 10:06
by internal links (keep "newsletter"): 3 views, 2 unique pages, 1 visit.
Visitor B, 1 Oct: shoes from Google 11:00 and again 11:50 (a new visit: > 30 min gap).
Visitor A again, 3 Oct 09:00: home, typed in (direct).
A buys 2 units for 39.90 on 17 Oct (day 14 after the last visit: counted, to home/direct);
B buys 1 unit for 10.00 on 16 Oct (day 15 after B's last visit: not counted).
A Googlebot view and a staff user's view on 1 Oct are not counted.

Views per visitor of a page or source row = the unique Store pages its daily visitors
viewed that day, per visitor: home = (A 1 Oct: 2 + A 3 Oct: 1) / 2 = 1.50; newsletter =
A 1 Oct: 2 / 1 = 2.00. Totals: 3 visitor-days, (2 + 1 + 1) / 3 = 1.33.
"""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from stores.insights.models import Order
from stores.insights.services import orders_record
from tests import factories

from .conftest import at, process

A = "visitor-aaaaaaaaaaaaaaaa"
B = "visitor-bbbbbbbbbbbbbbbb"
SITE = "http://testserver/stores/acme-outdoor/"
RANGE = {"start": "2026-10-01", "end": "2026-10-17"}

FIG_ZERO = {"visitors": 0, "views": 0, "sales": "0.00", "units": 0, "views_per_visitor": 0.0,
            "visits": 0, "views_per_visit": 0.0, "orders": 0, "units_per_order": 0.0,
            "sales_per_visitor": "0.00"}


def figures(**values):
    return {**FIG_ZERO, **values}


@pytest.fixture
def history(store, product, record):
    record(store, "home", "2026-10-01 10:00", cookie=A, channel="Newsletter")
    record(store, "shoes", "2026-10-01 10:05", cookie=A, referrer=SITE)
    record(store, "home", "2026-10-01 10:06", cookie=A, referrer=SITE + "shoes/")
    record(store, "shoes", "2026-10-01 11:00", cookie=B, referrer="https://www.google.com/")
    record(store, "shoes", "2026-10-01 11:50", cookie=B, referrer="https://www.google.com/")
    record(store, "home", "2026-10-03 09:00", cookie=A)
    # Not counted:
    record(store, "home", "2026-10-01 12:00", cookie="visitor-bot",
           ua="Mozilla/5.0 (compatible; Googlebot/2.1)")
    record(store, "home", "2026-10-01 12:00", cookie="visitor-staff",
           user=factories.UserFactory(username="staffer", is_staff=True))
    process()
    orders_record(items=[
        {"order_id": "o-1", "visitor_id": A, "asin": product.asin, "units": 2,
         "amount": Decimal("39.90"), "ordered_at": at("2026-10-17 20:00")},
        {"order_id": "o-2", "visitor_id": B, "asin": product.asin, "units": 1,
         "amount": Decimal("10.00"), "ordered_at": at("2026-10-16 08:00")},
    ])
    process()
    return store


EXPECTED_TOTALS = figures(visitors=3, views=6, sales="39.90", units=2, views_per_visitor=1.33,
                          visits=4, views_per_visit=1.5, orders=1, units_per_order=2.0,
                          sales_per_visitor="13.30")
EXPECTED_PAGES = [
    {"page": "home", "path": "/stores/acme-outdoor/", "title": "Home",
     **figures(visitors=2, views=3, sales="39.90", units=2, views_per_visitor=1.5, visits=2,
               views_per_visit=1.5, orders=1, units_per_order=2.0, sales_per_visitor="19.95")},
    {"page": "shoes", "path": "/stores/acme-outdoor/shoes/", "title": "Shoes",
     **figures(visitors=2, views=3, views_per_visitor=1.5, visits=2, views_per_visit=1.5)},
]
EXPECTED_SOURCES = [
    {"source": "direct", **figures(visitors=1, views=1, sales="39.90", units=2,
                                   views_per_visitor=1.0, visits=1, views_per_visit=1.0,
                                   orders=1, units_per_order=2.0, sales_per_visitor="39.90")},
    {"source": "search", **figures(visitors=1, views=2, views_per_visitor=1.0, visits=2,
                                   views_per_visit=1.0)},
    {"source": "social", **FIG_ZERO},
    {"source": "external", **FIG_ZERO},
    {"source": "newsletter", **figures(visitors=1, views=3, views_per_visitor=2.0, visits=1,
                                       views_per_visit=3.0)},
]


def test_orders_are_attributed_on_day_14_after_the_last_visit_but_not_on_day_15(history):
    attributed = Order.objects.get(order_id="o-1")
    late = Order.objects.get(order_id="o-2")
    assert (attributed.status, attributed.store_id, attributed.page_key, attributed.source) == (
        "attributed", history.pk, "home", "direct")
    assert attributed.last_visit_at == at("2026-10-03 09:00")
    assert (late.status, late.store_id) == ("unattributed", None)


def test_the_api_gives_the_numbers_worked_out_by_hand(history, client, seller):
    client.force_login(seller.user)
    response = client.get(f"/api/v1/stores/{history.pk}/insights/", RANGE)
    assert response.status_code == 200
    body = response.json()
    assert body["totals"] == EXPECTED_TOTALS
    assert body["by_page"] == EXPECTED_PAGES
    assert body["by_source"] == EXPECTED_SOURCES
    days = {row["date"]: row for row in body["by_day"]}
    assert len(body["by_day"]) == 17
    assert days["2026-10-01"] == {"date": "2026-10-01", **figures(
        visitors=2, views=5, views_per_visitor=1.5, visits=3, views_per_visit=1.67)}
    assert days["2026-10-02"] == {"date": "2026-10-02", **FIG_ZERO}
    assert days["2026-10-03"] == {"date": "2026-10-03", **figures(
        visitors=1, views=1, views_per_visitor=1.0, visits=1, views_per_visit=1.0)}
    assert days["2026-10-16"] == {"date": "2026-10-16", **FIG_ZERO}
    assert days["2026-10-17"] == {"date": "2026-10-17", **figures(
        sales="39.90", units=2, orders=1, units_per_order=2.0)}


def test_the_dashboard_shows_the_same_numbers(history, client, seller):
    client.force_login(seller.user)
    response = client.get(f"/builder/stores/{history.pk}/insights/", RANGE)
    assert response.status_code == 200
    html = response.content.decode()
    # Amounts carry their currency (the brand's catalogue is in euros).
    for figure, shown in [("visitors", "3"), ("views", "6"), ("sales", "€39.90"),
                          ("units", "2"), ("views_per_visitor", "1.33"), ("visits", "4"),
                          ("views_per_visit", "1.50"), ("orders", "1"),
                          ("units_per_order", "2.00"), ("sales_per_visitor", "€13.30")]:
        assert (f'data-figure="{figure}"><span class="ins-value">{shown}</span>') in html
    assert ('<tr data-page="home"><th scope="row">Home <a class="ins-path" '
            'href="/stores/acme-outdoor/">/stores/acme-outdoor/</a></th><td>2</td><td>3</td>'
            '<td>1.50</td><td>€39.90</td><td>2</td></tr>') in html
    assert ('<tr data-source="newsletter"><th scope="row">newsletter</th><td>1</td><td>3</td>'
            '<td>2.00</td><td>€0.00</td><td>0</td></tr>') in html
    assert ('<tr data-date="2026-10-01"><th scope="row">Thu, Oct 1</th><td>2</td><td>5</td>'
            '<td>1.50</td><td>€0.00</td><td>0</td></tr>') in html
    assert "style=" not in html and "<script>" not in html


def test_the_csv_export_gives_the_same_numbers(history, client, seller):
    client.force_login(seller.user)
    for url, params in [(f"/builder/stores/{history.pk}/insights/export.csv", RANGE),
                        (f"/builder/stores/{history.pk}/insights/", {**RANGE, "format": "csv"})]:
        response = client.get(url, params)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        total = rows[0]
        assert (total["section"], total["date"]) == ("total", "2026-10-01..2026-10-17")
        assert {k: total[k] for k in ("visitors", "views", "views_per_visitor", "visits",
                                      "views_per_visit", "orders", "units",
                                      "units_per_order", "sales", "sales_per_visitor")} == {
            "visitors": "3", "views": "6", "views_per_visitor": "1.33", "visits": "4",
            "views_per_visit": "1.50", "orders": "1", "units": "2", "units_per_order": "2.00",
            "sales": "39.90", "sales_per_visitor": "13.30"}
        pages = {r["page"]: r for r in rows if r["section"] == "page"}
        assert (pages["home"]["visitors"], pages["home"]["views"], pages["home"]["sales"],
                pages["home"]["path"]) == ("2", "3", "39.90", "/stores/acme-outdoor/")
        sources = [(r["source"], r["visitors"], r["views"], r["views_per_visitor"], r["sales"])
                   for r in rows if r["section"] == "source"]
        assert sources == [("direct", "1", "1", "1.00", "39.90"),
                           ("search", "1", "2", "1.00", "0.00"),
                           ("social", "0", "0", "0.00", "0.00"),
                           ("external", "0", "0", "0.00", "0.00"),
                           ("newsletter", "1", "3", "2.00", "0.00")]
        day_rows = [r for r in rows if r["section"] == "day"]
        assert len(day_rows) == 17
        assert (day_rows[0]["date"], day_rows[0]["visitors"], day_rows[0]["views"]) == (
            "2026-10-01", "2", "5")


def test_rolling_up_again_and_resending_orders_counts_nothing_twice(history, client, seller,
                                                                   product):
    assert process() == {"events": 0, "orders": 0}
    result = orders_record(items=[
        {"order_id": "o-1", "visitor_id": A, "asin": product.asin, "units": 2,
         "amount": Decimal("39.90"), "ordered_at": at("2026-10-17 20:00")}])
    assert (result.created, result.duplicates) == (0, 1)
    process()
    client.force_login(seller.user)
    body = client.get(f"/api/v1/stores/{history.pk}/insights/", RANGE).json()
    assert body["totals"] == EXPECTED_TOTALS


def test_the_100_largest_tags_are_listed_and_the_rest_grouped_as_other_tags(
        store, record, client, seller):
    # tag-000 gets 104 views, tag-001 103, … tag-103 1 view: 104 tags in all.
    for n in range(104):
        for view in range(104 - n):
            record(store, "home", f"2026-10-02 {view // 60:02d}:{view % 60:02d}",
                   cookie=f"visitor-{n:04d}-{view:011d}", channel=f"tag-{n:03d}")
    process()
    client.force_login(seller.user)
    body = client.get(f"/api/v1/stores/{store.pk}/insights/",
                      {"start": "2026-10-02", "end": "2026-10-02"}).json()
    sources = [(row["source"], row["views"], row["visitors"]) for row in body["by_source"]]
    assert [s for s, _, _ in sources[:4]] == ["direct", "search", "social", "external"]
    assert sources[4] == ("tag-000", 104, 104)
    assert sources[103] == ("tag-099", 5, 5)
    # tag-100 … tag-103: 4 + 3 + 2 + 1 views.
    assert sources[104:] == [("other tags", 10, 10)]
    assert len(sources) == 105


def test_the_dashboard_compares_with_the_previous_period_and_offers_presets(
        history, client, seller):
    client.force_login(seller.user)
    html = client.get(f"/builder/stores/{history.pk}/insights/", RANGE).content.decode()
    # Nothing in the period before: the previous value is shown, no percentage invented.
    assert "previous period: 0" in html
    assert "previous period: €0.00" in html
    for days in (7, 30, 90):
        assert f">Last {days} days</a>" in html
    # The source table scrolls by keyboard.
    assert 'class="ins-scroll ins-scroll--tall" tabindex="0" role="region"' in html
