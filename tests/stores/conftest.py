"""Helpers for Store tests: a published Store built from a document."""
from __future__ import annotations

import pytest

from stores.models import Store
from tests import factories
from tests.documents import home_document, publish


@pytest.fixture
def make_store(seller):
    def make(document: dict | None = None, *, slug="acme-outdoor", published=True) -> Store:
        document = document or home_document()
        store = factories.StoreFactory(brand=seller.brand, slug=slug, name=document["name"],
                                       draft=document)
        if published:
            publish(store, document)
        return store

    return make


@pytest.fixture
def products(seller):
    """Ten products of the seller's brand, all in stock, B100000000..B100000009."""
    category = factories.CategoryFactory(name="Tents", slug="tents")
    return [
        factories.ProductFactory(asin=f"B1{index:08d}", brand=seller.brand, category=category,
                                 title=f"Trail tent {index}", quantity=5,
                                 units_sold_30d=100 - index)
        for index in range(10)
    ]


@pytest.fixture
def make_asset(seller):
    """A real image Asset of the seller's brand (checked and stored like an upload)."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from stores.assets import asset_create

    def make(color=(10, 125, 90), size=(1600, 600), name="banner.png"):
        buffer = io.BytesIO()
        Image.new("RGB", size, color).save(buffer, "PNG")
        upload = SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
        return asset_create(brand=seller.brand, upload=upload, user=seller.user)

    return make
