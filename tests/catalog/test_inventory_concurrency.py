"""Concurrent bulk stock updates on PostgreSQL: row locks in id order, no deadlock."""
from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from catalog import services
from catalog.models import Product
from tests import factories


@pytest.mark.django_db(transaction=True)
def test_two_overlapping_bulk_updates_in_opposite_order_both_apply_whole(seller):
    if connection.vendor != "postgresql":
        pytest.skip("row locking is exercised on PostgreSQL")
    products = factories.ProductFactory.create_batch(300, brand=seller.brand, quantity=1)
    forward = [{"asin": p.asin, "quantity": 10} for p in products]
    backward = [{"asin": p.asin, "quantity": 20} for p in reversed(products)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def update(items):
        try:
            barrier.wait()
            for _ in range(3):
                services.inventory_bulk_update(user=seller.user, items=items)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=update, args=(items,)) for items in (forward, backward)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    # Each call applies whole: every product ends with the value of the last writer.
    assert Product.objects.values_list("quantity", flat=True).distinct().count() == 1
