"""sales_rank_refresh: units sold over the last 30 days, for ranking best sellers."""
from __future__ import annotations

from datetime import date, timedelta

from catalog.models import Product
from catalog.services import sales_rank_refresh
from tests import factories

TODAY = date(2026, 11, 26)


def test_units_of_the_last_30_days_are_summed_and_older_sales_ignored(seller):
    tent = factories.ProductFactory(brand=seller.brand)
    mug = factories.ProductFactory(brand=seller.brand)
    unsold = factories.ProductFactory(brand=seller.brand, units_sold_30d=99)
    for days_ago, units in [(0, 5), (29, 7), (30, 100), (45, 100)]:
        factories.SalesRecordFactory(product=tent, day=TODAY - timedelta(days=days_ago),
                                     units=units)
    factories.SalesRecordFactory(product=mug, day=TODAY - timedelta(days=3), units=40)
    factories.SalesRecordFactory(product=mug, day=TODAY + timedelta(days=1), units=1000)

    assert sales_rank_refresh(today=TODAY) == 3

    assert dict(Product.objects.values_list("pk", "units_sold_30d")) == {
        tent.pk: 12, mug.pk: 40, unsold.pk: 0}


def test_the_refresh_is_a_fixed_number_of_queries_and_marks_the_moved_products(
        seller, django_assert_num_queries):
    for _ in range(5):
        factories.SalesRecordFactory(product=factories.ProductFactory(brand=seller.brand),
                                     day=TODAY)
    version = seller.brand.catalog_version
    # What moved, the update, the brands' catalogue version, the moved products' stamp,
    # plus the savepoint pair.
    with django_assert_num_queries(7):
        sales_rank_refresh(today=TODAY)
    assert set(Product.objects.values_list("units_sold_30d", flat=True)) == {3}
    seller.brand.refresh_from_db()
    assert seller.brand.catalog_version == version + 1
    assert set(Product.objects.values_list("data_version", flat=True)) == {version + 1}
