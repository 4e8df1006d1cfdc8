"""`manage.py moderation_simulate`: a simulated week of moderation at 1x and 2x normal load,
with and without triage (see moderation.simulation). Each scenario runs in a process of its
own on a throwaway database (moderation.simulation_runs), never on the data of the site."""
from __future__ import annotations

import os
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
        parser.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1),
                            help="Scenarios run side by side (default: the cores, up to 4).")
        parser.add_argument("--database", choices=["memory", "configured"], default="memory",
                            help="memory (default): an in-memory SQLite database per "
                                 "scenario; configured: a scratch copy of the configured "
                                 "database (PostgreSQL is several times slower).")
        parser.add_argument("--in-place", action="store_true",
                            help="Use the configured database as it is (a scratch one), "
                                 "one scenario after the other in this process.")

    def handle(self, *args, **options):
        from moderation.simulation import simulate, table
        from moderation.simulation_runs import run_scenarios

        loads = [float(x) for x in options["loads"].split(",") if x.strip()]
        modes = {"both": [False, True], "on": [True], "off": [False]}[options["triage"]]
        scenarios = [(load, triage) for load in loads for triage in modes]
        started = time.monotonic()

        def report(result, seconds):
            self.stderr.write(f"{result.label}: {seconds:.0f} s")

        if options["in_place"]:
            results = []
            for load, triage in scenarios:
                begun = time.monotonic()
                results.append(simulate(load=load, triage=triage, seed=options["seed"]))
                report(results[-1], time.monotonic() - begun)
        else:
            connection.close()
            results = [result for result, _seconds in run_scenarios(
                scenarios, seed=options["seed"], jobs=options["jobs"],
                database=options["database"], report=report)]
        self.stdout.write(table(results))
        self.stderr.write(f"{len(scenarios)} scenarios in {time.monotonic() - started:.0f} s")
