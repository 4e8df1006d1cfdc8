"""Marketplaces: the seeded set, and a per-process lookup by code.

Marketplaces are reference data that change with a release, not with traffic: every
process reads them all once and keeps them. Seeding is idempotent and runs after every
`migrate` (and after a test database is flushed), so a marketplace code always resolves.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

SEED: tuple[dict, ...] = (
    {"code": "nl", "name": "Netherlands", "domain": "amazon.nl", "language": "nl",
     "locale": "nl-NL", "currency": "EUR", "time_zone": "Europe/Amsterdam"},
    {"code": "de", "name": "Germany", "domain": "amazon.de", "language": "de",
     "locale": "de-DE", "currency": "EUR", "time_zone": "Europe/Berlin"},
    {"code": "fr", "name": "France", "domain": "amazon.fr", "language": "fr",
     "locale": "fr-FR", "currency": "EUR", "time_zone": "Europe/Paris"},
    {"code": "es", "name": "Spain", "domain": "amazon.es", "language": "es",
     "locale": "es-ES", "currency": "EUR", "time_zone": "Europe/Madrid"},
    {"code": "it", "name": "Italy", "domain": "amazon.it", "language": "it",
     "locale": "it-IT", "currency": "EUR", "time_zone": "Europe/Rome"},
    {"code": "ie", "name": "Ireland", "domain": "amazon.ie", "language": "en",
     "locale": "en-IE", "currency": "EUR", "time_zone": "Europe/Dublin"},
    {"code": "uk", "name": "United Kingdom", "domain": "amazon.co.uk", "language": "en",
     "locale": "en-GB", "currency": "GBP", "time_zone": "Europe/London"},
    {"code": "us", "name": "United States", "domain": "amazon.com", "language": "en",
     "locale": "en-US", "currency": "USD", "time_zone": "America/New_York"},
)


@dataclass(frozen=True, slots=True)
class MarketplaceInfo:
    code: str
    name: str
    domain: str
    language: str
    locale: str
    currency: str
    time_zone: str

    @property
    def babel_locale(self) -> str:
        return self.locale.replace("-", "_")


_lock = threading.Lock()
_cache: dict[str, MarketplaceInfo] | None = None


def marketplaces_seed(*, using: str = "default", **_kwargs) -> None:
    """Create the seeded marketplaces that are missing (never changes existing rows)."""
    from .models import Marketplace

    existing = set(Marketplace.objects.using(using).values_list("code", flat=True))
    Marketplace.objects.using(using).bulk_create(
        [Marketplace(**row) for row in SEED if row["code"] not in existing])
    marketplaces_forget()
    if using == "default":
        marketplaces_all()  # warm: later requests read marketplaces from memory


def marketplaces_forget(**_kwargs) -> None:
    global _cache
    with _lock:
        _cache = None


def marketplaces_all() -> dict[str, MarketplaceInfo]:
    """Every marketplace by code (one query per process, then from memory)."""
    global _cache
    cache = _cache
    if cache is None:
        from .models import Marketplace

        rows = Marketplace.objects.order_by("code").values(
            "code", "name", "domain", "language", "locale", "currency", "time_zone")
        cache = {row["code"]: MarketplaceInfo(**row) for row in rows}
        if not cache:
            # Not seeded yet (an empty database): the definitions, never nothing.
            return {row["code"]: MarketplaceInfo(**row) for row in SEED}
        with _lock:
            _cache = cache
    return cache


def marketplace_get(code: str | None) -> MarketplaceInfo:
    """The marketplace with `code`, or the site's default one for an unknown code."""
    found = marketplaces_all()
    return found.get(code or "") or found.get(settings.DEFAULT_MARKETPLACE) or next(
        iter(found.values()))


def default_marketplace_code() -> str:
    return settings.DEFAULT_MARKETPLACE


def price_in(*, marketplace: MarketplaceInfo, price: Decimal, currency: str,
             marketplace_prices: dict[str, Decimal] | None = None) -> Decimal | None:
    """A product's price in a marketplace's currency, or None when it has none there.

    A price set for the marketplace wins; else the product's own price serves every
    marketplace of its currency. Prices are never converted between currencies.
    """
    if marketplace_prices and marketplace.code in marketplace_prices:
        return marketplace_prices[marketplace.code]
    return price if currency == marketplace.currency else None
