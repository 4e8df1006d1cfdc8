"""Page-view capture for insights, called by the shopper page view (off the hot path).

`page_view_record` only decides whether a view counts, classifies it and appends it to a
in-process buffer; nothing touches the database or Redis on the request path. The buffer
is flushed once it holds INSIGHTS_BUFFER_SIZE views or its oldest is INSIGHTS_FLUSH_SECONDS
old, by a background flusher thread (INSIGHTS_FLUSH_THREAD; off: in the thread of the
request that finds it due), and at process exit:
- with REDIS_URL: batched RPUSHes of small JSON records onto a Redis list, which the
  Celery beat task `insights.events_drain` moves into the database and the rollups;
- embedded (no Redis): straight into the database, folded into the rollups in the same
  transaction (`services.page_views_ingest`).

Who counts: not bots (user-agent patterns, or no user agent), not previews, not staff or
superusers (moderators are staff). The visitor is the `sf_vid` cookie; a browser that sent
none also gets a device hash (keyed hash of IP + user agent + UTC day) so that the views of
a browser refusing cookies count as one visitor per day.

Source: the `channel` query parameter (lower-cased, letters/digits/`-_.` only, at most
40 characters), else the referrer's kind: `direct` (no referrer), `search`, `social`,
`external`. A referrer on this site inside the same Store is internal navigation: the
view keeps the visitor's previous source of that day (`direct` if none).
"""
from __future__ import annotations

import atexit
import hashlib
import hmac
import json
import logging
import re
import threading
import time
from datetime import UTC, datetime
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.signals import request_finished
from django.utils import timezone

logger = logging.getLogger(__name__)

REDIS_KEY = "insights:pageviews"
MAX_TAG_LENGTH = 40
MAX_ID_LENGTH = 64
INTERNAL = ""  # source of internal navigation, resolved by the rollup

# Lower-case substrings of known crawlers, link previewers and scripted clients.
BOT_TOKENS = ("bot", "crawl", "spider", "slurp", "scrape", "fetch", "preview", "headless",
              "phantom", "lighthouse", "monitor", "pingdom", "facebookexternalhit",
              "embedly", "curl", "wget", "python-", "httpx", "aiohttp", "okhttp", "java/",
              "go-http", "libwww", "axios", "node-fetch", "postman", "insomnia")
SEARCH_HOSTS = ("google.", "bing.", "duckduckgo.", "yahoo.", "yandex.", "baidu.",
                "ecosia.", "qwant.", "startpage.", "search.brave.")
SOCIAL_HOSTS = ("facebook.", "fb.", "instagram.", "t.co", "twitter.", "x.com",
                "pinterest.", "linkedin.", "lnkd.in", "reddit.", "tiktok.", "youtube.",
                "youtu.be", "snapchat.", "whatsapp.", "telegram.", "threads.net", "tumblr.")
TAG_DISALLOWED = re.compile(r"[^a-z0-9._-]+")
KINDS = ("direct", "search", "social", "external")


@lru_cache(maxsize=4096)
def is_bot(user_agent: str) -> bool:
    """Known crawlers, link previewers and scripted clients; an empty user agent too.
    (Cached: the same few thousand user agents come back all day.)"""
    agent = user_agent.strip().lower()
    return not agent or any(token in agent for token in BOT_TOKENS)


def normalise_tag(value: str) -> str:
    """A channel tag as stored: lower case, spaces to '-', only [a-z0-9._-], <= 40 chars."""
    tag = TAG_DISALLOWED.sub("-", value.strip().lower().replace(" ", "-")).strip("-.")
    return tag[:MAX_TAG_LENGTH].strip("-.")


def _host_matches(host: str, patterns: tuple[str, ...]) -> bool:
    labels = host.removeprefix("www.").removeprefix("m.")
    return any(
        labels.startswith(p) or f".{p}" in f".{labels}" or labels == p.rstrip(".")
        for p in patterns
    )


def source_for(*, request, store) -> str:
    """The view's traffic source (see the module docstring); "" for internal navigation."""
    query = request.META.get("QUERY_STRING", "")
    # Parse the query only when it can hold a channel (most views have none).
    channel = normalise_tag(request.GET.get("channel", "")) if "channel=" in query else ""
    if channel:
        return channel
    referrer = request.META.get("HTTP_REFERER", "")
    if not referrer:
        return "direct"
    try:
        parts = urlsplit(referrer)
        host = (parts.hostname or "").lower()
    except ValueError:
        return "external"
    if not host:
        return "direct"
    own_host = request.META.get("HTTP_HOST") or request.META.get("SERVER_NAME", "")
    if host == own_host.split(":")[0].lower():
        if parts.path.startswith(f"/stores/{store.slug}/"):
            return INTERNAL
        return "external"
    if _host_matches(host, SEARCH_HOSTS):
        return "search"
    if _host_matches(host, SOCIAL_HOSTS):
        return "social"
    return "external"


def device_hash_for(*, request, at: datetime) -> str:
    """Keyed hash of client IP + user agent + UTC day: not reversible, changes daily."""
    ip = request.META.get("REMOTE_ADDR", "")
    agent = request.META.get("HTTP_USER_AGENT", "")
    message = f"{ip}|{agent}|{at.astimezone(UTC).date().isoformat()}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:32]


def _now() -> datetime:
    return timezone.now()


def _is_staff(request) -> bool:
    # Only look at the user when a session cookie came: no query for anonymous shoppers.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and (user.is_staff or user.is_superuser))


def page_view_record(*, request, store, page_key: str, cookie_visitor_id: str | None,
                     new_visitor_id: str | None, preview: bool = False) -> bool:
    """Record one shopper page view. `cookie_visitor_id` is the sf_vid the browser sent
    (None when it sent none); `new_visitor_id` the id the response is setting, if any.

    Returns whether the view was counted. Never raises: insights must not break a page.
    """
    if preview or not getattr(settings, "INSIGHTS_CAPTURE_ENABLED", True):
        return False
    try:
        if is_bot(request.META.get("HTTP_USER_AGENT", "")) or _is_staff(request):
            return False
        visitor_id = (cookie_visitor_id or new_visitor_id or "")[:MAX_ID_LENGTH]
        now = _now()
        device_hash = "" if cookie_visitor_id else device_hash_for(request=request, at=now)
        if not visitor_id:
            visitor_id = f"d-{device_hash}"
        record = (store.pk, str(page_key)[:64], visitor_id, device_hash,
                  source_for(request=request, store=store), now.timestamp())
        buffer_append(record)
        return True
    except Exception:  # a broken analytics backend must not break shopping
        logger.exception("insights: page view not recorded")
        return False


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


__all__ = ["KINDS", "page_view_record", "flush", "normalise_tag", "is_bot"]
