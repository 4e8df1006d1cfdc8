"""Stock writes and sales ranks.

Every write of Product.quantity or Product.is_active calls `catalog.stock.stock_changed`
*inside its transaction*: the brand's stock version is bumped with the write, so live
Store pages see the new stock on the very next view, and mirroring the version after
commit can never fail the request (see catalog.stock). Writes of what a product card
shows or what tiles rank by call `catalog.stock.product_data_changed` likewise.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import F, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from catalog import stock
from catalog.models import ASIN_RE, Product, SalesRecord
from catalog.selectors import brands_for_user
from config.api import DomainError

INVENTORY_MAX_ITEMS = 10_000
# PostgreSQL `integer`: anything larger is a typo, not a stock level.
QUANTITY_MAX = 2_147_483_647
# Keeps each statement well under SQLite's and PostgreSQL's bound-parameter limits.
_CHUNK = 2_000
SALES_WINDOW_DAYS = 30


class InventoryInvalid(DomainError):
    """A bulk stock update was refused; `.details` lists every bad item."""

    code = "invalid_inventory"


class StockInvalid(DomainError):
    code = "invalid_quantity"


def _chunks(seq: Sequence, size: int = _CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(seq), size):
        yield seq[start:start + size]


def product_cards_changed(*, product_ids: Iterable[int],
                          brand_ids: Iterable[int] | None = None) -> None:
    """In the transaction that changed them (or right after): what these products' cards
    show or tiles rank by (title, price, Prime, rating, images, deals) changed. After a
    deletion, pass the products' `brand_ids` (the rows that would name them are gone)."""
    stock.product_data_changed(list(product_ids), brand_ids=brand_ids)


def _quantity_error(value) -> str | None:
    """Why `value` is not a stock quantity, or None when it is one."""
    # bool is an int subclass: `true` in JSON is not a quantity.
    if isinstance(value, bool) or not isinstance(value, int):
        return "must be a whole number"
    if value < 0:
        return "must be 0 or more"
    if value > QUANTITY_MAX:
        return f"must be at most {QUANTITY_MAX}"
    return None


def _asin_error(value) -> str | None:
    if not isinstance(value, str) or not ASIN_RE.match(value):
        return "an ASIN is 10 capital letters or digits"
    return None


def _quantities_write(quantities: dict[int, int], *, at: datetime) -> int:
    """Sets quantity per product id with a few set-based UPDATEs; returns rows written.

    Must run inside a transaction. One statement per chunk joins a VALUES list on the
    primary key instead of issuing a statement per product.
    """
    pairs = sorted(quantities.items())
    table = Product._meta.db_table
    written = 0
    with connection.cursor() as cursor:
        for chunk in _chunks(pairs):
            if connection.vendor == "postgresql":
                rows = ", ".join(["(%s::bigint, %s::integer)"] * len(chunk))
                sql = (
                    f'UPDATE "{table}" AS p SET quantity = v.quantity, '  # noqa: S608
                    f"stock_updated_at = %s FROM (VALUES {rows}) AS v(id, quantity) "
                    "WHERE p.id = v.id"
                )
            else:
                # SQLite >= 3.33 has UPDATE … FROM; its VALUES columns are column1, column2.
                rows = ", ".join(["(%s, %s)"] * len(chunk))
                sql = (
                    f'UPDATE "{table}" SET quantity = v.column2, '  # noqa: S608
                    f"stock_updated_at = %s FROM (VALUES {rows}) AS v "
                    f'WHERE "{table}".id = v.column1'
                )
            params: list = [at]
            for pk, quantity in chunk:
                params.extend((pk, quantity))
            cursor.execute(sql, params)
            written += cursor.rowcount
    return written


def _products_by_asin(asins: Sequence[str], *, lock: bool) -> dict[str, tuple[int, int, int]]:
    """{asin: (id, brand_id, quantity)}; with `lock`, rows are locked in id order.

    Plain SQL: the ORM spends more time preparing a 2,000-value IN list than the
    database spends answering it.
    """
    table = Product._meta.db_table
    # Locks taken in primary-key order cannot deadlock with another bulk update.
    suffix = " FOR UPDATE" if lock and connection.features.has_select_for_update else ""
    found: dict[str, tuple[int, int, int]] = {}
    with connection.cursor() as cursor:
        for chunk in _chunks(list(asins)):
            placeholders = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f'SELECT asin, id, brand_id, quantity FROM "{table}" '  # noqa: S608
                f"WHERE asin IN ({placeholders}) ORDER BY id{suffix}",
                list(chunk),
            )
            for asin, pk, brand_id, quantity in cursor.fetchall():
                found[asin] = (pk, brand_id, quantity)
    return found


