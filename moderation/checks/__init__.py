"""Automated checks of a Store document, one module per family of checks.

Each family asks the tile types what they show (`texts`, `images`, `products`, `links`)
and the content policy (stores.content_policy) what is allowed: nothing here knows a
tile's config keys. `document_check` runs on a submitted version (blocking findings reject
it at once); `draft_findings` runs the same checks on a draft while the brand edits, with
images judged from what the database knows (no decoding).
"""
from __future__ import annotations

from .base import BLOCKING, WARNING
from .images import check_images
from .language import check_language
from .pages import check_pages
from .products import check_products
from .text import check_text

__all__ = ["BLOCKING", "WARNING", "document_check", "draft_findings"]


def document_check(*, document: dict, brand, decode_images: bool = True) -> list[dict]:
    """All findings for a Store document of `brand` (blocking first)."""
    findings = (
        check_pages(document)
        + check_text(document)
        + check_language(document, brand=brand)
        + check_images(document, brand=brand, decode=decode_images)
        + check_products(document, brand=brand)
    )
    return sorted(findings, key=lambda f: f["severity"] != BLOCKING)


def draft_findings(*, document: dict, brand) -> list[dict]:
    """The findings a brand sees while editing: every check, images without decoding."""
    return document_check(document=document, brand=brand, decode_images=False)
