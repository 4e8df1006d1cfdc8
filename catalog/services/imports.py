"""CSV imports of the catalogue and of stock: every row checked before anything is written.

Imports write in one transaction and bump the brands' versions in it, as every stock and
product-data write does (see catalog.stock).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from catalog import stock
from catalog.models import Brand, Category, Deal, Product, ProductImage
from config.api import DomainError

from .inventory import (
    _asin_error,
    _chunks,
    _products_by_asin,
    _quantities_write,
    _quantity_error,
)


class ImportRefused(DomainError):
    """A CSV import had bad rows and nothing was changed; `.details` lists them."""

    code = "bad_rows"



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
        if stock_ids:
            stock.stock_changed(stock_ids)
        # New products may enter automatic tiles: their brands choose again.
        changed = [p.pk for p in (*to_update, *to_create) if p.pk is not None]
        if changed:
            stock.product_data_changed(changed)
    if result.created >= STATISTICS_AFTER_CREATED:
        catalog_statistics_refresh()
    result.applied = True
    return result


# Products created by one import from which the planner's statistics are refreshed.
STATISTICS_AFTER_CREATED = 1_000


def catalog_statistics_refresh() -> None:
    """Refreshes the query planner's statistics after the catalogue grew in bulk.

    SQLite keeps none unless told: without them it takes the index of a brand of 100,000
    products as if it held ten, and a Store page's candidate queries scan the brand
    instead of reading a few rows. A sampled ANALYZE (analysis_limit) costs milliseconds
    whatever the table size. PostgreSQL's autovacuum gets there too, up to a minute or
    so later: the catalogue's tables are analysed now (a sample as well).
    """
    tables = [model._meta.db_table for model in (Product, Deal, ProductImage)]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit=1000")
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE " + ", ".join(f'"{table}"' for table in tables))


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
    `ImportRefused` and changes nothing, unless `skip_bad_rows`. Changed products'
    brands get their stock versions bumped in the same transaction.
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
        if quantities:
            stock.stock_changed(list(quantities))
    result.applied = True
    return result
