"""The demo Stores (stores.demo): published, valid, rich, and seeded idempotently."""
from __future__ import annotations

import pytest

from catalog import demo as catalog_demo
from catalog import images
from catalog.models import Product, ProductImage
from stores import demo
from stores.documents import validate_store_document
from stores.models import Asset, Store, StoreVersion

# A small catalogue keeps this test quick: 3 products per line, pictures included.
PER_LINE = {"acme-outdoor": 3, "nordic-home": 2, "summit-kids": 1}


@pytest.fixture
def catalogue(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    images.renditions_forget()
    catalog_demo.seed(password="pw", per_line=PER_LINE)
    # Make sure one Acme product is out of stock (and not on a deal), for the staff picks.
    product = (Product.objects.filter(brand__slug="acme-outdoor", is_active=True,
                                      deals__isnull=True).order_by("-units_sold_30d").last())
    Product.objects.filter(pk=product.pk).update(quantity=0)
    return product


def counts() -> tuple[int, int, int]:
    return Store.objects.count(), StoreVersion.objects.count(), Asset.objects.count()


def tiles(document: dict, page_key: str) -> list[dict]:
    page = next(p for p in document["pages"] if p["key"] == page_key)
    return [tile for section in page["sections"] for tile in section["tiles"]]


def test_seeding_twice_gives_the_same_stores_versions_assets_and_renditions(catalogue):
    first_lines = demo.seed(password="pw")
    after_first = counts()
    acme = Store.objects.get(slug="acme-outdoor")
    published = acme.published_version_id

    second_lines = demo.seed(password="pw")

    # Acme Outdoor on the UK and the Dutch marketplace (the same pictures), Nordic Home.
    assert counts() == after_first == (3, 3, 7)
    assert second_lines == first_lines
    acme.refresh_from_db()
    assert (acme.published_version_id, acme.revision) == (published, 1)
    # Every demo image and product card picture has its renditions ready for the first view.
    images.renditions_forget()
    files = [a.file for a in Asset.objects.all()] + [
        i.image for i in ProductImage.objects.filter(
            product__brand__slug__in=["acme-outdoor", "nordic-home"], position=0)]
    assert len(files) > 6
    assert all(images.renditions_ensure(f, generate=False) is not None for f in files)


def test_the_demo_stores_are_published_with_rich_home_pages_and_sub_pages(catalogue):
    lines = demo.seed(password="pw")

    store = Store.objects.get(slug="acme-outdoor")
    version = store.published_version
    assert store.brand.name == "Acme Outdoor"
    assert store.status == "published"
    assert (version.number, store.revision, version.source_revision) == (1, 1, 1)
    assert version.approved_at is not None
    assert version.document == store.draft
    assert validate_store_document(version.document, brand=store.brand) == version.document
    pages = {p["key"]: (p["parent"], p["slug"]) for p in version.document["pages"]}
    assert pages == {
        "home": (None, ""), "tents": ("home", "tents"), "shoes": ("home", "shoes"),
        "trail-running": ("shoes", "trail-running"), "jackets": ("home", "jackets"),
        "backpacks": ("home", "backpacks"),
    }
    home = tiles(version.document, "home")
    assert [t["type"] for t in home] == [
        "image", "text", "featured_deals", "best_sellers", "shoppable_image", "text",
        "product_grid", "video", "product", "recommended_products"]
    hero = home[0]["config"]
    assert hero["alt"] and hero["phone_asset"] and hero["link"] == {"page": "tents"}
    hero_asset = Asset.objects.get(pk=hero["asset"])
    assert (hero_asset.width, hero_asset.height) == (2400, 900)
    picks = home[6]["config"]["asins"]
    out_of_stock = [a for a in picks if Product.objects.get(asin=a).quantity == 0]
    assert len(picks) == 10 and len(out_of_stock) == 1  # one out-of-stock product shown
    assert len(home[4]["config"]["hotspots"]) == 3
    assert lines[0] == "Store Acme Outdoor (6 pages): http://127.0.0.1:8000/stores/acme-outdoor/"
    assert ("  Trail running: http://127.0.0.1:8000/stores/acme-outdoor/shoes/trail-running/"
            in lines)

    nordic = Store.objects.get(slug="nordic-home")
    assert nordic.brand.slug == "nordic-home"
    assert nordic.status == "published"
    assert [p["key"] for p in nordic.published_version.document["pages"]] == [
        "home", "living-room", "kitchen"]
    validate_store_document(nordic.published_version.document, brand=nordic.brand)
    assert "Store Nordic Home (3 pages): http://127.0.0.1:8000/stores/nordic-home/" in lines
    dutch = Store.objects.get(slug="acme-outdoor-nl")
    assert (dutch.brand.slug, dutch.marketplace_id, store.marketplace_id) == (
        "acme-outdoor", "nl", "uk")
    assert [p["title"] for p in dutch.published_version.document["pages"]] == [
        "Start", "Tenten", "Schoenen", "Trailrunning", "Jassen", "Rugzakken"]
    assert "Store Acme Outdoor (6 pages): http://127.0.0.1:8000/stores/acme-outdoor-nl/" in lines
    from moderation.checks import document_check

    # Its Dutch passes the language and spelling checks of the Dutch marketplace.
    assert [f["message"] for f in document_check(
        document=dutch.published_version.document, brand=dutch.brand, language="nl")
        if f["check_name"] in ("language", "spelling")] == []


def test_without_the_catalogue_the_stores_are_skipped(db):
    lines = demo.seed(password="pw")

    assert Store.objects.count() == 0
    assert lines[0].startswith("Demo Store acme-outdoor: skipped")
