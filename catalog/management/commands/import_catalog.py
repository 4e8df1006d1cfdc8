"""manage.py import_catalog FILE.csv [--skip-bad-rows]

Columns (header row required; `asin`, `brand`, `title`, `price` must be present):
  asin           10 capital letters or digits; creates the product or updates it
  brand          slug of an existing brand
  title          up to 300 characters
  category       category name (created when new); empty for none
  price          e.g. 19.90 (0 or more, 2 decimals at most)
  currency       3-letter code, default EUR
  is_prime       true/false/yes/no/1/0, default false
  rating         0 to 5, 1 decimal, default 0
  review_count   whole number, default 0
  quantity       stock, whole number >= 0, default 0
  bullet_points  separated by "|"
  description    free text
  is_active      true/false, default true
Row numbers count the header as row 1. Any bad row: nothing changes (unless
--skip-bad-rows). Prints created/updated/unchanged/bad.
"""
from __future__ import annotations

from catalog import services

from ._csv_import import CsvImportCommand


class Command(CsvImportCommand):
    help = ("Create or update products from a CSV file (columns: "
            + ",".join(services.CATALOG_COLUMNS) + ").")
    service = staticmethod(services.catalog_import)
