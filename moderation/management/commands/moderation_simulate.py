"""`manage.py moderation_simulate`: a simulated week of moderation at 1x and 2x normal load,
with and without triage (see moderation.simulation). Runs on a scratch copy of the
database (created and dropped here), never on the data of the site."""
from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    help = "Simulate a week of moderation against the real services and print the figures."

    def add_arguments(self, parser):
        parser.add_argument("--loads", default="1,2",
                            help="Comma-separated multiples of normal load (default 1,2).")
        parser.add_argument("--triage", choices=["both", "on", "off"], default="both")
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--in-place", action="store_true",
                            help="Use the configured database as it is (a scratch one).")

    def handle(self, *args, **options):
        from moderation.simulation import simulate, table

        loads = [float(x) for x in options["loads"].split(",") if x.strip()]
        modes = {"both": [False, True], "on": [True], "off": [False]}[options["triage"]]
        old_name = None
        if not options["in_place"]:
            old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True,
                                                          keepdb=False)
        try:
            results = []
            for load in loads:
                for triage in modes:
                    started = time.monotonic()
                    results.append(simulate(load=load, triage=triage, seed=options["seed"]))
                    self.stderr.write(f"{results[-1].label}: {time.monotonic() - started:.0f} s")
            self.stdout.write(table(results))
        finally:
            if old_name is not None:
                connection.creation.destroy_test_db(old_name, verbosity=0)
