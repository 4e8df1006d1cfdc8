"""Shared fixtures: the people of the product, real services, the browser.

On CI (CI=true) the suite must run against PostgreSQL and Redis: a missing service
fails the run loudly instead of skipping.
"""
from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests import factories

# Playwright's sync API runs an event loop in the test thread; live_server needs this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ON_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def pytest_configure(config):
    if ON_CI:
        database_url = os.environ.get("DATABASE_URL", "")
        if not database_url.startswith(("postgres://", "postgresql://")):
            raise pytest.UsageError("CI=true: DATABASE_URL must point at PostgreSQL")
        if not os.environ.get("REDIS_URL"):
            raise pytest.UsageError("CI=true: REDIS_URL must point at Redis")
        if not os.path.exists(CHROMIUM):
            raise pytest.UsageError(f"CI=true: Chromium is missing at {CHROMIUM}")


def service_reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=2):
            return True
    except OSError:
        return False


def require_service(name: str, url: str) -> None:
    """Skip locally when a service is absent; on CI, fail loudly."""
    if url and service_reachable(url):
        return
    message = f"{name} is not available ({url or 'not configured'})"
    if ON_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path_factory):
    settings.SECURE_SSL_REDIRECT = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.MEDIA_ROOT = str(tmp_path_factory.getbasetemp() / "media")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Stores made without a marketplace are English-language euro Stores (amazon.ie);
    # tests of other marketplaces say which.
    settings.DEFAULT_MARKETPLACE = "ie"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Tests of insights drive many views from one client: the per-client limits on what
    # counts are off unless a test sets them (tests/insights/test_capture_limits.py).
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
        "insights_capture": "", "insights_capture_address": ""}}


@pytest.fixture(scope="session", autouse=True)
def _plain_http_live_server():
    """SecurityMiddleware reads SECURE_SSL_REDIRECT once, when a live server's handler is
    built (before the per-test settings fixture runs): browser tests need plain HTTP."""
    from django.conf import settings

    previous = settings.SECURE_SSL_REDIRECT
    settings.SECURE_SSL_REDIRECT = False
    yield
    settings.SECURE_SSL_REDIRECT = previous


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _site_language_and_zone():
    """Each test starts in the site's language and time zone: a request (or an e-mail in a
    reader's language) activates the reader's in this thread and nothing switches back."""
    from django.utils import timezone, translation

    yield
    translation.deactivate()
    timezone.deactivate()


@pytest.fixture(autouse=True)
def _fresh_live_caches():
    """Each test starts with no compiled pages and no remembered routes."""
    from catalog.stock import forget_process_state
    from stores import rendering, selectors
    from stores.insights import selectors as insights_selectors
    from stores.insights.capture import capture_throttle_reset

    # Rolled-back tests reuse row ids and versions: forget what earlier tests read.
    forget_process_state()
    rendering.clear_compiled_pages()
    selectors._routes.clear()
    capture_throttle_reset()
    insights_selectors._zones.clear()
    yield


@pytest.fixture(autouse=True)
def _celery_eager_by_default():
    """Tasks run in-process unless a test asks for the real worker (`celery_worker`)."""
    from config.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = True


@pytest.fixture
def redis_url(settings):
    require_service("Redis", settings.REDIS_URL)
    return settings.REDIS_URL


@pytest.fixture
def celery_worker(redis_url, transactional_db):
    """A real Celery worker (threads, in this process) consuming from Redis."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    app.conf.task_always_eager = False
    with start_worker(app, pool="threads", concurrency=2, perform_ping_check=False,
                      shutdown_timeout=30):
        yield app
    app.conf.task_always_eager = True


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        if ON_CI:
            pytest.fail(f"Chromium is missing at {CHROMIUM}")
        pytest.skip(f"Chromium is missing at {CHROMIUM}")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def artifacts_dir():
    """Where browser tests keep their screenshots (kept by CI as test artifacts)."""
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


@dataclass
class Actor:
    """A person of the product with the account and brand they act for."""

    user: object
    account: object = None
    brand: object = None


@pytest.fixture
def seller(db) -> Actor:
    account = factories.AccountFactory(kind="seller", name="Acme Seller Co")
    user = factories.UserFactory(username="seller_owner")
    factories.MembershipFactory(user=user, account=account)
    brand = factories.BrandFactory(account=account, name="Acme Outdoor", slug="acme-outdoor")
    factories.EnrollmentFactory(brand=brand, status="approved")
    return Actor(user=user, account=account, brand=brand)


@pytest.fixture
def vendor(db) -> Actor:
    account = factories.AccountFactory(kind="vendor", name="Nordic Vendor Ltd")
    user = factories.UserFactory(username="vendor_owner")
    factories.MembershipFactory(user=user, account=account)
    brand = factories.BrandFactory(account=account, name="Nordic Home", slug="nordic-home")
    return Actor(user=user, account=account, brand=brand)


@pytest.fixture
def agency(db, vendor) -> Actor:
    account = factories.AccountFactory(kind="agency", name="Bright Agency")
    account.represented_vendors.add(vendor.account)
    user = factories.UserFactory(username="agency_member")
    factories.MembershipFactory(user=user, account=account)
    return Actor(user=user, account=account, brand=vendor.brand)


@pytest.fixture
def other_brand_owner(db) -> Actor:
    account = factories.AccountFactory(kind="vendor", name="Rival Vendor Inc")
    user = factories.UserFactory(username="rival_owner")
    factories.MembershipFactory(user=user, account=account)
    brand = factories.BrandFactory(account=account, name="Rival Gear", slug="rival-gear")
    return Actor(user=user, account=account, brand=brand)


@pytest.fixture
def moderator(db) -> Actor:
    """A staff user in the Moderators group (created by moderation's migration)."""
    from django.contrib.auth.models import Group

    user = factories.UserFactory(username="mod_one", is_staff=True)
    group, _ = Group.objects.get_or_create(name="Moderators")
    user.groups.add(group)
    return Actor(user=user)


@pytest.fixture
def countdown_tile(settings):
    """Registers the test suite's own tile type (tests/tile_types.py) and its template."""
    from stores.tiles import registry
    from tests.tile_types import CountdownTile

    settings.TEMPLATES = [
        {**engine, "DIRS": [*engine["DIRS"], Path(__file__).parent / "templates"]}
        for engine in settings.TEMPLATES
    ]
    tile_type = registry.register(CountdownTile())
    yield tile_type
    registry.unregister(tile_type.name)
