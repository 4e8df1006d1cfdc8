"""Share links through the API: made, listed and revoked by the brand, opaque to anyone."""
from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from stores.models import ShareLink


def links_url(store) -> str:
    return f"/api/v1/stores/{store.pk}/previews/"


def test_a_share_link_is_listed_with_its_status_and_holds_no_ids(seller, store, client_for):
    client = client_for(seller)
    made = client.post(links_url(store), {"label": "For the agency", "expires_in_hours": 48},
                       format="json")

    assert made.status_code == 201
    body = made.json()
    token = body["path"].split("/")[3]
    assert body["path"] == f"/stores/_preview/{token}/"
    assert str(store.pk) not in token
    listed = client.get(links_url(store)).json()["results"]
    assert [(row["id"], row["label"], row["status"], row["created_by"]) for row in listed] == [
        (body["id"], "For the agency", "active", "seller_owner")]


def test_revoking_a_share_link_through_the_api_stops_it_at_once(seller, store, client_for):
    client = client_for(seller)
    link = client.post(links_url(store), {}, format="json").json()
    assert APIClient().get(link["path"]).status_code == 200

    revoked = client.post(f"{links_url(store)}{link['id']}/revoke/", format="json")

    assert revoked.status_code == 200
    assert revoked.json()["status"] == "revoked"
    assert APIClient().get(link["path"]).status_code == 410
    assert client.get(links_url(store)).json()["results"][0]["status"] == "revoked"


@pytest.mark.parametrize("actor_name", ["other_brand_owner", "moderator"])
def test_nobody_else_lists_or_revokes_a_stores_links(request, actor_name, seller, store,
                                                     client_for):
    link = client_for(seller).post(links_url(store), {}, format="json").json()
    other = client_for(request.getfixturevalue(actor_name))

    assert other.get(links_url(store)).status_code == 404
    assert other.post(f"{links_url(store)}{link['id']}/revoke/").status_code == 404
    assert ShareLink.objects.get(pk=link["id"]).revoked_at is None


def test_a_link_of_another_store_cannot_be_revoked_through_this_one(
        seller, store, vendor, client_for):
    from tests import factories

    other_store = factories.StoreFactory(brand=vendor.brand, slug="nordic")
    theirs = client_for(vendor).post(links_url(other_store), {}, format="json").json()

    response = client_for(seller).post(f"{links_url(store)}{theirs['id']}/revoke/")

    assert response.status_code == 404
    assert ShareLink.objects.get(pk=theirs["id"]).revoked_at is None


def test_the_builders_preview_frame_reuses_its_link_and_is_not_listed(seller, store,
                                                                       client_for):
    client = client_for(seller)
    first = client.post(links_url(store), {"purpose": "preview"}, format="json").json()
    second = client.post(links_url(store), {"purpose": "preview"}, format="json").json()

    assert first["path"] == second["path"]
    assert client.get(links_url(store)).json()["results"] == []


def test_a_link_may_not_outlive_thirty_days(seller, store, client_for):
    response = client_for(seller).post(links_url(store), {"expires_in_hours": 24 * 31},
                                       format="json")

    assert response.status_code == 400
    assert "expires_in_hours" in response.json()["errors"]
    assert not ShareLink.objects.exists()
