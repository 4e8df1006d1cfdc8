"""The site's cache while Redis is unreachable: reads miss, writes are dropped, pages serve
(`config.cache.OutageTolerantRedisCache`); a real Redis error still raises."""
from __future__ import annotations

import logging

import pytest
import redis
from django.core.cache import caches

DOWN = "redis://127.0.0.1:9/0"  # nothing listens on port 9


@pytest.fixture
def unreachable(settings):
    settings.CACHES = {"default": {"BACKEND": "config.cache.OutageTolerantRedisCache",
                                   "LOCATION": DOWN,
                                   "OPTIONS": {"socket_connect_timeout": 0.2}}}
    return caches["default"]


def test_an_unreachable_redis_is_a_miss_and_a_dropped_write(unreachable, monkeypatch):
    import config.cache

    monkeypatch.setattr(config.cache, "_last_warning", [0.0])  # warned at most once a second
    # What the logger says, whatever other tests (a Celery worker) did to logging.
    warnings = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = warnings.append
    monkeypatch.setattr(logging.root.manager, "disable", 0)
    monkeypatch.setattr(config.cache.logger, "disabled", False)
    monkeypatch.setattr(config.cache.logger, "handlers", [handler])
    monkeypatch.setattr(config.cache.logger, "level", logging.WARNING)
    cache = unreachable
    assert cache.get("k", "fallback") == "fallback"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("k") is False
    cache.set("k", 1)  # no exception
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]  # the keys not stored
    assert cache.add("k", 1) is False
    assert cache.touch("k") is False
    assert cache.delete("k") is False
    cache.delete_many(["a", "b"])
    # One warning for the whole burst: an outage does not flood the logs.
    assert [r.getMessage()[:30] for r in warnings] == ["cache unreachable, get skipped"]


def test_a_redis_error_that_is_a_bug_still_raises(redis_url, settings):
    settings.CACHES = {"default": {"BACKEND": "config.cache.OutageTolerantRedisCache",
                                   "LOCATION": redis_url, "KEY_PREFIX": "outage-test"}}
    cache = caches["default"]
    key = cache.make_and_validate_key("listy")
    client = redis.Redis.from_url(redis_url)
    client.rpush(key, "x")  # not a string: GET answers WRONGTYPE
    try:
        with pytest.raises(redis.exceptions.ResponseError):
            cache.get("listy")
    finally:
        client.delete(key)
