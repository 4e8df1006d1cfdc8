"""Fixtures of the builder's API tests: a Store with products, documents, clients."""
from __future__ import annotations

import copy

import pytest
from rest_framework.test import APIClient

from catalog.stock import stock_changed
from tests import factories
from tests.documents import grid_document


@pytest.fixture
def products(seller):
    """Four products of the seller's brand with 0, 1, 2 and 3 units in stock."""
    made = [
        factories.ProductFactory(brand=seller.brand, asin=f"B0ACME000{i}", quantity=i)
        for i in range(4)
    ]
    stock_changed([product.pk for product in made])  # as every stock write does
    return made


@pytest.fixture
def store(seller, products):
    """The seller's Store whose saved draft (revision 3) shows products 1 and 2."""
    return factories.StoreFactory(
        brand=seller.brand, name="Acme Outdoor", slug="acme-outdoor", revision=3,
        draft=grid_document([products[1].asin, products[2].asin]),
    )


@pytest.fixture
def client_for():
    def make(actor=None) -> APIClient:
        client = APIClient()
        if actor is not None:
            client.force_login(actor.user)
        return client

    return make


@pytest.fixture
def doc_copy():
    return copy.deepcopy
