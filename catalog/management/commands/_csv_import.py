"""Shared shape of the CSV import commands: read, show progress, call a service, report."""
from __future__ import annotations

import csv
from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from catalog.services import ImportRefused, ImportResult


class CsvImportCommand(BaseCommand):
    columns: tuple[str, ...] = ()
    service: Callable[..., ImportResult]

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file, UTF-8, with a header row")
        parser.add_argument(
            "--skip-bad-rows",
            action="store_true",
            help="apply the good rows even when some rows are bad (they are reported)",
        )

    def handle(self, *args, file: str, skip_bad_rows: bool, **options):
        try:
            with open(file, newline="", encoding="utf-8-sig") as handle:
                total = max(sum(1 for _ in handle) - 1, 0)
                handle.seek(0)
                reader = csv.DictReader(handle)
                rows = tqdm(reader, total=total, unit="row", desc="reading",
                            file=self.stderr, disable=options["verbosity"] == 0)
                result = type(self).service(
                    rows=rows, fieldnames=reader.fieldnames, skip_bad_rows=skip_bad_rows
                )
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        except (UnicodeDecodeError, csv.Error) as exc:
            raise CommandError(f"{file} is not a readable UTF-8 CSV file: {exc}") from exc
        except ImportRefused as exc:
            for bad in exc.details or []:
                self.stderr.write(f"row {bad['row']}: {bad['reason']}")
            raise CommandError(f"{exc.message} Fix the rows or pass --skip-bad-rows.") from exc
        for bad in result.bad_rows:
            self.stderr.write(f"row {bad.row}: {bad.reason} (skipped)")
        self.stdout.write(self.style.SUCCESS(
            f"created {result.created}, updated {result.updated}, "
            f"unchanged {result.unchanged}, bad {result.bad}"
        ))
