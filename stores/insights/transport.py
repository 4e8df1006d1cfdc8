"""The page-view buffer of a process and how it is handed on.

The buffer is flushed once it holds INSIGHTS_BUFFER_SIZE views or its oldest is
INSIGHTS_FLUSH_SECONDS old, by a background flusher thread (INSIGHTS_FLUSH_THREAD; off: in
the thread of the request that finds it due), and at process exit:
- with REDIS_URL: batched RPUSHes of small JSON records onto a Redis list, which the
  Celery beat task `insights.events_drain` moves into the database and the rollups;
- embedded (no Redis): straight into the database, folded into the rollups in the same
  transaction (`services.page_views_ingest`).
"""
from __future__ import annotations

import atexit
import json
import logging
import threading
import time

from django.conf import settings
from django.core.signals import request_finished

logger = logging.getLogger(__name__)

REDIS_KEY = "insights:pageviews"

# --- the buffer ------------------------------------------------------------------------

_lock = threading.Lock()
_buffer: list[tuple] = []
_oldest: float | None = None
_redis_client = None


def _redis():
    global _redis_client
    if _redis_client is None:
        import redis

        _redis_client = redis.Redis.from_url(settings.REDIS_URL)
    return _redis_client


def buffer_append(record: tuple) -> None:
    global _oldest
    with _lock:
        if not _buffer:
            _oldest = time.monotonic()
        _buffer.append(record)


def buffer_take() -> list[tuple]:
    """Everything buffered in this process (and empties the buffer)."""
    global _buffer, _oldest
    with _lock:
        taken, _buffer, _oldest = _buffer, [], None
    return taken


def buffer_due() -> bool:
    """Whether the buffer holds INSIGHTS_BUFFER_SIZE views or its oldest is
    INSIGHTS_FLUSH_SECONDS old."""
    with _lock:
        return bool(_buffer) and (
            len(_buffer) >= settings.INSIGHTS_BUFFER_SIZE
            or time.monotonic() - (_oldest or 0) >= settings.INSIGHTS_FLUSH_SECONDS)


def flush() -> int:
    """Hand this process's buffered views on: with REDIS_URL, one RPUSH per 1,000 for the
    drain task; embedded, straight into the database and the rollups. Returns the count."""
    records = buffer_take()
    if not records:
        return 0
    if settings.REDIS_URL:
        client = _redis()
        for start in range(0, len(records), 1000):
            client.rpush(REDIS_KEY, *(json.dumps(r) for r in records[start:start + 1000]))
        return len(records)
    from .services import page_views_ingest

    return page_views_ingest(records=records)


_due = threading.Event()
_flusher: threading.Thread | None = None
flusher_runs = 0  # completed flushes of the flusher thread (tests wait on it)


def _flusher_loop() -> None:
    global flusher_runs
    from django.db import close_old_connections, connections

    while True:
        # Woken by a request that found the buffer due, or by the clock, so that the
        # last views of a quiet spell do not wait for the next shopper.
        _due.wait(timeout=settings.INSIGHTS_FLUSH_SECONDS)
        _due.clear()
        if not buffer_due():
            with _lock:
                idle = not _buffer
            if idle:  # a quiet process holds no database connection for its flusher
                connections.close_all()
            continue
        try:
            flush()
        except Exception:
            logger.exception("insights: buffered page views not written")
        finally:
            # Keep this thread's connection (and SQLite's page cache) between flushes,
            # unless it broke or outlived CONN_MAX_AGE, as a request would.
            close_old_connections()
            flusher_runs += 1


def _flush_when_due(**kwargs) -> None:
    """After each response: when the buffer is due, flush it — in the background flusher
    thread (INSIGHTS_FLUSH_THREAD, the default) or right here."""
    global _flusher
    if not buffer_due():
        return
    if getattr(settings, "INSIGHTS_FLUSH_THREAD", True):
        with _lock:
            if _flusher is None or not _flusher.is_alive():
                _flusher = threading.Thread(target=_flusher_loop, name="insights-flusher",
                                            daemon=True)
                _flusher.start()
        _due.set()
        return
    try:
        flush()
    except Exception:
        logger.exception("insights: buffered page views not written")


def _flush_at_exit() -> None:
    try:
        flush()
    except Exception:
        logger.exception("insights: buffered page views lost at exit")


def connect() -> None:
    """Flush after responses when due, and at exit (wired once, in InsightsConfig.ready)."""
    request_finished.connect(_flush_when_due, dispatch_uid="insights-flush-when-due")
    atexit.register(_flush_at_exit)


def parse_record(raw) -> tuple:
    """A record as pushed to Redis (JSON) or buffered (tuple)."""
    if isinstance(raw, bytes | str):
        raw = json.loads(raw)
    return tuple(raw)
