"""Writes to the catalogue: stock, sales ranks and CSV imports.

Every write of Product.quantity or Product.is_active calls `catalog.stock.stock_changed`
after its transaction commits, so live Store pages see the new stock at once; writes of
what a product card shows call `catalog.stock.product_data_changed` likewise.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import partial

from django.db import connection, transaction
from django.db.models import IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify

from config.api import DomainError

from . import stock
from .models import ASIN_RE, Brand, Category, Product, SalesRecord
from .selectors import brands_for_user

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


class ImportRefused(DomainError):
    """A CSV import had bad rows and nothing was changed; `.details` lists them."""

    code = "bad_rows"


def _chunks(seq: Sequence, size: int = _CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(seq), size):
        yield seq[start:start + size]


def _on_commit_stock_changed(product_ids: list[int]) -> None:
    if product_ids:
        transaction.on_commit(partial(stock.stock_changed, product_ids))


def _on_commit_product_data_changed(product_ids: list[int]) -> None:
    if product_ids:
        transaction.on_commit(partial(stock.product_data_changed, product_ids))


def product_cards_changed(*, product_ids: Iterable[int]) -> None:
    """After the current transaction commits, tells live pages that what these products'
    cards show (title, price, Prime, rating, images, deals) changed."""
    _on_commit_product_data_changed(list(product_ids))


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
    Otherwise all quantities are written in one transaction and `stock_changed` is
    called after commit.
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
        _on_commit_stock_changed(list(quantities))
    return written


def stock_set(*, product: Product, quantity: int) -> Product:
    """Sets one product's stock; raises `StockInvalid` for a bad quantity."""
    if problem := _quantity_error(quantity):
        raise StockInvalid(f"Quantity {problem}.")
    now = timezone.now()
    with transaction.atomic():
        Product.objects.filter(pk=product.pk).update(quantity=quantity, stock_updated_at=now)
        _on_commit_stock_changed([product.pk])
    product.quantity = quantity
    product.stock_updated_at = now
    return product


