"""Insights fixtures: a published Store with two pages and a scripted-view helper."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from stores.insights import capture, transport
from stores.insights.services import orders_attribute, redis_events_drain
from stores.models import StoreVersion
from tests import factories

BROWSER_UA = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/130.0 Safari/537.36")
DOCUMENT = {
    "name": "Acme Outdoor",
    "theme": {"accent_color": "#0a7d5a"},
    "pages": [
        {"key": "home", "parent": None, "slug": "", "title": "Home", "sections": []},
        {"key": "shoes", "parent": "home", "slug": "shoes", "title": "Shoes", "sections": []},
    ],
}


def at(text: str) -> datetime:
    """'2026-10-01 10:00' as an aware UTC datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture(autouse=True)
def _flush_in_the_request_thread(settings):
    # Tests see the flush happen in their own thread and transaction.
    settings.INSIGHTS_FLUSH_THREAD = False


@pytest.fixture(autouse=True)
def _empty_buffer(settings):
    """Start each test with nothing buffered (in process, or in Redis when configured)."""
    def empty():
        transport.buffer_take()
        if settings.REDIS_URL:
            transport._redis().delete(transport.REDIS_KEY)

    empty()
    yield
    empty()


def published_store(seller, slug: str = "acme-outdoor"):
    """A Store of the seller's brand whose version 1 (DOCUMENT) is published."""
    store = factories.StoreFactory(brand=seller.brand, name="Acme Outdoor", slug=slug,
                                   draft=DOCUMENT)
    version = StoreVersion.objects.create(store=store, number=1, document=DOCUMENT,
                                          source_revision=0)
    store.published_version = version
    store.save(update_fields=["published_version"])
    return store


@pytest.fixture
def store(seller):
    return published_store(seller)


@pytest.fixture
def product(seller):
    return factories.ProductFactory(asin="B0000000A1", brand=seller.brand)


@pytest.fixture
def record(monkeypatch):
    """record(store, page, when, cookie=..., new=..., referrer=..., channel=..., ua=...,
    user=..., ip=...) -> counted: one view through page_view_record at a given time."""
    factory = RequestFactory()

    def record_view(store, page_key, when, *, cookie=None, new=None, referrer=None,
                    channel=None, ua=BROWSER_UA, user=None, ip="203.0.113.7", preview=False):
        path = f"/stores/{store.slug}/"
        request = factory.get(path, {"channel": channel} if channel else {},
                              HTTP_USER_AGENT=ua, REMOTE_ADDR=ip,
                              **({"HTTP_REFERER": referrer} if referrer else {}))
        request.user = user or AnonymousUser()
        if user is not None:
            request.COOKIES["sessionid"] = "s"
        monkeypatch.setattr(capture, "_now", lambda: at(when))
        return capture.page_view_record(request=request, store=store, page_key=page_key,
                                        cookie_visitor_id=cookie, new_visitor_id=new,
                                        preview=preview)

    return record_view


def process() -> dict:
    """Flush this process's buffer, drain Redis, attribute orders (the background path)."""
    events = transport.flush()
    redis_events_drain()
    return {"events": events, "orders": orders_attribute()}
