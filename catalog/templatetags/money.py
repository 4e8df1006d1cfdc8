"""`{% load money %}`: `{{ amount|money:currency }}`, an amount with its currency, written
by the one helper every price goes through (catalog.money.format_price)."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

from catalog import money as formats
from catalog.money import format_price

register = template.Library()


@register.filter
def money(amount, currency: str = "EUR") -> str:
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    return format_price(value, currency or "EUR")


@register.filter
def price(amount, currency: str) -> str:
    """`{{ amount|price:"EUR" }}` → `€ 89,99` in Dutch."""
    if amount is None or amount == "":
        return ""
    return formats.format_price(amount, currency)


@register.filter
def number(value, decimals=None) -> str:
    """`{{ value|number }}`, `{{ value|number:1 }}`: the locale's separators."""
    if value is None or value == "":
        return ""
    return formats.format_number(value, decimals=None if decimals is None else int(decimals))


@register.filter
def rating(value) -> str:
    if value is None or value == "":
        return ""
    return formats.format_rating(value)
