"""manage.py import_inventory FILE.csv [--skip-bad-rows]

Columns: `asin` (an existing product) and `quantity` (whole number >= 0). Row numbers
count the header as row 1. Any bad row (unknown ASIN, bad quantity, ASIN repeated):
nothing changes, unless --skip-bad-rows. Prints updated/unchanged/bad; live Stores see
the new stock at once.
"""
from __future__ import annotations

from catalog import services

from ._csv_import import CsvImportCommand


class Command(CsvImportCommand):
    help = "Set stock from a CSV file (columns: asin,quantity)."
    service = staticmethod(services.inventory_import)
