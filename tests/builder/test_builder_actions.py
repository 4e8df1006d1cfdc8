"""The builder's own actions: discard the draft (back to the live version), restore a version
into the draft, the live canvas (the draft page as shoppers would get it), and a new Store
started from a home-page template. Refused requests change nothing."""
from __future__ import annotations

import copy

from django.test import Client
from django.utils import timezone

from stores.models import Store, StoreVersion
from tests import factories
from tests.builder.conftest import grid_document


def version_of(store, document: dict, *, live: bool = False) -> StoreVersion:
    version = StoreVersion.objects.create(
        store=store, number=store.versions.count() + 1, document=document,
        source_revision=store.revision, approved_at=timezone.now())
    if live:
        store.published_version = version
        store.save(update_fields=["published_version"])
    return version


def test_discard_puts_the_live_version_back_into_the_draft(store, seller, products, client_for):
    live = grid_document([products[3].asin])
    version_of(store, live, live=True)

    response = client_for(seller).post(f"/api/v1/stores/{store.pk}/draft/discard/",
                                       {"revision": 3}, format="json")

    assert response.status_code == 200
    assert response.json()["revision"] == 4
    store.refresh_from_db()
    assert store.revision == 4
    assert store.draft["pages"][0]["sections"][0]["tiles"][0]["config"]["asins"] == [
        products[3].asin]


def test_discard_is_refused_when_nothing_is_live_or_the_draft_moved_on(
        store, seller, products, client_for):
    client = client_for(seller)
    before = copy.deepcopy(store.draft)

    nothing = client.post(f"/api/v1/stores/{store.pk}/draft/discard/", {"revision": 3},
                          format="json")
    assert nothing.status_code == 400
    assert nothing.json()["error"]["code"] == "nothing_live"

    version_of(store, grid_document([products[3].asin]), live=True)
    stale = client.post(f"/api/v1/stores/{store.pk}/draft/discard/", {"revision": 2},
                        format="json")
    assert stale.status_code == 409
    store.refresh_from_db()
    assert (store.revision, store.draft) == (3, before)


def test_another_brand_can_neither_discard_nor_restore(
        store, other_brand_owner, products, client_for):
    version = version_of(store, grid_document([products[3].asin]), live=True)
    client = client_for(other_brand_owner)
    before = copy.deepcopy(store.draft)

    assert client.post(f"/api/v1/stores/{store.pk}/draft/discard/", {"revision": 3},
                       format="json").status_code == 404
    assert client.post(f"/api/v1/stores/{store.pk}/versions/{version.pk}/restore/",
                       {"revision": 3}, format="json").status_code == 404
    store.refresh_from_db()
    assert (store.revision, store.draft) == (3, before)


def test_an_old_version_is_restored_into_the_draft(store, seller, products, client_for):
    old = version_of(store, grid_document([products[2].asin, products[1].asin]))
    version_of(store, grid_document([products[3].asin]), live=True)

    response = client_for(seller).post(
        f"/api/v1/stores/{store.pk}/versions/{old.pk}/restore/", {"revision": 3}, format="json")

    assert response.status_code == 200
    store.refresh_from_db()
    assert store.draft["pages"][0]["sections"][0]["tiles"][0]["config"]["asins"] == [
        products[2].asin, products[1].asin]
    assert store.published_version.number == 2  # nothing went live


def test_a_version_of_another_store_is_not_found(store, seller, products, client_for):
    other = factories.StoreFactory(brand=seller.brand, slug="acme-two",
                                   draft=grid_document([products[1].asin]))
    foreign = version_of(other, grid_document([products[1].asin]))

    response = client_for(seller).post(
        f"/api/v1/stores/{store.pk}/versions/{foreign.pk}/restore/", {"revision": 3},
        format="json")

    assert response.status_code == 404
    store.refresh_from_db()
    assert store.revision == 3


def test_the_canvas_is_the_draft_page_as_shoppers_would_get_it(store, seller, products):
    client = Client()
    client.force_login(seller.user)

    page = client.get(f"/builder/stores/{store.pk}/canvas/?page=home&stock=all_in_stock")

    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-tile="t1"' in html
    assert html.count("data-price") == 2  # both products, all in stock
    assert "builder/canvas-frame.css" in html
    assert page["Cache-Control"] == "private, no-store"
    out = client.get(f"/builder/stores/{store.pk}/canvas/?page=home&stock=all_out_of_stock")
    assert "data-price" not in out.content.decode()


def test_the_canvas_is_only_for_the_brand(store, other_brand_owner):
    client = Client()
    assert client.get(f"/builder/stores/{store.pk}/canvas/").status_code == 302  # sign in
    client.force_login(other_brand_owner.user)
    assert client.get(f"/builder/stores/{store.pk}/canvas/").status_code == 404


def test_the_canvas_refuses_an_unknown_page_or_stock_scenario(store, seller):
    client = Client()
    client.force_login(seller.user)
    assert client.get(f"/builder/stores/{store.pk}/canvas/?page=nope").status_code == 404
    assert client.get(f"/builder/stores/{store.pk}/canvas/?stock=most").status_code == 400


def test_a_new_store_starts_from_a_template_with_the_brands_products(seller, products):
    client = Client()
    client.force_login(seller.user)

    response = client.post("/builder/", {"brand": seller.brand.pk, "name": "Acme Trail",
                                         "template": "marquee"})

    store = Store.objects.get(name="Acme Trail")
    assert response.status_code == 302
    assert store.revision == 1
    tiles = [tile for section in store.draft["pages"][0]["sections"]
             for tile in section["tiles"]]
    grid = next(tile for tile in tiles if tile["type"] == "product_grid")
    in_stock = {p.asin for p in products if p.quantity > 0}
    assert set(grid["config"]["asins"]) == in_stock


def test_an_unknown_template_creates_nothing(seller, products):
    client = Client()
    client.force_login(seller.user)

    response = client.post("/builder/", {"brand": seller.brand.pk, "name": "Acme Trail",
                                         "template": "carousel"})

    assert response.status_code == 400
    assert not Store.objects.filter(name="Acme Trail").exists()
