"""DRF's throttles, made safe for a cache outage and usable by plain Django views.

A throttle whose cache is unreachable lets the request through: a Redis outage may cost
protection for a while, never the site itself.
"""
from __future__ import annotations

import logging
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from rest_framework import throttling
from rest_framework.settings import api_settings

logger = logging.getLogger(__name__)


class FailOpenMixin:
    def get_rate(self):
        # Read when used (not when the class was imported), so settings can change rates.
        if getattr(self, "scope", None) is None:
            return None
        # An empty rate switches the throttle off (e.g. for benchmarks of what it guards).
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope) or None

    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception:  # the cache is down: serve rather than fail
            logger.warning("throttle %s: cache unavailable, request allowed",
                           type(self).__name__, exc_info=True)
            return True


class AnonRateThrottle(FailOpenMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(FailOpenMixin, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(FailOpenMixin, throttling.ScopedRateThrottle):
    pass


class KeyedRateThrottle(FailOpenMixin, throttling.SimpleRateThrottle):
    """A throttle for `scope`, keyed by `key(request)` (default: the client address);
    `cache` replaces the shared cache (e.g. process memory, off the network)."""

    def __init__(self, scope: str, key=None, cache=None):
        self.scope = scope
        self._key = key
        if cache is not None:
            self.cache = cache
        super().__init__()

    def get_cache_key(self, request, view):
        ident = self._key(request) if self._key else self.get_ident(request)
        if not ident:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}


def too_many_requests(throttle: KeyedRateThrottle) -> HttpResponse:
    wait = throttle.wait()
    response = HttpResponse(_("Too many requests. Please wait a moment and try again."),
                            status=429, content_type="text/plain; charset=utf-8")
    if wait:
        response["Retry-After"] = str(max(1, int(wait)))
    return response


def throttle_view(scope: str, *, methods: tuple[str, ...] | None = None, key=None):
    """Decorates a plain Django view with DRF's rate throttle for `scope` (rates in
    REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]); over the rate: 429 with Retry-After."""

    def decorate(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if methods is None or request.method in methods:
                throttle = KeyedRateThrottle(scope, key)
                if not throttle.allow_request(request, None):
                    return too_many_requests(throttle)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
