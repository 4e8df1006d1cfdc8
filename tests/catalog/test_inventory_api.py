"""POST /api/v1/inventory/: bulk stock for the caller's own products, all or nothing."""
from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from catalog import services
from catalog.models import Product
from tests import factories

URL = "/api/v1/inventory/"


@pytest.fixture
def stock_calls(monkeypatch):
    """The product ids handed to the live-stock hook (the hook itself belongs to Stores)."""
    calls: list[list[int]] = []
    monkeypatch.setattr(services.stock, "stock_changed", lambda ids, **_: calls.append(sorted(ids)))
    return calls


@pytest.fixture
def ten_products(seller):
    return [factories.ProductFactory(asin=f"B0AC{n:06d}", brand=seller.brand, quantity=5)
            for n in range(10)]


def post(actor, body):
    client = APIClient()
    if actor is not None:
        client.force_authenticate(actor.user)
    return client.post(URL, body, format="json")


def quantities() -> dict[str, int]:
    return dict(Product.objects.values_list("asin", "quantity"))


def test_ten_good_items_are_all_applied(seller, ten_products, stock_calls,
                                        django_capture_on_commit_callbacks):
    body = [{"asin": p.asin, "quantity": 100 + i} for i, p in enumerate(ten_products)]
    with django_capture_on_commit_callbacks(execute=True):
        response = post(seller, body)
    assert response.status_code == 200
    assert response.json() == {"updated": 10}
    assert quantities() == {f"B0AC{n:06d}": 100 + n for n in range(10)}
    assert Product.objects.filter(stock_updated_at__isnull=True).count() == 0
    assert stock_calls == [sorted(p.pk for p in ten_products)]


def test_quantity_zero_makes_the_product_out_of_stock(seller, ten_products):
    response = post(seller, [{"asin": "B0AC000003", "quantity": 0}])
    assert response.json() == {"updated": 1}
    assert Product.objects.get(asin="B0AC000003").in_stock is False


def test_an_agency_updates_the_stock_of_a_represented_vendor(agency, vendor):
    product = factories.ProductFactory(asin="B0NH000001", brand=vendor.brand, quantity=1)
    response = post(agency, [{"asin": "B0NH000001", "quantity": 9}])
    assert response.status_code == 200
    product.refresh_from_db()
    assert product.quantity == 9


@pytest.mark.parametrize(
    ("bad_item", "field", "code"),
    [
        ({"asin": "B0ZZ999999", "quantity": 3}, "asin", "unknown_asin"),
        ({"asin": "B0RV000001", "quantity": 3}, "asin", "not_your_product"),
        ({"asin": "B0AC000001", "quantity": -1}, "quantity", "invalid_quantity"),
        ({"asin": "B0AC000001", "quantity": "7"}, "quantity", "invalid_quantity"),
        ({"asin": "B0AC000001", "quantity": 2.5}, "quantity", "invalid_quantity"),
        ({"asin": "B0AC000001", "quantity": True}, "quantity", "invalid_quantity"),
        ({"asin": "b0ac000001", "quantity": 3}, "asin", "invalid_asin"),
        ({"quantity": 3}, "asin", "required"),
        ({"asin": "B0AC000001"}, "quantity", "required"),
    ],
)
def test_one_bad_item_is_reported_with_its_index_and_nothing_changes(
    seller, ten_products, other_brand_owner, stock_calls, django_capture_on_commit_callbacks,
    bad_item, field, code,
):
    factories.ProductFactory(asin="B0RV000001", brand=other_brand_owner.brand, quantity=5)
    before = quantities()
    body = [{"asin": p.asin, "quantity": 50} for p in ten_products[2:]]
    body.insert(3, bad_item)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(seller, body)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(e["index"], e["field"], e["code"]) for e in errors] == [(3, field, code)]
    assert response.json()["error"]["code"] == "invalid_inventory"
    assert quantities() == before
    assert stock_calls == []


def test_every_bad_item_is_listed_in_index_order(seller, ten_products, other_brand_owner):
    factories.ProductFactory(asin="B0RV000001", brand=other_brand_owner.brand)
    before = quantities()
    response = post(seller, [
        {"asin": "B0RV000001", "quantity": 1},
        {"asin": "B0AC000001", "quantity": 1},
        {"asin": "nope", "quantity": -4},
        {"asin": "B0AC000001", "quantity": 2},
        "B0AC000002",
    ])
    assert response.status_code == 400
    assert [(e["index"], e["field"], e["code"]) for e in response.json()["errors"]] == [
        (0, "asin", "not_your_product"),
        (2, "asin", "invalid_asin"),
        (2, "quantity", "invalid_quantity"),
        (3, "asin", "duplicate_asin"),
        (4, None, "not_an_object"),
    ]
    assert quantities() == before


def test_a_body_that_is_not_a_list_is_refused(seller, ten_products):
    response = post(seller, {"asin": "B0AC000001", "quantity": 1})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "not_a_list"
    assert Product.objects.get(asin="B0AC000001").quantity == 5


def test_more_than_the_limit_of_items_is_refused(seller, ten_products, settings):
    body = [{"asin": "B0AC000001", "quantity": 1}] * (services.INVENTORY_MAX_ITEMS + 1)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = None
    response = post(seller, body)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "too_many_items"
    assert Product.objects.get(asin="B0AC000001").quantity == 5


def test_anonymous_callers_cannot_change_stock(ten_products):
    response = post(None, [{"asin": "B0AC000001", "quantity": 1}])
    assert response.status_code == 403
    assert Product.objects.get(asin="B0AC000001").quantity == 5


def test_an_empty_list_updates_nothing(seller):
    assert post(seller, []).json() == {"updated": 0}


def test_a_thousand_items_cost_a_fixed_number_of_queries(seller, django_assert_num_queries):
    products = factories.ProductFactory.create_batch(1000, brand=seller.brand, quantity=1)
    body = [{"asin": p.asin, "quantity": 7} for p in products]
    client = APIClient()
    client.force_authenticate(seller.user)
    # brands, lock+lookup, one UPDATE (chunks of 2,000), the brand's stock version (in
    # the same transaction), plus the savepoint pair.
    with django_assert_num_queries(6):
        response = client.post(URL, body, format="json")
    assert response.json() == {"updated": 1000}
    assert set(Product.objects.values_list("quantity", flat=True)) == {7}


def test_stock_set_changes_one_product_and_tells_live_stock(seller, stock_calls,
                                                            django_capture_on_commit_callbacks):
    product = factories.ProductFactory(brand=seller.brand, quantity=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.stock_set(product=product, quantity=0)
    product.refresh_from_db()
    assert (product.quantity, product.in_stock) == (0, False)
    assert stock_calls == [[product.pk]]


def test_stock_set_refuses_a_negative_quantity(seller):
    product = factories.ProductFactory(brand=seller.brand, quantity=2)
    with pytest.raises(services.StockInvalid):
        services.stock_set(product=product, quantity=-3)
    product.refresh_from_db()
    assert product.quantity == 2