def sales_rank_refresh(*, today: date | None = None) -> int:
    """Recomputes Product.units_sold_30d from the last 30 days of sales (today included).

    One UPDATE with a correlated sum; products without sales get 0. Returns the number
    of products updated.
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
    return Product.objects.update(
        units_sold_30d=Coalesce(Subquery(units, output_field=IntegerField()), Value(0))
    )


# --- CSV imports -------------------------------------------------------------------------

CATALOG_COLUMNS = (
    "asin", "brand", "title", "category", "price", "currency", "is_prime", "rating",
    "review_count", "quantity", "bullet_points", "description", "is_active",
)
CATALOG_REQUIRED = ("asin", "brand", "title", "price")
INVENTORY_COLUMNS = ("asin", "quantity")
_TRUE = {"1", "true", "yes", "y"}
_FALSE = {"0", "false", "no", "n"}


@dataclass(frozen=True)
class BadRow:
    row: int  # the CSV row number, the header being row 1
    reason: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    bad_rows: list[BadRow] = field(default_factory=list)
    applied: bool = False

    @property
    def bad(self) -> int:
        return len(self.bad_rows)


class _RowError(ValueError):
    pass


def _check_cells(row: dict) -> None:
    """Refuses a row with text the database cannot store (NUL, lone surrogates)."""
    from config.parsers import bad_text_reason

    for name, value in row.items():
        for text in (name, value) if isinstance(value, str) else (name,):
            reason = isinstance(text, str) and bad_text_reason(text)
            if reason:
                raise _RowError(f"{name}: {reason}")


def _text(row: dict, name: str, *, max_length: int | None = None) -> str:
    value = (row.get(name) or "").strip()
    if max_length and len(value) > max_length:
        raise _RowError(f"{name}: at most {max_length} characters")
    return value


def _bool(row: dict, name: str, *, default: bool) -> bool:
    value = _text(row, name).lower()
    if value == "":
        return default
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise _RowError(f"{name}: {value!r} is not true/false")


def _int(row: dict, name: str, *, default: int | None = None) -> int:
    value = _text(row, name)
    if value == "" and default is not None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise _RowError(f"{name}: {value!r} is not a whole number") from None
    if problem := _quantity_error(number):
        raise _RowError(f"{name}: {problem}")
    return number


def _decimal(row: dict, name: str, *, places: int, maximum: Decimal, default=None) -> Decimal:
    value = _text(row, name)
    if value == "" and default is not None:
        return default
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise _RowError(f"{name}: {value!r} is not a number") from None
    if not number.is_finite() or number < 0 or number > maximum:
        raise _RowError(f"{name}: must be between 0 and {maximum}")
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise _RowError(f"{name}: at most {places} decimal place{'s' if places > 1 else ''}")
    return number.quantize(Decimal(1).scaleb(-places))


def _category_name(row: dict) -> str:
    value = _text(row, "category", max_length=100)
    if value and not slugify(value):
        raise _RowError(f"category: {value!r} needs letters or digits")
    return value


def _asin(row: dict) -> str:
    value = _text(row, "asin")
    if problem := _asin_error(value):
        raise _RowError(f"asin: {value!r}: {problem}")
    return value


def _check_columns(fieldnames: Sequence[str] | None, required: Iterable[str]) -> None:
    missing = [name for name in required if name not in (fieldnames or ())]
    if missing:
        raise ImportRefused(
            f"The CSV header lacks the column(s): {', '.join(missing)}.",
            code="missing_columns",
            details=[{"row": 1, "reason": f"missing column {name}"} for name in missing],
        )


def _refuse_or_skip(result: ImportResult, *, skip_bad_rows: bool) -> None:
    if result.bad_rows and not skip_bad_rows:
        raise ImportRefused(
            f"{result.bad} bad row(s); nothing was changed.",
            details=[{"row": bad.row, "reason": bad.reason} for bad in result.bad_rows],
        )


_PRODUCT_FIELDS = (
    "brand_id", "category_id", "title", "price", "currency", "is_prime", "rating",
    "review_count", "quantity", "bullet_points", "description", "is_active",
)


def catalog_import(
    *, rows: Iterable[dict], fieldnames: Sequence[str] | None, skip_bad_rows: bool = False
) -> ImportResult:
    """Creates or updates products from CSV rows (see CATALOG_COLUMNS).

    `brand` is an existing brand's slug; `category` a category name (created when new);
    `bullet_points` are separated by "|"; empty optional cells take the defaults
    (currency EUR, is_prime false, rating 0, review_count 0, quantity 0, is_active true).
    Any bad row raises `ImportRefused` listing every bad row and changes nothing, unless
    `skip_bad_rows`, in which case the good rows are applied and the bad ones reported.
    """
    _check_columns(fieldnames, CATALOG_REQUIRED)
    brands = dict(Brand.objects.values_list("slug", "id"))
    result = ImportResult()
    parsed: dict[str, dict] = {}
    first_row: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        try:
            _check_cells(row)
            asin = _asin(row)
            if asin in first_row:
                raise _RowError(f"asin: {asin} is already in row {first_row[asin]}")
            brand_slug = _text(row, "brand")
            if brand_slug not in brands:
                raise _RowError(f"brand: no brand with the slug {brand_slug!r}")
            title = _text(row, "title", max_length=300)
            if not title:
                raise _RowError("title: required")
            currency = _text(row, "currency").upper() or "EUR"
            if len(currency) != 3 or not currency.isalpha():
                raise _RowError(f"currency: {currency!r} is not a 3-letter code")
            bullets = [part.strip() for part in _text(row, "bullet_points").split("|")]
            values = {
                "brand_id": brands[brand_slug],
                "category": _category_name(row),
                "title": title,
                "price": _decimal(row, "price", places=2, maximum=Decimal("99999999.99")),
                "currency": currency,
                "is_prime": _bool(row, "is_prime", default=False),
                "rating": _decimal(row, "rating", places=1, maximum=Decimal(5),
                                   default=Decimal("0.0")),
                "review_count": _int(row, "review_count", default=0),
                "quantity": _int(row, "quantity", default=0),
                "bullet_points": [bullet for bullet in bullets if bullet],
                "description": _text(row, "description"),
                "is_active": _bool(row, "is_active", default=True),
            }
        except _RowError as exc:
            result.bad_rows.append(BadRow(number, str(exc)))
            continue
        first_row[asin] = number
        parsed[asin] = values
    _refuse_or_skip(result, skip_bad_rows=skip_bad_rows)

    with transaction.atomic():
        categories = _categories_for({values["category"] for values in parsed.values()})
        existing = {
            product.asin: product
            for chunk in _chunks(list(parsed))
            for product in Product.objects.filter(asin__in=chunk).select_for_update()
        }
        to_create: list[Product] = []
        to_update: list[Product] = []
        stock_ids: list[int] = []
        for asin, values in parsed.items():
            values["category_id"] = categories.get(values.pop("category"))
            product = existing.get(asin)
            if product is None:
                to_create.append(Product(asin=asin, stock_updated_at=timezone.now(), **values))
                continue
            changed = [name for name in _PRODUCT_FIELDS if getattr(product, name) != values[name]]
            if not changed:
                result.unchanged += 1
                continue
            if {"quantity", "is_active"} & set(changed):
                stock_ids.append(product.pk)
                product.stock_updated_at = timezone.now()
            for name in _PRODUCT_FIELDS:
                setattr(product, name, values[name])
            to_update.append(product)
        Product.objects.bulk_create(to_create, batch_size=500)
        Product.objects.bulk_update(
            to_update, [*_PRODUCT_FIELDS, "stock_updated_at"], batch_size=500
        )
        result.created, result.updated = len(to_create), len(to_update)
        _on_commit_stock_changed(stock_ids)
        _on_commit_product_data_changed([product.pk for product in to_update])
    result.applied = True
    return result


def _categories_for(names: set[str]) -> dict[str, int]:
    """{name: category id}: an existing category of that name or slug, else a new one."""
    names.discard("")
    by_name = {name.lower(): pk for pk, name in Category.objects.values_list("id", "name")}
    by_slug = dict(Category.objects.values_list("slug", "id"))
    found: dict[str, int] = {}
    for name in sorted(names):
        slug = slugify(name)
        pk = by_name.get(name.lower()) or by_slug.get(slug)
        if pk is None:
            pk = by_slug[slug] = by_name[name.lower()] = Category.objects.create(
                name=name, slug=slug).id
        found[name] = pk
    return found


def inventory_import(
    *, rows: Iterable[dict], fieldnames: Sequence[str] | None, skip_bad_rows: bool = False
) -> ImportResult:
    """Sets stock from CSV rows `asin,quantity` (any brand: an operator's import).

    Unknown ASINs, bad quantities and repeated ASINs are bad rows. Any bad row raises
    `ImportRefused` and changes nothing, unless `skip_bad_rows`. Changed products get
    `stock_changed` after commit.
    """
    _check_columns(fieldnames, INVENTORY_COLUMNS)
    result = ImportResult()
    wanted: dict[str, tuple[int, int]] = {}  # asin -> (row number, quantity)
    for number, row in enumerate(rows, start=2):
        try:
            _check_cells(row)
            asin = _asin(row)
            if asin in wanted:
                raise _RowError(f"asin: {asin} is already in row {wanted[asin][0]}")
            quantity = _int(row, "quantity")
        except _RowError as exc:
            result.bad_rows.append(BadRow(number, str(exc)))
            continue
        wanted[asin] = (number, quantity)

    with transaction.atomic():
        found = _products_by_asin(list(wanted), lock=True)
        quantities: dict[int, int] = {}
        for asin, (number, quantity) in wanted.items():
            if asin not in found:
                result.bad_rows.append(BadRow(number, f"asin: {asin}: no such product"))
            elif found[asin][2] == quantity:
                result.unchanged += 1
            else:
                quantities[found[asin][0]] = quantity
        result.bad_rows.sort(key=lambda bad: bad.row)
        _refuse_or_skip(result, skip_bad_rows=skip_bad_rows)
        result.updated = _quantities_write(quantities, at=timezone.now())
        _on_commit_stock_changed(list(quantities))
    result.applied = True
    return result
