"""Marketplace prices: a product's price in a marketplace other than its own currency's.

A marketplace price is what a Store of that marketplace shows on the product's cards and
ranks it by, so every write goes through here and bumps the product's data version in
the same transaction (`catalog.stock.product_data_changed`): live Store pages show the
new price on the very next view.
"""
from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction

from catalog import stock
from catalog.models import Product, ProductPrice


def product_price_set(*, product: Product, marketplace: str, price: Decimal) -> ProductPrice:
    """Sets (creates or replaces) the product's price in `marketplace`, in that
    marketplace's currency (a negative price is refused by the database's constraint)."""
    with transaction.atomic():
        row, _ = ProductPrice.objects.update_or_create(
            product=product, marketplace_id=marketplace, defaults={"price": price})
        stock.product_data_changed([product.pk], brand_ids=[product.brand_id])
    return row


def product_prices_removed(*, product_ids: Iterable[int],
                           brand_ids: Iterable[int] | None = None) -> None:
    """In the transaction that deleted marketplace prices of these products (or right
    after): their cards change (a product without a price there leaves that marketplace's
    Stores)."""
    stock.product_data_changed(list(product_ids), brand_ids=brand_ids)


def product_price_remove(*, product: Product, marketplace: str) -> int:
    """Removes the product's price in `marketplace`; returns how many rows went (0 or 1)."""
    with transaction.atomic():
        deleted, _ = ProductPrice.objects.filter(product=product,
                                                 marketplace_id=marketplace).delete()
        if deleted:
            product_prices_removed(product_ids=[product.pk], brand_ids=[product.brand_id])
    return deleted
