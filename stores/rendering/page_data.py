"""The catalogue data one page needs (a selector: reads only), with a fixed number of queries.

Curated tiles name their products; automatic tiles describe their candidates as queries
(`TileType.candidate_queries`: a filter, an order, a count). All automatic tiles' queries
run as ONE statement (a UNION ALL of index-backed top-N subqueries), so neither the
number of tiles nor the size of the brand's catalogue changes the number of queries, and
the rows read grow with what the page can show, not with the catalogue:

1. the candidates of every automatic tile (only when the page has some),
2. the products (candidates and curated), with their category and marketplace price,
3. their images, 4. their deals not yet over, 5. the assets of image tiles (when any).

`load_products` reads products again by id (queries 2-4) for an incremental refresh.

Automatic tiles ask for a few spare candidates beyond their limit (`CANDIDATE_EXTRA`), for
live stock to skip out-of-stock ones without a query. When a tile's candidates run out
at a view (more are out of stock, or shown elsewhere, than the spares cover) and its query
was cut short, `grow` asks for more and the page reads them once (stores.rendering.compile
`refill_short_tiles`): the common case reads few rows, the rare one pays once.
Rows are read as tuples, not model instances: a compile builds only what cards need.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import connection
from django.db.models import F, Min, OuterRef, Q, Subquery
from django.db.models.functions import Length, Trim
from django.db.models.lookups import GreaterThan

from catalog.marketplaces import MarketplaceInfo, marketplace_get
from catalog.models import Brand, Deal, Product, ProductImage, ProductPrice
from catalog.money import format_price
from catalog.selectors import deal_is_running

from ..models import Asset
from ..tiles.base import CandidateQuery, TileType

_PRODUCT_FIELDS = (
    "id", "asin", "title", "price", "currency", "is_prime", "rating", "review_count",
    "units_sold_30d", "created_at", "category__slug", "bullet_points", "has_description",
    "is_active", "marketplace_price",
)
# A tile's candidate queries read at most this many rows each, however often its
# candidates ran out: memory per compiled page stays bounded.
CANDIDATES_MAX = 600


@dataclass(frozen=True, slots=True)
class CardImage:
    """A product's first image, as its card shows it (`image`: the storage name)."""

    image: str
    width: int | None
    height: int | None


@dataclass(slots=True)
class ProductInfo:
    """What a card needs of a product, read once per compile (or refresh)."""

    id: int
    asin: str
    title: str
    price: Decimal
    currency: str
    is_prime: bool
    rating: Decimal
    review_count: int
    units_sold_30d: int
    created_ts: float
    category_slug: str | None
    bullet_points: list
    has_description: bool
    is_active: bool
    image: CardImage | None = None
    image_count: int = 0
    # Priced from the product's own price (not a marketplace price): its deals apply.
    price_is_base: bool = True

    @property
    def price_display(self) -> str:
        return format_price(self.price, self.currency)

    @property
    def rating_step(self) -> int:
        """Rating rounded to half stars, as 0..50 (CSS classes; no inline style allowed)."""
        return int(round(float(self.rating) * 2)) * 5

    @property
    def url(self) -> str:
        return f"/dp/{self.asin}/"

    def ranking(self) -> tuple:
        """What automatic tiles rank and filter by: when it changes, they choose again."""
        return (self.units_sold_30d, self.rating, self.review_count, self.price,
                self.created_ts, self.category_slug, self.title, tuple(self.bullet_points),
                self.has_description, self.is_active, self.image_count)


@dataclass(slots=True)
class DealInfo:
    product_id: int
    deal_price: Decimal
    starts_at: datetime
    ends_at: datetime


def _spec_key(tile_type: TileType, config: dict) -> str:
    """Tiles of one type with the same configuration have the same candidates."""
    return f"{tile_type.name}:{json.dumps(config, sort_keys=True, default=str)}"


