"""How prices are written for shoppers."""
from __future__ import annotations

from decimal import Decimal

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}


def format_price(amount: Decimal, currency: str) -> str:
    """'€19.90' for known currencies, '19.90 SEK' otherwise; thousands separated."""
    number = f"{amount:,.2f}"
    symbol = SYMBOLS.get(currency)
    return f"{symbol}{number}" if symbol else f"{number} {currency}"
