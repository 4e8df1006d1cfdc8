"""Helpers for Store tests: a published Store built from a document."""
from __future__ import annotations

import pytest
from django.utils import timezone

from stores.models import Store, StoreVersion
from tests import factories


def home_document(*sections, pages=None, name="Acme Outdoor") -> dict:
    return {
        "name": name,
        "theme": {"accent_color": "#0a7d5a"},
        "pages": [
            {"key": "home", "parent": None, "slug": "", "title": "Home",
             "sections": list(sections)},
            *(pages or []),
        ],
    }


def section(key: str, *tiles, layout: str = "full") -> dict:
    return {"key": key, "layout": layout, "tiles": list(tiles)}


def tile(key: str, type_: str, **config) -> dict:
    return {"key": key, "type": type_, "config": config}


def publish(store: Store, document: dict, **version_fields) -> StoreVersion:
    """Make `document` a version of `store` and publish it (what moderation does)."""
    number = store.versions.count() + 1
    version = StoreVersion.objects.create(
        store=store, number=number, document=document, source_revision=store.revision,
        approved_at=timezone.now(), **version_fields,
    )
    if not version_fields.get("schedule_starts_at"):
        store.published_version = version
        store.save(update_fields=["published_version"])
    return version


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


def published_document(store_brand, document: dict) -> dict:
    """The normal form, as a version holds it."""
    from stores.documents import validate_store_document

    return validate_store_document(document, brand=store_brand)


def card_html(html: str, asin: str) -> str | None:
    """The HTML of the first card of `asin` on the page (None when absent)."""
    import re

    at = html.find(f'data-asin="{asin}"')
    if at == -1:
        return None
    start = html.rfind("<", 0, at)
    tag = re.match(r"<(\w+)", html[start:]).group(1)
    end = html.find(f"</{tag}>", at)
    return html[start:end + len(tag) + 3]


def tile_present(html: str, key: str) -> bool:
    return f'data-tile="{key}"' in html
