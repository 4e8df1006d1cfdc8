"""Template filters for amounts and numbers, by catalog.money (the active locale)."""
from __future__ import annotations

from django import template

from catalog import money

register = template.Library()


@register.filter
def price(amount, currency: str) -> str:
    """`{{ amount|price:"EUR" }}` → `€ 89,99` in Dutch."""
    if amount is None or amount == "":
        return ""
    return money.format_price(amount, currency)


@register.filter
def number(value, decimals=None) -> str:
    """`{{ value|number }}`, `{{ value|number:1 }}`: the locale's separators."""
    if value is None or value == "":
        return ""
    return money.format_number(value, decimals=None if decimals is None else int(decimals))


@register.filter
def rating(value) -> str:
    if value is None or value == "":
        return ""
    return money.format_rating(value)
