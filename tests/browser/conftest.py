"""Browser tests of the builder: a Store to edit, and the errors a page may not log."""
from __future__ import annotations

import pytest

from catalog.stock import stock_changed
from tests import factories

WELCOME_DRAFT = {"name": "Acme Outdoor", "theme": {"accent_color": "#0a7d5a"}, "pages": [
    {"key": "home", "parent": None, "slug": "", "title": "Home", "sections": [
        {"key": "s1", "layout": "full", "tiles": [
            {"key": "t1", "type": "text", "visibility": "all",
             "config": {"html": "<h2>Welcome</h2>", "align": "start"}}]}]}]}


def welcome_store(seller):
    """The seller's Store "acme-outdoor": a home page with one text tile (t1), a heading."""
    return factories.StoreFactory(brand=seller.brand, name="Acme Outdoor",
                                  slug="acme-outdoor", revision=1, draft=WELCOME_DRAFT)


def page_errors(page) -> list[str]:
    """The page's uncaught errors and Content-Security-Policy violations, as they come."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text)
            if "Content Security Policy" in message.text else None)
    return errors


@pytest.fixture
def shop(transactional_db, seller):
    """The seller's Store: a home page with a text tile, and products (one out of stock)."""
    made = [
        factories.ProductFactory(brand=seller.brand, asin="B0TENT0001", title="Ridge tent 2P",
                                 quantity=4),
        factories.ProductFactory(brand=seller.brand, asin="B0TENT0002", title="Ridge tent 4P",
                                 quantity=0),
        factories.ProductFactory(brand=seller.brand, asin="B0STOVE001", title="Camp stove",
                                 quantity=9),
    ]
    stock_changed([product.pk for product in made])
    return welcome_store(seller)
