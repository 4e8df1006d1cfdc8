"""Browser tests: the live server must speak plain HTTP.

SecurityMiddleware reads SECURE_SSL_REDIRECT once, when the live server's handler is built
(before the per-test settings fixture runs), so it is switched off for the whole session here.
"""
from __future__ import annotations

import pytest

from tests import factories

WELCOME_DRAFT = {"name": "Acme Outdoor", "theme": {"accent_color": "#0a7d5a"}, "pages": [
    {"key": "home", "parent": None, "slug": "", "title": "Home", "sections": [
        {"key": "s1", "layout": "full", "tiles": [
            {"key": "t1", "type": "text", "visibility": "all",
             "config": {"html": "<h2>Welcome</h2>", "align": "start"}}]}]}]}


def welcome_store(seller):
    """The seller's Store "acme-outdoor": a home page with one text tile (t1), a heading."""
    return factories.StoreFactory(brand=seller.brand, name="Acme Outdoor",
                                  slug="acme-outdoor", revision=1, draft=WELCOME_DRAFT)


@pytest.fixture(scope="session", autouse=True)
def _plain_http_live_server():
    from django.conf import settings

    previous = settings.SECURE_SSL_REDIRECT
    settings.SECURE_SSL_REDIRECT = False
    yield
    settings.SECURE_SSL_REDIRECT = previous
