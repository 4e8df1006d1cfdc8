"""Findings before submitting: the automated checks on the draft, shown while the brand
edits; submitting an incomplete draft or one with blocking findings is refused."""
from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from moderation.models import Submission
from stores.models import Asset, StoreVersion
from tests.documents import home_document, section, store_document, tile

pytestmark = pytest.mark.django_db


def client_for(actor) -> APIClient:
    client = APIClient()
    if actor is not None:
        client.force_authenticate(actor.user)
    return client


def findings_url(store) -> str:
    return f"/api/v1/stores/{store.pk}/draft/findings/"


def small_image(brand) -> Asset:
    # Only the stored size is read while editing: no file needed.
    return Asset.objects.create(brand=brand, file="assets/small.png", sha256="s" * 64,
                                content_type="image/png", width=500, height=300)


def test_a_clean_draft_has_no_findings_and_may_be_submitted(store, seller):
    response = client_for(seller).get(findings_url(store))

    assert response.status_code == 200
    assert response.json() == {"findings": [], "incomplete": [], "ready": True}


def test_findings_point_at_their_tile_and_say_they_are_automated(store, seller):
    store.draft = home_document(section("s1", tile("t1", "image", asset=small_image(
        seller.brand).pk, alt="Tents in the snow")))
    store.save()

    body = client_for(seller).get(findings_url(store)).json()

    assert body["ready"] is False
    [finding] = body["findings"]
    assert finding == {
        "severity": "blocking", "code": "image_resolution", "reason": "low_quality_image",
        "page": "home", "section": "s1", "tile": "t1", "source": "automated",
        "message": finding["message"],
    }
    assert "needs at least 1200 px" in finding["message"]


def test_another_brand_does_not_see_the_findings_of_my_draft(store, other_brand_owner):
    assert client_for(other_brand_owner).get(findings_url(store)).status_code == 404
    assert client_for(None).get(findings_url(store)).status_code in (401, 403)


def test_submitting_a_draft_with_blocking_findings_is_refused_with_them(store, seller):
    store.draft = home_document(section("s1", tile("t1", "image", asset=small_image(
        seller.brand).pk, alt="Tents in the snow")))
    store.save()

    response = client_for(seller).post(f"/api/v1/stores/{store.pk}/submissions/")

    assert response.status_code == 400
    body = response.json()
    assert body["error"]["code"] == "draft_not_ready"
    assert [(f["code"], f["tile"]) for f in body["errors"]["findings"]] == [
        ("image_resolution", "t1")]
    assert not Submission.objects.filter(store=store).exists()
    assert not StoreVersion.objects.filter(store=store).exists()


def test_submitting_an_incomplete_draft_is_refused_with_what_is_missing(store, seller,
                                                                        products):
    document = store_document([p.asin for p in products])
    document["pages"][0]["sections"][0]["tiles"].append(tile("t9", "image"))
    store.draft = document
    store.save()

    response = client_for(seller).post(f"/api/v1/stores/{store.pk}/submissions/")

    assert response.status_code == 400
    missing = response.json()["errors"]["incomplete"]
    assert [(m["tile"], m["field"], m["code"]) for m in missing] == [
        ("t9", "asset", "required"), ("t9", "alt", "missing_alt")]
    assert not Submission.objects.filter(store=store).exists()


def test_saving_an_incomplete_draft_answers_what_is_missing(store, seller, products):
    document = store_document([p.asin for p in products])
    document["pages"][0]["sections"][0]["tiles"].append(tile("t9", "gallery", images=[]))
    body = {**document, "revision": store.revision}

    response = client_for(seller).put(f"/api/v1/stores/{store.pk}/draft/", body, format="json")

    assert response.status_code == 200
    [missing] = response.json()["incomplete"]
    assert (missing["page"], missing["section"], missing["tile"], missing["field"]) == (
        "home", "s1", "t9", "images")
    assert missing["path"] == "pages[0].sections[0].tiles[2].config.images"
    store.refresh_from_db()
    assert store.draft["pages"][0]["sections"][0]["tiles"][2]["config"] == {"images": []}


def test_the_findings_of_a_draft_take_a_fixed_number_of_queries(store, seller,
                                                                 django_assert_num_queries):
    client = client_for(seller)
    # The Store, its brand, and the products it names (read to validate, then to check).
    with django_assert_num_queries(4):
        response = client.get(findings_url(store))
    assert response.status_code == 200


def test_the_tile_types_need_no_query_beyond_the_session(seller, django_assert_num_queries):
    client = client_for(seller)
    with django_assert_num_queries(0):
        response = client.get("/api/v1/tile-types/")
    assert response.status_code == 200
