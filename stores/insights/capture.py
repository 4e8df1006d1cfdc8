"""Page-view capture for insights, called by the shopper page view (off the hot path).

`page_view_record` only decides whether a view counts, classifies it (`classify`) and
appends it to the process's buffer (`transport`, which hands it on in the background);
nothing touches the database or Redis on the request path.

Who counts: not bots (user-agent patterns, or no user agent), not previews, not staff or
superusers (moderators are staff), and not past the per-visitor and per-address rates.
The visitor is the `sf_vid` cookie; a browser that sent none also gets a device hash
(keyed hash of IP + user agent + UTC day) so that the views of a browser refusing cookies
count as one visitor per day.
"""
from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from .classify import (
    INTERNAL,
    KINDS,
    MAX_ID_LENGTH,
    device_hash_for,
    is_bot,
    normalise_tag,
    source_for,
)
from .transport import REDIS_KEY, buffer_append, buffer_take, flush, parse_record

logger = logging.getLogger(__name__)


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
        if not capture_allowed(request=request, visitor_id=visitor_id):
            return False
        record = (store.pk, str(page_key)[:64], visitor_id, device_hash,
                  source_for(request=request, store=store), now.timestamp())
        buffer_append(record)
        return True
    except Exception:  # a broken analytics backend must not break shopping
        logger.exception("insights: page view not recorded")
        return False


# --- inflation guard ---------------------------------------------------------------------

# In process memory, so capture still touches neither Redis nor the database per view.
_throttle_cache = None


def capture_allowed(*, request, visitor_id: str) -> bool:
    """Whether this view may count: at most INSIGHTS_CAPTURE rates per visitor and per
    client address (a script inventing visitors or source tags soon stops counting; the
    page itself is always served)."""
    global _throttle_cache
    from config.throttles import KeyedRateThrottle

    if _throttle_cache is None:
        from django.core.cache.backends.locmem import LocMemCache

        _throttle_cache = LocMemCache("insights-capture", {"OPTIONS": {"MAX_ENTRIES": 50_000}})
    by_visitor = KeyedRateThrottle("insights_capture", key=lambda _: visitor_id,
                                   cache=_throttle_cache)
    by_address = KeyedRateThrottle("insights_capture_address", cache=_throttle_cache)
    return by_visitor.allow_request(request, None) and by_address.allow_request(request, None)


def capture_throttle_reset() -> None:
    if _throttle_cache is not None:
        _throttle_cache.clear()


__all__ = ["INTERNAL", "KINDS", "REDIS_KEY", "buffer_take", "flush", "is_bot",
           "normalise_tag", "page_view_record", "parse_record"]
