"""Insights cannot be inflated by one client: views past a per-visitor and per-address
rate are served but not counted."""
from __future__ import annotations

import pytest
from django.test import RequestFactory

from stores.insights import capture

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130 Safari/537.36"


@pytest.fixture
def recorded(monkeypatch):
    views: list[tuple] = []
    monkeypatch.setattr(capture, "buffer_append", views.append)
    return views


class FakeStore:
    pk = 1
    slug = "acme"


def view(*, visitor: str | None, address: str = "10.3.0.1", channel: str = ""):
    path = f"/stores/acme/?channel={channel}" if channel else "/stores/acme/"
    request = RequestFactory().get(path, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=address)
    return capture.page_view_record(request=request, store=FakeStore(), page_key="home",
                                    cookie_visitor_id=visitor, new_visitor_id=None)


def test_one_visitor_counts_at_most_the_hourly_rate(settings, recorded):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "insights_capture": "5/hour"}}

    counted = [view(visitor="visitor-aaaaaaaaaaaa", channel=f"tag{n}") for n in range(8)]

    assert counted == [True] * 5 + [False] * 3
    assert len(recorded) == 5
    assert view(visitor="visitor-bbbbbbbbbbbb") is True


def test_one_address_inventing_visitors_stops_counting(settings, recorded):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
        "insights_capture_address": "10/hour"}}

    counted = [view(visitor=f"fake-visitor-{n:06d}") for n in range(15)]

    assert counted.count(True) == 10
    assert {row[2] for row in recorded} == {f"fake-visitor-{n:06d}" for n in range(10)}
    assert view(visitor="someone-else-000", address="10.3.0.2") is True
