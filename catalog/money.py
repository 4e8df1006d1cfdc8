"""How amounts, numbers and ratings are written: one place, by Babel's CLDR data.

The locale is the active language (`translation.get_language()`, e.g. `nl-nl` on a Dutch
Store's pages, `en-gb` on a UK Store, the user's language in the builder), so the same
price reads `€ 89,99` to Dutch shoppers and `€89.99` to Irish ones.
"""
from __future__ import annotations

from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, format_decimal
from django.utils import translation

_LOCALES: dict[str, Locale] = {}


def current_locale(locale: str | None = None) -> Locale:
    """A Babel locale for a Django language code (`nl`, `en-gb`) or the active one."""
    code = translation.to_locale(locale or translation.get_language() or "en")
    found = _LOCALES.get(code)
    if found is None:
        try:
            found = Locale.parse(code)
        except (UnknownLocaleError, ValueError):
            found = Locale.parse("en")
        _LOCALES[code] = found
    return found


def format_price(amount: Decimal | float | int, currency: str, locale: str | None = None) -> str:
    """A price with its currency in the locale's way: `€ 89,99` (nl), `£89.99` (en-gb)."""
    return format_currency(amount, currency.upper(), locale=current_locale(locale))


def format_number(value: Decimal | float | int, locale: str | None = None, *,
                  decimals: int | None = None) -> str:
    """A plain number with the locale's separators (`1.234,5` in Dutch)."""
    if decimals is None:
        return format_decimal(value, locale=current_locale(locale))
    pattern_digits = "0" * decimals
    pattern = f"#,##0.{pattern_digits}" if decimals else "#,##0"
    return format_decimal(value, format=pattern, locale=current_locale(locale))


def format_rating(value: Decimal | float, locale: str | None = None) -> str:
    """A star rating with one decimal: `4,5` (nl), `4.5` (en)."""
    return format_number(value, locale, decimals=1)
