"""The periodic moderation work when no Celery beat runs (the embedded default, no Redis).

Deadlines, leases and stuck checks live in the database, so something must look at them
regularly: with Redis, Celery beat enqueues the tasks (settings.CELERY_BEAT_SCHEDULE);
without it, `start_embedded()` — called by config.wsgi, so only a web server process runs
it, never a management command or a test — starts one daemon thread that runs the same
services every MODERATION_SCHEDULER_SECONDS. With several web processes on one host only
the one holding the lock file in STOREFRONT_STATE_DIR runs it; the sweeps lock their rows
with SKIP LOCKED and record each mark once, so a second runner would do no harm anyway.
"""
from __future__ import annotations

import logging
import tempfile
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections

logger = logging.getLogger(__name__)
FORECAST_EVERY = 15  # ticks
_started = threading.Event()
_lock_file = None  # kept open (and locked) for the life of the process


def run_once(*, tick: int = 0, manage_connections: bool = True) -> None:
    """One round of every sweep; a failing sweep is logged and the others still run.
    The thread owns its database connection: it drops stale ones between sweeps."""
    from . import services

    jobs = [services.submission_leases_expire, services.submission_stuck_checks_requeue,
            services.submission_sla_sweep]
    if tick % FORECAST_EVERY == 0:
        jobs.append(services.forecast_check)
    for job in jobs:
        if manage_connections:
            close_old_connections()
        try:
            job()
        except Exception:
            logger.exception("Moderation sweep %s failed", job.__name__)
    if manage_connections:
        close_old_connections()


def _take_host_lock() -> bool:
    global _lock_file
    try:
        import fcntl
    except ImportError:  # no flock on this platform: run in every process
        return True
    folder = Path(settings.STOREFRONT_STATE_DIR or tempfile.gettempdir())
    folder.mkdir(parents=True, exist_ok=True)
    handle = (folder / "storefront-moderation-scheduler.lock").open("a")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return False
    _lock_file = handle
    return True


def _loop() -> None:
    tick = 0
    while True:
        run_once(tick=tick)
        tick += 1
        time.sleep(settings.MODERATION_SCHEDULER_SECONDS)


def start_embedded() -> bool:
    """Start the scheduler thread once per process when configured; True when started."""
    if not settings.MODERATION_EMBEDDED_SCHEDULER or _started.is_set():
        return False
    if not _take_host_lock():
        return False
    _started.set()
    threading.Thread(target=_loop, name="moderation-scheduler", daemon=True).start()
    return True
