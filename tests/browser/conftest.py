"""Browser tests: the live server must speak plain HTTP.

SecurityMiddleware reads SECURE_SSL_REDIRECT once, when the live server's handler is built
(before the per-test settings fixture runs), so it is switched off for the whole session here.
"""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session", autouse=True)
def _plain_http_live_server():
    from django.conf import settings

    previous = settings.SECURE_SSL_REDIRECT
    settings.SECURE_SSL_REDIRECT = False
    yield
    settings.SECURE_SSL_REDIRECT = previous
