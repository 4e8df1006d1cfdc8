"""Live stock: the one read path shopper pages use, and the hook every stock write calls.

Every write of Product.quantity or Product.is_active must call `stock_changed(ids)`
after it commits, so that cached stock is refreshed on the very next page view.
"""
from __future__ import annotations

from collections.abc import Iterable

from .models import Product


def stock_changed(product_ids: Iterable[int]) -> None:
    """Called after stock of these products changed (after commit)."""


def stock_levels(product_ids: Iterable[int]) -> dict[int, tuple[bool, int]]:
    """{product id: (is_active, quantity)} for the given products, as of now."""
    return {
        pk: (is_active, quantity)
        for pk, is_active, quantity in Product.objects.filter(pk__in=list(product_ids))
        .values_list("pk", "is_active", "quantity")
    }
