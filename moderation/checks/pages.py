"""Pages: a Store has pages, and every page has something on it."""
from __future__ import annotations

from django.utils.translation import gettext_noop

from catalog.stored_texts import StoredText
from stores.documents import iter_pages, iter_tiles

from ..models import ReasonCode
from .base import BLOCKING, Place, finding


def check_pages(document: dict) -> list[dict]:
    pages = list(iter_pages(document))
    if not pages:
        return [finding(Place(), "empty_page", BLOCKING, ReasonCode.OTHER,
                        StoredText(gettext_noop("The Store has no pages.")))]
    return [
        finding(Place(page=str(page.get("key") or "")), "empty_page", BLOCKING,
                ReasonCode.OTHER,
                StoredText(gettext_noop("The page \"%(title)s\" has no tiles: shoppers would "
                                        "see an empty page."), title=page.get("title", "")))
        for page in pages
        if next(iter_tiles({"pages": [page]}), None) is None
    ]
