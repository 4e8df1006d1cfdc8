"""Reads of Stores: who sees which, which version is live, stock health of tiles."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from catalog.marketplaces import marketplace_get
from catalog.selectors import brands_for_user
from catalog.stock import SharedToken

from .models import Store, StoreVersion

# Changes whenever a Store row or a version changes (signals in stores.apps), so every
# process drops its cached routes; routes also expire after ROUTE_TTL seconds, which
# bounds staleness after writes that bypass signals (queryset.update).
STORES_TOKEN = SharedToken("stores")
ROUTE_TTL = 30.0


def stores_for_user(*, user) -> QuerySet[Store]:
    """Stores of the brands the user acts for, with brand and published version loaded."""
    return (
        Store.objects.filter(brand__in=brands_for_user(user=user))
        .select_related("brand", "published_version")
        .order_by("name", "id")
    )


def _window_version(windows: list[tuple[int, datetime, datetime | None]],
                    at: datetime) -> int | None:
    """The version whose window [start, end) contains `at`; the latest start wins."""
    best = None
    for version_id, starts, ends in windows:
        if starts <= at and (ends is None or at < ends) and (best is None or starts > best[1]):
            best = (version_id, starts)
    return best[0] if best else None


def _scheduled_windows(store_id: int, at: datetime) -> list[tuple[int, datetime, datetime | None]]:
    return list(
        StoreVersion.objects.filter(
            store_id=store_id, approved_at__isnull=False, schedule_starts_at__isnull=False)
        .filter(Q(schedule_ends_at__isnull=True) | Q(schedule_ends_at__gt=at))
        .values_list("pk", "schedule_starts_at", "schedule_ends_at")
    )


def live_version_for(*, store: Store, at: datetime | None = None) -> StoreVersion | None:
    """What shoppers see at `at` (default now): an approved version whose schedule window
    [schedule_starts_at, schedule_ends_at) contains it, else `store.published_version`;
    None when nothing is published."""
    at = at or timezone.now()
    version_id = _window_version(_scheduled_windows(store.pk, at), at)
    if version_id is not None:
        return StoreVersion.objects.get(pk=version_id)
    return store.published_version


@dataclass
class StoreRoute:
    """What the shopper view needs to find a Store's live version without a query."""

    store: Store
    published_version_id: int | None
    windows: list[tuple[int, datetime, datetime | None]]
    token: str
    loaded_at: float
    # (slug, marketplace code) of the brand's published Stores: hreflang alternates.
    siblings: list[tuple[str, str]] = field(default_factory=list)

    def version_id_at(self, at: datetime) -> int | None:
        return _window_version(self.windows, at) or self.published_version_id


_routes: dict[str, StoreRoute | None] = {}
_routes_lock = threading.Lock()


def store_route(*, slug: str, token: str | None = None) -> StoreRoute | None:
    """The cached route of the Store at `slug` (None: no such Store). Two queries on a
    miss, none on a hit. `token`: STORES_TOKEN's value, when the caller read it already."""
    token = token or STORES_TOKEN.value()
    route = _routes.get(slug)
    if route is not None and route.token == token and time.monotonic() - route.loaded_at < (
            ROUTE_TTL):
        return route
    store = Store.objects.select_related("brand").filter(slug=slug).first()
    if store is None:
        return None
    route = StoreRoute(store, store.published_version_id,
                       _scheduled_windows(store.pk, timezone.now()), token, time.monotonic(),
                       _published_siblings(store.brand_id))
    with _routes_lock:
        if len(_routes) > 10_000:
            _routes.clear()
        _routes[slug] = route
    return route


def store_route_cached(*, slug: str) -> StoreRoute | None:
    """The route this process holds for `slug`, current or not (no query, no read of the
    token): the shopper view reads its brand's versions with the token, in one go."""
    return _routes.get(slug)


def stores_changed() -> None:
    """Every process forgets its cached Store routes (called on Store/version writes)."""
    STORES_TOKEN.bump()


def tile_stock_health(*, store: Store, document: dict) -> dict[str, dict[str, int]]:
    """For every product tile of `document`, as of now: `products` the products the tile
    shows, `hidden` how many it passed over because they cannot be bought, `unbuyable` how
    many it shows without price and Prime badge, `at_risk` how many shown ones are close
    to selling out (catalog.availability.AT_RISK_QUANTITY).

    Each page is compiled and picked exactly as the live page is (stores.rendering
    `pick_page`: the tiles' own choice and out-of-stock policy, deals-only tiles and
    tiles skipping what the page shows elsewhere included), without rendering cards.
    """
    from catalog.availability import is_at_risk
    from catalog.stock import stock_levels

    from .rendering import compile_page, live_page_url, pick_page
    from .rendering.assemble import buyable_ids

    page_url = live_page_url(store, document)
    now = timezone.now()
    health: dict[str, dict[str, int]] = {}
    for page in document.get("pages", []):
        compiled = compile_page(store=store, document=document, page=page, page_url=page_url)
        tiles = compiled.product_tiles()
        if not tiles:
            continue
        levels = stock_levels(compiled.product_ids)

        def more(ids: list[int], levels=levels) -> set[int]:
            levels.update(stock_levels(ids))  # tiles whose candidates ran out read more
            return buyable_ids({pk: levels[pk] for pk in ids if pk in levels})

        picks = pick_page(compiled, in_stock=buyable_ids(levels), now=now, cards=False,
                          more=more)
        for tile in tiles:
            pick = picks[id(tile)]
            health[tile.key] = {
                "products": len(pick.product_ids),
                "hidden": pick.hidden,
                "unbuyable": len(pick.unbuyable),
                "at_risk": sum(1 for pk in pick.product_ids
                               if pk in levels and is_at_risk(is_active=levels[pk][0],
                                                              quantity=levels[pk][1])),
            }
    return health


def _published_siblings(brand_id: int) -> list[tuple[str, str]]:
    return list(Store.objects.filter(brand_id=brand_id, published_version__isnull=False)
                .order_by("marketplace_id").values_list("slug", "marketplace_id"))


def store_alternates(*, store: Store, document: dict, page_key: str) -> list[dict]:
    """`hreflang` alternates of a Store's home page: the same brand's published Stores in
    every marketplace, this one included. Read with the Store's cached route (no query
    when it is warm); none for sub-pages, whose counterparts are not known."""
    from .documents import home_page_key

    if page_key != home_page_key(document):
        return []
    from django.conf import settings

    route = store_route(slug=store.slug)
    siblings = route.siblings if route is not None else []
    if len(siblings) < 2:
        return []
    site = settings.SITE_URL.rstrip("/")
    return [{"hreflang": marketplace_get(code).locale, "href": f"{site}/stores/{slug}/"}
            for slug, code in siblings]
