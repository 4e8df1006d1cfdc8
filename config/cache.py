"""The shared cache as the site uses it: an optimisation, never a reason for an error page.

Everything the site keeps in Django's cache can be rebuilt (rendition manifests from
disk, compiled pages by compiling, throttle counts start over), so while Redis is
unreachable a read is a miss and a write is dropped, logged at most once a second per
process. Other Redis errors (a wrong type, a script error) still raise: they are bugs.
"""
from __future__ import annotations

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
_last_warning = [0.0]


def _unreachable(operation: str, exc: Exception) -> None:
    now = time.monotonic()
    if now - _last_warning[0] >= 1.0:
        _last_warning[0] = now
        logger.warning("cache unreachable, %s skipped: %s", operation, exc)


def _tolerant(name: str, on_outage):
    """RedisCache's method `name`, answering `on_outage(*args)` while Redis is unreachable."""
    parent = getattr(RedisCache, name)

    @functools.wraps(parent)
    def method(self, *args, **kwargs):
        try:
            return parent(self, *args, **kwargs)
        except UNREACHABLE as exc:
            _unreachable(name, exc)
            return on_outage(*args, **kwargs)

    return method


def _missing(key, default=None, version=None):
    return default


def _nothing(*args, **kwargs):
    return None


def _no(*args, **kwargs):
    return False


class OutageTolerantRedisCache(RedisCache):
    """Django's Redis cache, where an unreachable Redis is a miss and a dropped write."""

    get = _tolerant("get", _missing)
    get_many = _tolerant("get_many", lambda keys, version=None: {})
    has_key = _tolerant("has_key", _no)
    set = _tolerant("set", _nothing)
    set_many = _tolerant("set_many", lambda data, *args, **kwargs: list(data))  # not stored
    add = _tolerant("add", _no)
    touch = _tolerant("touch", _no)
    delete = _tolerant("delete", _no)
    delete_many = _tolerant("delete_many", _nothing)
