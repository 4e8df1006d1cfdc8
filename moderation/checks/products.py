"""Products: every product a tile names is the brand's and sold on the marketplace."""
from __future__ import annotations

from django.utils.translation import gettext_noop

from catalog.models import Product
from catalog.stored_texts import StoredText

from ..models import ReasonCode
from .base import BLOCKING, WARNING, Place, finding, tiles


def check_products(document: dict, *, brand) -> list[dict]:
    wanted: list[tuple[Place, str]] = [
        (place, asin)
        for place, at, tile_type in tiles(document)
        for asin in tile_type.products(at.config)
    ]
    products = {
        p.asin: p for p in Product.objects.filter(asin__in={a for _, a in wanted})
        .only("asin", "brand_id", "is_active")
    } if wanted else {}
    findings = []
    for place, asin in wanted:
        product = products.get(asin)
        if product is None or product.brand_id != brand.pk:
            findings.append(finding(place, "foreign_product", BLOCKING,
                                    ReasonCode.NOT_BRAND_PRODUCTS,
                                    StoredText(gettext_noop(
                                        "%(asin)s is not a product of %(brand)s."),
                                        asin=asin, brand=brand.name)))
        elif not product.is_active:
            findings.append(finding(place, "inactive_product", WARNING,
                                    ReasonCode.NOT_BRAND_PRODUCTS,
                                    StoredText(gettext_noop(
                                        "%(asin)s is not sold on the marketplace (inactive)."),
                                        asin=asin)))
    return findings