class PageCatalog:
    """The catalogue data one page needs, loaded with a fixed number of queries."""

    def __init__(self, *, brand: Brand, tiles: list[tuple[TileType, dict]],
                 page_url: Callable[[str], str | None], now: datetime,
                 marketplace: MarketplaceInfo | None = None,
                 extra_assets: Iterable[int] = ()):
        self.brand = brand
        self.marketplace = marketplace or marketplace_get(None)
        self.brand_id = brand.pk
        self.now = now
        self.page_url = page_url
        self.curated: set[str] = set()
        # The theme's logo and banner come with the tiles' images, in the same query.
        asset_ids: set[int] = set(extra_assets)
        needs_deals = False
        self.specs: dict[str, list[CandidateQuery]] = {}
        # Per spec: how many times its queries' counts were doubled (see `grow`), and
        # the specs whose last read was cut short by its count (more rows may exist).
        self.growth: dict[str, int] = {}
        self.cut: set[str] = set()
        for tile_type, config in tiles:
            self.curated.update(tile_type.curated_asins(config))
            asset_ids.update(tile_type.asset_ids(config))
            # Every product card shows the deal price while a deal runs.
            needs_deals |= tile_type.shows_products
        # What the page's tiles may show at most (curated products, automatic tiles'
        # limits): a tile that skips products shown elsewhere needs that many spares.
        page_products = len(self.curated) + sum(
            config.get("limit") or 0 for tile_type, config in tiles
            if tile_type.chooses_from_brand(config) and isinstance(config.get("limit"), int))
        for tile_type, config in tiles:
            queries = tile_type.candidate_queries(config, page_products=page_products)
            if queries:
                self.specs[_spec_key(tile_type, config)] = queries
        self.needs_deals = needs_deals
        self.products: dict[int, ProductInfo] = {}
        self.by_asin: dict[str, int] = {}
        self.deals: list[DealInfo] = []
        self._deals_by_product: dict[int, list[DealInfo]] | None = None
        self.candidate_ids: dict[str, list[int]] = {}
        self.candidate_ids = self._choose_candidates()
        ids = {pk for found in self.candidate_ids.values() for pk in found}
        self.load_products(ids, curated=self.curated)
        self.assets: dict[int, Asset] = (
            {a.pk: a for a in Asset.objects.filter(brand=brand, pk__in=asset_ids)}
            if asset_ids else {}
        )

    # --- loading ----------------------------------------------------------------------

    def _choose_candidates(self) -> dict[str, list[int]]:
        """Every automatic tile's candidate ids, in one statement."""
        parts: list[str] = []
        params: list = []
        owners: list[str] = []
        counts: list[int] = []
        fixed: list[bool] = []
        for key, queries in self.specs.items():
            for query in queries:
                index = len(owners)
                owners.append(key)
                count = self.count_of(key, query)
                counts.append(count)
                fixed.append(query.fixed)
                if query.deals:
                    # From the deals not yet over (few) to their products, the brand
                    # checked on each: never through a large brand's products. (The
                    # brand as an expression, so that no planner walks its index.)
                    rows = (Product.objects.filter(query.filter)
                            .annotate(owner=F("brand_id") + 0).filter(owner=self.brand_id)
                            .filter(deals__ends_at__gt=self.now)
                            .annotate(first_end=Min("deals__ends_at")).order_by("first_end", "pk"))
                else:
                    rows = (Product.objects.filter(brand_id=self.brand_id).filter(query.filter)
                            .order_by(*query.order_by))
                sql, sub_params = rows.values_list("pk", flat=True)[:count].query \
                    .sql_with_params()
                # Only our own integers and the ORM's parametrised SQL go into the text.
                parts.append(f"SELECT {index} AS part, c{index}.* FROM ({sql}) c{index}")  # noqa: S608
                params.extend(sub_params)
        found: dict[str, list[int]] = {key: [] for key in self.specs}
        self.cut = set()
        if not parts:
            return found
        rows_of = [0] * len(owners)
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            for part, pk in cursor.fetchall():
                found[owners[part]].append(pk)
                rows_of[part] += 1
        self.cut = {owners[part] for part, rows in enumerate(rows_of)
                    if rows >= counts[part] and not fixed[part]}
        return found

    def count_of(self, key: str, query: CandidateQuery) -> int:
        """The rows `query` of spec `key` reads now: its own count, doubled per `grow`."""
        if query.fixed:
            return query.count
        return min(query.count << self.growth.get(key, 0), max(query.count, CANDIDATES_MAX))

    def grow(self, keys: Iterable[str]) -> bool:
        """Doubles the candidates of these specs whose last read was cut short (the
        catalogue may hold more) and that are below CANDIDATES_MAX; True when any grew
        (the caller then runs `rechoose`)."""
        grown = False
        for key in keys:
            if key not in self.cut:
                continue
            queries = self.specs[key]
            if all(q.fixed or self.count_of(key, q) >= max(q.count, CANDIDATES_MAX)
                   for q in queries):
                continue
            self.growth[key] = self.growth.get(key, 0) + 1
            grown = True
        return grown

    def spec_of(self, tile_type: TileType, config: dict) -> str | None:
        """The key of an automatic tile's candidate queries (None for curated tiles)."""
        key = _spec_key(tile_type, config)
        return key if key in self.specs else None

    def load_products(self, ids: Iterable[int], *, curated: Iterable[str] = ()) -> set[int]:
        """(Re)reads these products (and the brand's products with these ASINs), their
        images and their deals not yet over; returns the ids read. Three queries."""
        ids = set(ids)
        curated = set(curated)
        if not ids and not curated:
            return set()
        # By primary key and ASIN (unique) only, the brand checked below: each branch is
        # an index lookup whatever the planner knows of the brand's size (SQLite without
        # statistics would scan a 100,000-product brand).
        where = Q(pk__in=ids) if ids else Q(pk__in=[])
        if curated:
            where |= Q(asin__in=curated)
        read: set[int] = set()
        marketplace = self.marketplace
        rows = (Product.objects.filter(where).order_by()
                .annotate(marketplace_price=Subquery(ProductPrice.objects.filter(
                    product=OuterRef("pk"), marketplace_id=marketplace.code)
                    .values("price")[:1]),
                    # Whether there is a description, not the text: cards never show it.
                    has_description=GreaterThan(Length(Trim("description")), 0))
                .values_list(*_PRODUCT_FIELDS, "brand_id"))
        cent = Decimal("0.01")
        brand_id = self.brand_id
        for (pk, asin, title, price, currency, is_prime, rating, review_count, units_sold,
             created_at, category_slug, bullets, has_description, is_active,
             marketplace_price, owner) in rows:
            if owner != brand_id:
                continue  # moved to another brand (or another brand's ASIN): not ours
            # A Store shows only products sold in its marketplace: priced in its currency.
            if marketplace_price is not None:
                # SQLite hands back a subquery's decimal unrounded.
                price = Decimal(marketplace_price).quantize(cent)
            elif currency != marketplace.currency:
                continue
            self.products[pk] = ProductInfo(
                id=pk, asin=asin, title=title, price=price, currency=marketplace.currency,
                is_prime=is_prime, rating=rating, review_count=review_count,
                units_sold_30d=units_sold, created_ts=created_at.timestamp(),
                category_slug=category_slug,
                bullet_points=bullets if isinstance(bullets, list) else [],
                has_description=bool(has_description), is_active=is_active,
                price_is_base=marketplace_price is None,
            )
            self.by_asin[asin] = pk
            read.add(pk)
        for pk in ids - read:  # gone, or moved to another brand: nothing to show
            info = self.products.pop(pk, None)
            if info is not None:
                self.by_asin.pop(info.asin, None)
        if not read:
            return read
        for product_id, name, width, height in (
                ProductImage.objects.filter(product_id__in=read)
                .order_by("product_id", "position", "id")
                .values_list("product_id", "image", "width", "height")):
            info = self.products[product_id]
            if info.image is None:
                info.image = CardImage(name, width, height)
            info.image_count += 1
        if self.needs_deals:
            # Running and future deals: a compiled page switches prices at their edges.
            # (The ids are this brand's products: no join needed.)
            self.deals = [d for d in self.deals if d.product_id not in read] + [
                DealInfo(product_id, deal_price, starts_at, ends_at)
                for product_id, deal_price, starts_at, ends_at in
                Deal.objects.filter(product_id__in=read, ends_at__gt=self.now).order_by()
                .values_list("product_id", "deal_price", "starts_at", "ends_at")
                # Deal prices are in the product's own currency: elsewhere they do not run.
                if self.products[product_id].price_is_base
            ]
            self._deals_by_product = None
        return read

    def rechoose(self) -> None:
        """Runs the automatic tiles' candidate queries again (one query) and loads the
        candidates not read yet."""
        self.candidate_ids = self._choose_candidates()
        ids = {pk for found in self.candidate_ids.values() for pk in found}
        self.load_products(ids - set(self.products))

    def forget(self, keep: set[int]) -> None:
        """Drops what the page no longer needs (memory stays bounded by its candidates)."""
        for pk in set(self.products) - keep:
            info = self.products.pop(pk)
            if self.by_asin.get(info.asin) == pk and info.asin not in self.curated:
                self.by_asin.pop(info.asin, None)
        self.deals = [d for d in self.deals if d.product_id in self.products]
        self._deals_by_product = None

    # --- what tiles ask ---------------------------------------------------------------

    @property
    def has_automatic(self) -> bool:
        return bool(self.specs)

    def candidates(self, tile_type: TileType, config: dict) -> list[ProductInfo]:
        """The candidates of an automatic tile (see `candidate_queries`), unordered."""
        ids = self.candidate_ids.get(_spec_key(tile_type, config), [])
        return [self.products[pk] for pk in dict.fromkeys(ids) if pk in self.products]

    def ids_for_asins(self, asins: list[str]) -> list[int]:
        return [self.by_asin[a] for a in asins if a in self.by_asin]

    @property
    def page_product_ids(self) -> set[int]:
        return {self.by_asin[a] for a in self.curated if a in self.by_asin}

    def deals_current_or_future(self) -> list[DealInfo]:
        return self.deals

    def product_ids_on_deal_now(self) -> set[int]:
        return {d.product_id for d in self.deals
                if deal_is_running(starts_at=d.starts_at, ends_at=d.ends_at, at=self.now)}

    def deals_of(self, product_id: int) -> list[DealInfo]:
        """A product's running and future deals, lowest price first: when two run at
        once, the card shows the lower price (as the product page does)."""
        if self._deals_by_product is None:
            self._deals_by_product = {}
            for deal in sorted(self.deals, key=lambda d: (d.deal_price, d.starts_at)):
                self._deals_by_product.setdefault(deal.product_id, []).append(deal)
        return self._deals_by_product.get(product_id, [])

    def link_href(self, link: dict | None) -> str | None:
        if not link:
            return None
        if link.get("page"):
            return self.page_url(link["page"])
        if link.get("asin"):
            return f"/dp/{link['asin']}/"
        return None
