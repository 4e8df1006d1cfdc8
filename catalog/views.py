"""The product detail page's content at /dp/<asin>/ (what Store tiles link to).

The page itself is served by stores.public, which adds the way back into the brand's
Store (catalog knows nothing of Stores)."""
from __future__ import annotations

from decimal import Decimal

from . import selectors
from .availability import availability_for
from .money import format_price

CENT = Decimal("0.01")


def product_detail_context(*, asin: str) -> dict | None:
    """Any product by ASIN (None for an unknown one). Price, deal price and Prime badge
    only when the product can be bought now (availability policy). Two queries."""
    product = selectors.product_for_detail(asin=asin)
    if product is None:
        return None
    availability = availability_for(is_active=product.is_active, quantity=product.quantity)
    deal_price = product.deal_price
    if deal_price is not None:
        # SQLite hands back a subquery's decimal unrounded.
        deal_price = Decimal(deal_price).quantize(CENT)
        if deal_price >= product.price:
            deal_price = None  # a "deal" that saves nothing is not shown as one
    savings = None
    if deal_price is not None:
        savings = round((1 - deal_price / product.price) * 100) if product.price else None
    images = list(product.images.all())
    return {
        "product": product,
        "images": images,
        "availability": availability,
        "buyable": availability.is_available_to_buy,
        "deal_price": deal_price,
        "price_text": format_price(deal_price or product.price, product.currency),
        "list_price_text": format_price(product.price, product.currency),
        "savings_percent": savings,
        "stars": int(round(float(product.rating) * 2)),
    }
