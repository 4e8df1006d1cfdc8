"""Who may read insights and feed orders; order validation; retention; query counts."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from stores.insights.models import DailyStat, Order, PageView, VisitorDay
from stores.insights.services import raw_events_prune
from tests import factories

from .conftest import at, process

VALID = {"visitor_id": "visitor-aaaaaaaaaaaaaaaa", "asin": "B0000000A1", "units": 2,
         "amount": "39.90", "ordered_at": "2026-10-17T20:00:00Z"}


@pytest.fixture
def admin_user(db):
    return factories.UserFactory(username="boss", is_staff=True, is_superuser=True)


@pytest.mark.parametrize(("who", "dashboard", "api"), [
    ("anonymous", 302, 403),
    ("other_brand_owner", 404, 404),
    ("moderator", 404, 404),
    ("seller", 200, 200),
])
def test_only_the_stores_brand_sees_its_insights(request, client, store, who, dashboard, api):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who).user)
    assert client.get(f"/builder/stores/{store.pk}/insights/").status_code == dashboard
    assert client.get(f"/builder/stores/{store.pk}/insights/export.csv").status_code == (
        dashboard)
    assert client.get(f"/api/v1/stores/{store.pk}/insights/").status_code == api


def test_an_agency_sees_the_insights_of_the_vendor_it_represents(client, agency):
    store = factories.StoreFactory(brand=agency.brand)
    client.force_login(agency.user)
    assert client.get(f"/api/v1/stores/{store.pk}/insights/").status_code == 200


@pytest.mark.parametrize(("params", "field"), [
    ({"start": "2026-10-10", "end": "2026-10-01"}, "end"),
    ({"start": "2024-01-01", "end": "2026-10-01"}, "start"),
    ({"start": "yesterday"}, "start"),
])
def test_a_bad_date_range_is_refused_with_the_field(client, seller, store, params, field):
    client.force_login(seller.user)
    response = client.get(f"/api/v1/stores/{store.pk}/insights/", params)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_range"
    assert field in response.json()["errors"]
    page = client.get(f"/builder/stores/{store.pk}/insights/", params)
    assert page.status_code == 400
    assert b"Showing the last 28 days instead." in page.content


@pytest.mark.parametrize("who", ["anonymous", "seller", "moderator"])
def test_only_staff_with_the_order_permission_may_post_orders(request, client, store, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who).user)
    response = client.post("/api/v1/orders/", [VALID], content_type="application/json")
    assert response.status_code in (401, 403)
    assert Order.objects.count() == 0


def test_the_admin_records_orders_and_a_resent_order_is_not_counted_twice(
        client, admin_user, product, store, django_capture_on_commit_callbacks):
    client.force_login(admin_user)
    body = [{**VALID, "order_id": "m-1"}, {**VALID, "order_id": "m-2"}]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post("/api/v1/orders/", body, content_type="application/json")
    assert len(callbacks) == 1  # attribution enqueued once the orders are committed
    assert (response.status_code, response.json()) == (
        201, {"received": 2, "created": 2, "duplicates": 0})
    again = client.post("/api/v1/orders/", body + [VALID], content_type="application/json")
    assert again.json() == {"received": 3, "created": 1, "duplicates": 2}
    assert Order.objects.count() == 3
    # No visit of that visitor: recorded, but not attributed to any Store.
    process()
    assert set(Order.objects.values_list("status", flat=True)) == {"unattributed"}


def test_invalid_orders_are_refused_with_their_index_and_nothing_is_written(
        client, admin_user):
    client.force_login(admin_user)
    body = [VALID, {**VALID, "asin": "nope", "units": 0},
            {**VALID, "amount": "-1", "ordered_at": "2999-01-01T00:00:00Z"},
            {"asin": "B0000000A1"}, 5]
    response = client.post("/api/v1/orders/", body, content_type="application/json")
    assert response.status_code == 400
    errors = {(e["index"], e["field"]) for e in response.json()["errors"]}
    assert errors == {(1, "asin"), (1, "units"), (2, "amount"), (2, "ordered_at"),
                      (3, "visitor_id"), (3, "units"), (3, "amount"), (3, "ordered_at"),
                      (4, "non_field_errors")}
    assert Order.objects.count() == 0
    for bad in ({"not": "a list"}, []):
        response = client.post("/api/v1/orders/", bad, content_type="application/json")
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "invalid_orders"
    assert Order.objects.count() == 0


def test_import_orders_reads_a_csv_file_all_or_nothing(tmp_path, store, product, record):
    record(store, "shoes", "2026-10-01 10:00", cookie="visitor-cccccccccccccccc",
           channel="mail")
    process()
    bad = tmp_path / "bad.csv"
    bad.write_text("order_id,visitor_id,asin,units,amount,ordered_at\n"
                   "c-1,visitor-cccccccccccccccc,B0000000A1,1,5.00,2026-10-02T10:00:00Z\n"
                   "c-2,visitor-cccccccccccccccc,B0000000A1,x,5.00,2026-10-02T10:00:00Z\n")
    with pytest.raises(CommandError, match="line 3: units"):
        call_command("import_orders", str(bad))
    assert Order.objects.count() == 0
    good = tmp_path / "good.csv"
    good.write_text("order_id,visitor_id,asin,units,amount,ordered_at\n"
                    "c-1,visitor-cccccccccccccccc,B0000000A1,3,15.00,2026-10-02T10:00:00Z\n")
    call_command("import_orders", str(good))
    process()
    order = Order.objects.get()
    assert (order.status, order.page_key, order.source) == ("attributed", "shoes", "mail")
    row = DailyStat.objects.get(store=store, day="2026-10-02", dimension="source", key="mail")
    assert (row.orders, row.units, str(row.sales), row.views) == (1, 3, "15.00", 0)


def test_an_order_goes_to_the_brands_store_not_to_another_store_visited(
        store, record, vendor):
    other = factories.StoreFactory(brand=vendor.brand, slug="nordic")
    vendor_product = factories.ProductFactory(asin="B0000000V1", brand=vendor.brand)
    vid = "visitor-dddddddddddddddd"
    record(other, "home", "2026-10-01 10:00", cookie=vid)
    record(store, "home", "2026-10-01 11:00", cookie=vid)
    process()
    from stores.insights.services import orders_record

    orders_record(items=[{"visitor_id": vid, "asin": vendor_product.asin, "units": 1,
                          "amount": "9.00", "ordered_at": at("2026-10-01 12:00")}])
    process()
    assert Order.objects.get().store_id == other.pk


def test_views_after_the_order_do_not_take_the_credit(store, product, record):
    vid = "visitor-eeeeeeeeeeeeeeee"
    record(store, "shoes", "2026-10-01 10:00", cookie=vid, channel="ads")
    record(store, "home", "2026-10-01 13:00", cookie=vid)
    process()
    from stores.insights.services import orders_record

    orders_record(items=[{"visitor_id": vid, "asin": product.asin, "units": 1,
                          "amount": "9.00", "ordered_at": at("2026-10-01 12:00")}])
    process()
    order = Order.objects.get()
    assert (order.page_key, order.source) == ("shoes", "ads")


def test_raw_events_older_than_the_retention_are_pruned_but_rollups_stay(
        store, record, settings):
    settings.INSIGHTS_RAW_RETENTION_DAYS = 30
    now = timezone.now()
    old = (now - timedelta(days=31)).strftime("%Y-%m-%d %H:%M")
    recent = (now - timedelta(days=29)).strftime("%Y-%m-%d %H:%M")
    record(store, "home", old, cookie="visitor-ffffffffffffffff")
    record(store, "home", recent, cookie="visitor-ffffffffffffffff")
    process()
    assert raw_events_prune(now=now) == 1
    assert PageView.objects.count() == 1
    assert VisitorDay.objects.count() == 1
    assert DailyStat.objects.filter(store=store, dimension="store").count() == 2


def test_the_dashboard_and_api_take_a_fixed_number_of_queries(
        client, seller, store, record, django_assert_num_queries):
    for n in range(30):
        record(store, ["home", "shoes"][n % 2], f"2026-10-{1 + n % 20:02d} 10:00",
               cookie=f"visitor-{n:016d}", channel=f"tag{n}")
    process()
    client.force_login(seller.user)
    params = {"start": "2026-10-01", "end": "2026-10-31"}
    # session, user, brands_for_user + Store, DailyStat rows
    with django_assert_num_queries(4):
        assert client.get(f"/api/v1/stores/{store.pk}/insights/", params).status_code == 200
    # The dashboard also reads the previous period's totals (for the comparison).
    with django_assert_num_queries(5):
        assert client.get(f"/builder/stores/{store.pk}/insights/", params).status_code == 200
    with django_assert_num_queries(4):
        response = client.get(f"/builder/stores/{store.pk}/insights/export.csv", params)
        assert response.status_code == 200
