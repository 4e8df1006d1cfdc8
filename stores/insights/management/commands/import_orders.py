"""manage.py import_orders FILE.csv — the order feed from a CSV file.

Columns (header row): visitor_id, asin, units, amount, ordered_at and optionally
order_id. All rows are validated first; on any error nothing is recorded and every
error is printed with its line number.
"""
from __future__ import annotations

import csv

from django.core.management.base import BaseCommand, CommandError

from stores.insights.api import orders_validate
from stores.insights.services import OrdersInvalid, orders_record

COLUMNS = ("visitor_id", "asin", "units", "amount", "ordered_at")


class Command(BaseCommand):
    help = "Record marketplace orders from a CSV file, for insights attribution."

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV file with a header row")

    def handle(self, *args, path: str, **options):
        try:
            with open(path, newline="", encoding="utf-8-sig") as handle:
                reader = csv.DictReader(handle)
                missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
                if missing:
                    raise CommandError(f"Missing columns: {', '.join(missing)}")
                rows = [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        try:
            result = orders_record(items=orders_validate(rows))
        except OrdersInvalid as exc:
            lines = [f"line {e['index'] + 2}: {e['field']}: {e['message']}"
                     if e.get("index") is not None else e["message"]
                     for e in exc.details or []]
            raise CommandError("No order recorded.\n" + "\n".join(lines)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"{result.created} orders recorded, {result.duplicates} already known "
            f"(of {result.received})."
        ))