def inventory_bulk_update(*, user, items) -> int:
    """Sets the stock of many of the caller's products at once; returns how many.

    `items` is a list of {"asin": str, "quantity": int >= 0}. Every item is checked
    (format, duplicates, the ASIN exists and belongs to one of the caller's brands)
    before anything is written; on any problem `InventoryInvalid` is raised with one
    entry per problem ({"index", "field", "code", "message"}) and nothing is changed.
    Otherwise all quantities are written in one transaction, which also bumps the
    brands' stock versions (`stock_changed`).
    """
    if not isinstance(items, list):
        raise InventoryInvalid(
            "The body must be a JSON list of {\"asin\", \"quantity\"} items.",
            details=[{"index": None, "field": None, "code": "not_a_list",
                      "message": "Expected a list."}],
        )
    if not items:
        return 0
    if len(items) > INVENTORY_MAX_ITEMS:
        raise InventoryInvalid(
            f"At most {INVENTORY_MAX_ITEMS} items per request; got {len(items)}.",
            code="too_many_items",
            details=[{"index": None, "field": None, "code": "too_many_items",
                      "message": f"Split the update into requests of at most "
                                 f"{INVENTORY_MAX_ITEMS} items."}],
        )

    errors: list[dict] = []

    def bad(index: int, field_name: str | None, code: str, message: str) -> None:
        errors.append({"index": index, "field": field_name, "code": code, "message": message})

    wanted: dict[str, tuple[int, int]] = {}  # asin -> (index, quantity)
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            bad(index, None, "not_an_object", "Each item must be an object.")
            continue
        asin, quantity = item.get("asin"), item.get("quantity")
        asin_problem = _asin_error(asin)
        if "asin" not in item:
            bad(index, "asin", "required", "This field is required.")
        elif asin_problem:
            bad(index, "asin", "invalid_asin", f"{asin!r}: {asin_problem}.")
        if "quantity" not in item:
            bad(index, "quantity", "required", "This field is required.")
        elif problem := _quantity_error(quantity):
            bad(index, "quantity", "invalid_quantity", f"{quantity!r}: quantity {problem}.")
        if asin_problem:
            continue
        if asin in wanted:
            bad(index, "asin", "duplicate_asin",
                f"{asin} is already at index {wanted[asin][0]}.")
            continue
        wanted[asin] = (index, quantity)

    own_brand_ids = set(brands_for_user(user=user).values_list("id", flat=True))
    with transaction.atomic():
        found = _products_by_asin(list(wanted), lock=not errors)
        quantities: dict[int, int] = {}
        for asin, (index, quantity) in wanted.items():
            product = found.get(asin)
            if product is None:
                bad(index, "asin", "unknown_asin", f"{asin}: no such product.")
            elif product[1] not in own_brand_ids:
                bad(index, "asin", "not_your_product",
                    f"{asin} is not a product of a brand you act for.")
            else:
                quantities[product[0]] = quantity
        if errors:
            errors.sort(key=lambda e: e["index"])
            raise InventoryInvalid(
                f"{len(errors)} problem(s) in {len(items)} items; nothing was changed.",
                details=errors,
            )
        written = _quantities_write(quantities, at=timezone.now())
        stock.stock_changed(list(quantities),
                            brand_ids={found[asin][1] for asin in wanted if asin in found})
    return written


def stock_set(*, product: Product, quantity: int) -> Product:
    """Sets one product's stock; raises `StockInvalid` for a bad quantity."""
    if problem := _quantity_error(quantity):
        raise StockInvalid(f"Quantity {problem}.")
    now = timezone.now()
    with transaction.atomic():
        Product.objects.filter(pk=product.pk).update(quantity=quantity, stock_updated_at=now)
        stock.stock_changed([product.pk], brand_ids=[product.brand_id])
    product.quantity = quantity
    product.stock_updated_at = now
    return product


def sales_rank_refresh(*, today: date | None = None) -> int:
    """Recomputes Product.units_sold_30d from the last 30 days of sales (today included).

    One UPDATE with a correlated sum; products without sales get 0. Returns the number
    of products updated. Units sold rank best sellers: the products whose figure moved
    are stamped as changed (their brands' automatic tiles choose again).
    """
    today = today or timezone.localdate()
    since = today - timedelta(days=SALES_WINDOW_DAYS - 1)
    units = (
        SalesRecord.objects.filter(product=OuterRef("pk"), day__gte=since, day__lte=today)
        .order_by()
        .values("product")
        .annotate(total=Sum("units"))
        .values("total")
    )
    new_units = Coalesce(Subquery(units, output_field=IntegerField()), Value(0))
    with transaction.atomic():
        moved = list(Product.objects.annotate(new_units=new_units)
                     .exclude(units_sold_30d=F("new_units")).values_list("pk", flat=True))
        updated = Product.objects.update(units_sold_30d=new_units)
        if moved:
            stock.product_data_changed(moved)
    return updated
