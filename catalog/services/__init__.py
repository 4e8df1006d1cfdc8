"""Writes to the catalogue: stock writes (`inventory`), marketplace prices (`prices`) and CSV
imports (`imports`)."""
from __future__ import annotations

from catalog import stock

from .imports import (
    CATALOG_COLUMNS,
    INVENTORY_COLUMNS,
    BadRow,
    ImportRefused,
    ImportResult,
    catalog_import,
    catalog_statistics_refresh,
    inventory_import,
)
from .inventory import (
    INVENTORY_MAX_ITEMS,
    QUANTITY_MAX,
    SALES_WINDOW_DAYS,
    InventoryInvalid,
    StockInvalid,
    _quantities_write,
    inventory_bulk_update,
    product_cards_changed,
    sales_rank_refresh,
    stock_set,
)
from .prices import product_price_remove, product_price_set, product_prices_removed

__all__ = [
    "CATALOG_COLUMNS", "INVENTORY_COLUMNS", "INVENTORY_MAX_ITEMS", "QUANTITY_MAX",
    "SALES_WINDOW_DAYS", "BadRow", "ImportRefused", "ImportResult", "InventoryInvalid",
    "StockInvalid", "_quantities_write", "catalog_import", "catalog_statistics_refresh",
    "inventory_bulk_update",
    "inventory_import", "product_cards_changed", "product_price_remove", "product_price_set",
    "product_prices_removed", "sales_rank_refresh", "stock", "stock_set",
]
