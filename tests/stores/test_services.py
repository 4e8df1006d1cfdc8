"""Creating Stores and saving drafts: eligibility, validation, the revision guard."""
from __future__ import annotations

import pytest

from config.api import Forbidden, http_status_for
from stores.documents import DocumentInvalid
from stores.models import Store
from stores.services import StaleRevision, store_create, store_draft_save
from tests import factories
from tests.documents import home_document, section, tile


def test_a_registered_seller_creates_a_store_with_a_home_page(seller):
    store = store_create(user=seller.user, brand=seller.brand, name="Acme Outdoor")
    assert store.slug == "acme-outdoor"
    assert store.revision == 0
    assert store.created_by == seller.user
    assert store.draft == {
        "name": "Acme Outdoor", "theme": {"accent_color": "#0a7d5a"},
        "pages": [{"key": "home", "parent": None, "slug": "", "title": "Home",
                   "sections": []}],
    }


def test_a_taken_slug_gets_a_number(seller):
    store_create(user=seller.user, brand=seller.brand, name="Acme Outdoor")
    second = store_create(user=seller.user, brand=seller.brand, name="Acme Outdoor")
    assert second.slug == "acme-outdoor-2"


def test_an_agency_creates_a_store_for_a_vendor_it_represents(agency):
    store = store_create(user=agency.user, brand=agency.brand, name="Nordic Home")
    assert store.brand == agency.brand


def test_a_seller_without_an_approved_trademark_is_refused(seller):
    seller.brand.enrollment.status = "pending"
    seller.brand.enrollment.save()
    with pytest.raises(Forbidden) as caught:
        store_create(user=seller.user, brand=seller.brand, name="Acme Outdoor")
    assert caught.value.code == "trademark_pending"
    assert Store.objects.count() == 0


def test_another_brands_owner_cannot_create_a_store_for_it(seller, other_brand_owner):
    with pytest.raises(Forbidden):
        store_create(user=other_brand_owner.user, brand=seller.brand, name="Fake")
    assert Store.objects.count() == 0


def test_saving_a_draft_bumps_the_revision_and_keeps_the_normal_form(seller, products):
    store = store_create(user=seller.user, brand=seller.brand, name="Acme Outdoor")
    document = home_document(section("s1", tile("t1", "product", asin=products[0].asin)),
                             name="Acme Outdoor Autumn")
    saved = store_draft_save(store=store, user=seller.user, document=document, base_revision=0)
    assert saved.revision == 1
    assert saved.name == "Acme Outdoor Autumn"
    assert saved.draft["pages"][0]["sections"][0]["tiles"][0] == {
        "key": "t1", "type": "product", "visibility": "all",
        "config": {"asin": "B100000000", "layout": "product_details",
                   "hide_out_of_stock": False}}
    assert Store.objects.get(pk=store.pk).revision == 1


def test_a_stale_revision_is_refused_and_changes_nothing(seller, products):
    store = store_create(user=seller.user, brand=seller.brand, name="Acme Outdoor")
    first = home_document(section("s1", tile("t1", "text", html="<p>First</p>")))
    store_draft_save(store=store, user=seller.user, document=first, base_revision=0)
    second = home_document(section("s1", tile("t1", "text", html="<p>Second</p>")))
    with pytest.raises(StaleRevision) as caught:
        store_draft_save(store=store, user=seller.user, document=second, base_revision=0)
    assert http_status_for(caught.value) == 409
    assert caught.value.details == {"current_revision": 1}
    row = Store.objects.get(pk=store.pk)
    assert row.revision == 1
    assert row.draft["pages"][0]["sections"][0]["tiles"][0]["config"]["html"] == "<p>First</p>"


def test_an_invalid_document_changes_nothing(seller):
    store = store_create(user=seller.user, brand=seller.brand, name="Acme Outdoor")
    with pytest.raises(DocumentInvalid):
        store_draft_save(store=store, user=seller.user, base_revision=0,
                         document=home_document(section("s1", tile("t1", "carousel"))))
    row = Store.objects.get(pk=store.pk)
    assert row.revision == 0
    assert row.draft["pages"][0]["sections"] == []


def test_a_user_of_another_brand_cannot_save_the_draft(seller, other_brand_owner):
    store = store_create(user=seller.user, brand=seller.brand, name="Acme Outdoor")
    with pytest.raises(Forbidden):
        store_draft_save(store=store, user=other_brand_owner.user, base_revision=0,
                         document=home_document(name="Hijacked"))
    assert Store.objects.get(pk=store.pk).name == "Acme Outdoor"


def test_a_product_of_another_brand_cannot_be_saved_into_the_draft(seller, other_brand_owner):
    rival = factories.ProductFactory(asin="B0RIVAL001", brand=other_brand_owner.brand)
    store = store_create(user=seller.user, brand=seller.brand, name="Acme Outdoor")
    with pytest.raises(DocumentInvalid) as caught:
        store_draft_save(store=store, user=seller.user, base_revision=0,
                         document=home_document(section("s1", tile("t1", "product",
                                                                   asin=rival.asin))))
    assert caught.value.details[0]["code"] == "not_brand_product"
    assert Store.objects.get(pk=store.pk).revision == 0
