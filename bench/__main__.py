"""`make bench`: runs every benchmark module in bench/ and prints one table.

Each module `bench/bench_*.py` has `run() -> list[Row]`; figures are ratios against a
baseline measured in the same run, because these machines are noisy.
"""
from __future__ import annotations

import importlib
import os
import pkgutil
import secrets
import sys
import tempfile
from pathlib import Path

import django


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Benchmark servers run with DEBUG off, which needs a real key: one per run.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    # One client drives every benchmark: per-client limits would cut the work measured.
    for scope in ("THROTTLE_INSIGHTS_CAPTURE", "THROTTLE_INSIGHTS_ADDRESS", "THROTTLE_ANON",
                  "THROTTLE_USER", "THROTTLE_PREVIEW_VIEW"):
        os.environ.setdefault(scope, "")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    django.setup()
    from django.conf import settings
    from django.db import connection

    from bench.common import print_table

    # A scratch database of its own; SQLite on a file so gunicorn workers can share it.
    if connection.vendor == "sqlite":
        scratch = Path(tempfile.gettempdir()) / f"storefront-bench-{os.getpid()}.sqlite3"
        settings.DATABASES["default"]["TEST"]["NAME"] = str(scratch)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    os.environ["BENCH_DATABASE_NAME"] = connection.settings_dict["NAME"]

    rows = []
    only = sys.argv[1:]
    for module_info in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]),
                              key=lambda m: m.name):
        if not module_info.name.startswith("bench_"):
            continue
        if only and module_info.name not in only:
            continue
        module = importlib.import_module(f"bench.{module_info.name}")
        print(f"running {module_info.name}…", flush=True)
        rows.extend(module.run())
    connection.creation.destroy_test_db(old_name, verbosity=0)
    print_table(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
