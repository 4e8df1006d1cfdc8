"""Template filters for amounts and numbers, written by catalog.money in the active locale:
`{{ amount|price:"EUR" }}` (or `|money:currency`), `{{ value|number }}`, `{{ value|rating }}`."""
from __future__ import annotations

from django import template

from catalog import money as formatting

register = template.Library()


@register.filter
def price(amount, currency: str = "EUR") -> str:
    """`{{ amount|price:"EUR" }}` → `€ 89,99` in Dutch; "" for no or a non-numeric amount."""
    if amount is None or amount == "":
        return ""
    try:
        return formatting.format_price(amount, currency or "EUR")
    except (ArithmeticError, TypeError, ValueError):
        return ""


# The insights dashboard and the shopper pages name the same filter `money`.
register.filter("money", price)


@register.filter
def number(value, decimals=None) -> str:
    """`{{ value|number }}`, `{{ value|number:1 }}`: the locale's separators."""
    if value is None or value == "":
        return ""
    return formatting.format_number(value, decimals=None if decimals is None else int(decimals))


@register.filter
def rating(value) -> str:
    if value is None or value == "":
        return ""
    return formatting.format_rating(value)
