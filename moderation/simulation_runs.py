"""Running simulated weeks (moderation.simulation) side by side: one process per scenario,
each on a throwaway database of its own, so four scenarios take the time of two on two cores.

By default each process runs embedded: an in-memory SQLite database and Celery tasks in
process (no broker), which is the product's own no-environment mode; every step still goes
through the real services. `database="configured"` uses a scratch copy of the configured
database instead (PostgreSQL: several times slower, see the README).

Nothing here imports Django models at module level: a spawned process loads this module
before Django is set up.
"""
from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor

MEMORY = "memory"
CONFIGURED = "configured"


def _start(database: str) -> None:
    if database == MEMORY:
        os.environ["DATABASE_URL"] = "sqlite://:memory:"
        # Without a broker tasks run in process, as in the embedded default: a worker
        # reading another database must not get them.
        os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _one(load: float, triage: bool, seed: int, index: int):
    from django.db import connection

    from .simulation import simulate

    if connection.vendor != "sqlite":  # one scratch database per process
        name = connection.settings_dict["NAME"]
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"test_{name}_sim{index}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True,
                                                  keepdb=False)
    try:
        started = time.monotonic()
        result = simulate(load=load, triage=triage, seed=seed)
        return result, time.monotonic() - started
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run_scenarios(scenarios: list[tuple[float, bool]], *, seed: int = 7, jobs: int = 2,
                  database: str = MEMORY, report=None) -> list:
    """[(Result, wall seconds)] for each (load, triage), in the order given. `report` is
    called with each (Result, seconds) in that order, as soon as it is known."""
    context = multiprocessing.get_context("spawn")  # no forked database connections
    with ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=context,
                             initializer=_start, initargs=(database,)) as pool:
        futures = [pool.submit(_one, load, triage, seed, index)
                   for index, (load, triage) in enumerate(scenarios)]
        results = []
        for future in futures:
            results.append(future.result())
            if report is not None:
                report(*results[-1])
        return results
