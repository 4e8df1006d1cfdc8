"""`{% load money %}`: `{{ amount|money:currency }}`, an amount with its currency, written
by the one helper every price goes through (catalog.money.format_price)."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

from catalog.money import format_price

register = template.Library()


@register.filter
def money(amount, currency: str = "EUR") -> str:
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    return format_price(value, currency or "EUR")
