"""The builder's REST API: Stores, the draft (revision, 409, 400 with places), assets,
versions, previews, stock health, page templates and tile types."""
from __future__ import annotations

import copy
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from catalog.models import BrandRegistryEnrollment
from stores.models import Asset, Store, StoreVersion
from tests import factories
from tests.documents import grid_document


def png_bytes(size=(320, 200), color=(10, 125, 90)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def draft_url(store) -> str:
    return f"/api/v1/stores/{store.pk}/draft/"


def assert_draft_unchanged(store, draft: dict, revision: int) -> None:
    store.refresh_from_db()
    assert store.revision == revision
    assert store.draft == draft


# --- Stores ---------------------------------------------------------------------------


def test_the_store_list_shows_only_stores_of_brands_the_user_acts_for(
        seller, other_brand_owner, store, client_for, django_assert_num_queries):
    factories.StoreFactory(brand=other_brand_owner.brand, name="Rival", slug="rival")
    client = client_for(seller)

    with django_assert_num_queries(4):  # session, user, count, page of Stores with brands
        response = client.get("/api/v1/stores/")

    assert response.status_code == 200
    assert response.json()["count"] == 1
    row = response.json()["results"][0]
    assert row["id"] == store.pk
    assert row["slug"] == "acme-outdoor"
    assert row["brand_name"] == "Acme Outdoor"
    assert row["status"] == "draft"
    assert row["revision"] == 3
    assert row["live_url"] is None
    assert row["insights_url"] == f"/builder/stores/{store.pk}/insights/"


def test_the_store_list_costs_the_same_queries_for_many_stores(
        seller, client_for, django_assert_num_queries):
    for i in range(6):
        factories.StoreFactory(brand=seller.brand, slug=f"acme-{i}")
    client = client_for(seller)

    with django_assert_num_queries(4):
        response = client.get("/api/v1/stores/")

    assert response.json()["count"] == 6


def test_an_eligible_owner_creates_a_store_with_a_home_page(seller, client_for):
    response = client_for(seller).post(
        "/api/v1/stores/", {"brand": seller.brand.pk, "name": "Acme Trail"}, format="json")

    assert response.status_code == 201
    store = Store.objects.get(pk=response.json()["id"])
    assert store.brand == seller.brand
    assert store.slug == "acme-trail"
    assert response.json()["status"] == "draft"
    assert [page["key"] for page in store.draft["pages"]] == ["home"]


def test_a_seller_without_an_approved_trademark_is_refused_with_the_reason(seller, client_for):
    BrandRegistryEnrollment.objects.filter(brand=seller.brand).update(status="rejected")

    response = client_for(seller).post(
        "/api/v1/stores/", {"brand": seller.brand.pk, "name": "Acme Trail"}, format="json")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "trademark_rejected"
    assert "not approved" in response.json()["error"]["message"]
    assert Store.objects.count() == 0


def test_creating_a_store_for_another_brand_reads_as_an_unknown_brand(
        seller, other_brand_owner, client_for):
    response = client_for(seller).post(
        "/api/v1/stores/", {"brand": other_brand_owner.brand.pk, "name": "Not mine"},
        format="json")

    assert response.status_code == 400
    assert "brand" in response.json()["errors"]
    assert Store.objects.count() == 0


def test_the_store_resource_has_its_status_revision_and_live_url(seller, store, client_for):
    response = client_for(seller).get(f"/api/v1/stores/{store.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert {key: body[key] for key in ("id", "slug", "name", "brand", "status", "revision")} == {
        "id": store.pk, "slug": "acme-outdoor", "name": "Acme Outdoor",
        "brand": store.brand_id, "status": "draft", "revision": 3,
    }
    assert body["published_version"] is None


def test_token_authentication_reads_the_draft(seller, store):
    token = Token.objects.create(user=seller.user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = client.get(draft_url(store))

    assert response.status_code == 200
    assert response.json()["revision"] == 3


# --- Who may read and write -----------------------------------------------------------


MATRIX = [
    # actor, read status, write status
    ("anonymous", 403, 403),
    ("other_brand_owner", 404, 404),
    ("moderator", 404, 404),
    ("vendor", 200, 200),
    ("agency", 200, 200),
]


@pytest.mark.parametrize(("actor_name", "read_status", "write_status"), MATRIX)
def test_who_may_read_and_write_a_vendor_store(
        request, actor_name, read_status, write_status, vendor, client_for):
    product = factories.ProductFactory(brand=vendor.brand, asin="B0NORDIC01")
    draft = grid_document([product.asin], name="Nordic Home")
    store = factories.StoreFactory(brand=vendor.brand, slug="nordic-home", revision=1,
                                   draft=copy.deepcopy(draft))
    actor = None if actor_name == "anonymous" else request.getfixturevalue(actor_name)
    client = client_for(actor)
    changed = copy.deepcopy(draft)
    changed["pages"][0]["title"] = "Welcome"

    reads = [client.get(f"/api/v1/stores/{store.pk}/"), client.get(draft_url(store)),
             client.get(f"/api/v1/stores/{store.pk}/versions/"),
             client.get(f"/api/v1/stores/{store.pk}/assets/"),
             client.get(f"/api/v1/stores/{store.pk}/stock-health/")]
    write = client.put(draft_url(store), {**changed, "revision": 1}, format="json")

    assert [r.status_code for r in reads] == [read_status] * 5
    assert write.status_code == write_status
    store.refresh_from_db()
    if write_status == 200:
        assert store.revision == 2
        assert store.draft["pages"][0]["title"] == "Welcome"
    else:
        assert_draft_unchanged(store, draft, 1)


@pytest.mark.parametrize("actor_name", ["other_brand_owner", "moderator"])
def test_another_brands_store_accepts_no_upload_preview_or_page(
        request, actor_name, store, client_for):
    client = client_for(request.getfixturevalue(actor_name))

    upload = client.post(f"/api/v1/stores/{store.pk}/assets/",
                         {"file": SimpleUploadedFile("a.png", png_bytes(), "image/png")},
                         format="multipart")
    preview = client.post(f"/api/v1/stores/{store.pk}/previews/", {}, format="json")
    page = client.post(f"/api/v1/stores/{store.pk}/page-from-template/",
                       {"template": "blank", "page_key": "p9", "parent": "home",
                        "slug": "x", "title": "X"}, format="json")

    assert [upload.status_code, preview.status_code, page.status_code] == [404, 404, 404]
    assert Asset.objects.count() == 0


def test_a_seller_whose_trademark_lapsed_may_read_but_not_write(seller, store, client_for):
    BrandRegistryEnrollment.objects.filter(brand=seller.brand).update(trademark_active=False)
    client = client_for(seller)
    draft = copy.deepcopy(store.draft)

    read = client.get(draft_url(store))
    write = client.put(draft_url(store), {**draft, "revision": 3}, format="json")

    assert read.status_code == 200
    assert write.status_code == 403
    assert write.json()["error"]["code"] == "trademark_inactive"
    assert_draft_unchanged(store, draft, 3)


# --- The draft ------------------------------------------------------------------------


def test_the_draft_is_the_store_document_with_its_revision(seller, store, client_for):
    response = client_for(seller).get(draft_url(store))

    assert response.status_code == 200
    assert response.json() == {**store.draft, "revision": 3}


def test_saving_the_draft_bumps_the_revision_and_returns_the_normal_form(
        seller, store, products, client_for):
    document = grid_document([products[3].asin])
    document["pages"][0]["sections"][0]["tiles"].append(
        {"key": "t2", "type": "text",
         "config": {"html": "<p>Hi <b>there</b><u onclick=x>!</u></p>"}})

    response = client_for(seller).put(draft_url(store), {**document, "revision": 3},
                                      format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["revision"] == 4
    tiles = body["pages"][0]["sections"][0]["tiles"]
    assert tiles[0]["config"]["asins"] == [products[3].asin]
    assert tiles[1]["config"]["html"] == "<p>Hi <b>there</b><u>!</u></p>"
    store.refresh_from_db()
    assert store.revision == 4
    assert body["incomplete"] == []
    assert store.draft == {key: value for key, value in body.items()
                           if key not in ("revision", "incomplete")}


def _tile(document):
    return document["pages"][0]["sections"][0]["tiles"][0]


def _unknown_tile_type(document, others):
    _tile(document)["type"] = "carousel"


def _unknown_asin(document, others):
    _tile(document)["config"]["asins"].append("B0NOSUCH99")


def _other_brands_asin(document, others):
    _tile(document)["config"]["asins"].append(others[0].asin)


def _four_levels_deep(document, others):
    document["pages"] += [
        {"key": "p2", "parent": "home", "slug": "a", "title": "A", "sections": []},
        {"key": "p3", "parent": "p2", "slug": "b", "title": "B", "sections": []},
        {"key": "p4", "parent": "p3", "slug": "c", "title": "C", "sections": []},
    ]


def _duplicate_keys(document, others):
    document["pages"][0]["sections"].append({"key": "s1", "layout": "full", "tiles": []})


def _script_in_text(document, others):
    document["pages"][0]["sections"][0]["tiles"].append(
        {"key": "t9", "type": "text",
         "config": {"html": "<p>Sale!</p><script>alert(1)</script>"}})


BAD_DOCUMENTS = [
    # change, where the error points: (page, section, tile, field), error code
    (_unknown_tile_type, ("home", "s1", "t1", "type"), "unknown_tile_type"),
    (_unknown_asin, ("home", "s1", "t1", "asins"), "unknown_asin"),
    (_other_brands_asin, ("home", "s1", "t1", "asins"), None),
    (_four_levels_deep, ("p4", None, None, "parent"), None),
    (_duplicate_keys, ("home", None, None, "key"), None),
    (_script_in_text, ("home", "s1", "t9", "html"), "unsafe_html"),
]


@pytest.mark.parametrize(("change", "place", "code"), BAD_DOCUMENTS,
                         ids=[change.__name__.strip("_") for change, _, _ in BAD_DOCUMENTS])
def test_an_invalid_draft_gets_400_pointing_at_its_place_and_changes_nothing(
        change, place, code, seller, store, other_brand_owner, client_for):
    others = [factories.ProductFactory(brand=other_brand_owner.brand, asin="B0RIVAL001")]
    saved = copy.deepcopy(store.draft)
    document = copy.deepcopy(store.draft)
    change(document, others)

    response = client_for(seller).put(draft_url(store), {**document, "revision": 3},
                                      format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["error"]["code"] == "invalid_document"
    page, section, tile, field = place
    matching = [e for e in body["errors"]
                if (e["page"], e["tile"], e["field"]) == (page, tile, field)]
    assert matching, body["errors"]
    if section is not None:
        assert matching[0]["section"] == section
    if code is not None:
        assert matching[0]["code"] == code
    assert matching[0]["message"]
    assert_draft_unchanged(store, saved, 3)


def test_a_stale_revision_gets_409_with_the_current_revision_and_changes_nothing(
        seller, store, products, client_for):
    saved = copy.deepcopy(store.draft)
    document = grid_document([products[3].asin])

    response = client_for(seller).put(draft_url(store), {**document, "revision": 2},
                                      format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "stale_revision"
    assert response.json()["errors"] == {"current_revision": 3}
    assert_draft_unchanged(store, saved, 3)


def test_two_editors_from_the_same_revision_only_the_first_wins(
        seller, agency, store, products, client_for):
    first = grid_document([products[1].asin])
    second = grid_document([products[2].asin, products[3].asin])
    client = client_for(seller)

    one = client.put(draft_url(store), {**first, "revision": 3}, format="json")
    two = client.put(draft_url(store), {**second, "revision": 3}, format="json")

    assert (one.status_code, two.status_code) == (200, 409)
    store.refresh_from_db()
    assert store.revision == 4
    assert _tile(store.draft)["config"]["asins"] == [products[1].asin]


@pytest.mark.parametrize("body", [
    {"pages": []},
    {"revision": "seven", "pages": []},
    {"revision": -1, "pages": []},
], ids=["no revision", "revision not a number", "negative revision"])
def test_a_draft_without_a_usable_revision_gets_400_and_changes_nothing(
        body, seller, store, client_for):
    saved = copy.deepcopy(store.draft)

    response = client_for(seller).put(draft_url(store), body, format="json")

    assert response.status_code == 400
    assert "revision" in response.json()["errors"]
    assert_draft_unchanged(store, saved, 3)


def test_a_draft_that_is_not_an_object_gets_400(seller, store, client_for):
    saved = copy.deepcopy(store.draft)

    response = client_for(seller).put(draft_url(store), [1, 2], format="json")

    assert response.status_code == 400
    assert_draft_unchanged(store, saved, 3)


# --- Assets ---------------------------------------------------------------------------


def test_an_uploaded_png_becomes_an_asset_served_with_its_verified_type(
        seller, store, client_for):
    client = client_for(seller)

    response = client.post(f"/api/v1/stores/{store.pk}/assets/",
                           {"file": SimpleUploadedFile("hero.png", png_bytes(), "image/png")},
                           format="multipart")

    assert response.status_code == 201
    body = response.json()
    assert (body["content_type"], body["width"], body["height"]) == ("image/png", 320, 200)
    asset = Asset.objects.get(pk=body["id"])
    assert asset.brand == seller.brand
    served = client.get(body["url"])
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    listed = client.get(f"/api/v1/stores/{store.pk}/assets/").json()
    assert [row["id"] for row in listed["results"]] == [asset.pk]


def test_a_text_file_named_png_is_refused_and_nothing_is_stored(seller, store, client_for):
    response = client_for(seller).post(
        f"/api/v1/stores/{store.pk}/assets/",
        {"file": SimpleUploadedFile("evil.png", b"<html><script>x</script></html>", "image/png")},
        format="multipart")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "not_an_image"
    assert Asset.objects.count() == 0


def test_an_image_bomb_is_refused_and_nothing_is_stored(seller, store, client_for, tmp_path):
    path = tmp_path / "bomb.png"
    Image.new("1", (30000, 30000)).save(path, "PNG")

    response = client_for(seller).post(
        f"/api/v1/stores/{store.pk}/assets/",
        {"file": SimpleUploadedFile("bomb.png", path.read_bytes(), "image/png")},
        format="multipart")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "decompression_bomb"
    assert Asset.objects.count() == 0


def test_an_upload_without_a_file_gets_400(seller, store, client_for):
    response = client_for(seller).post(f"/api/v1/stores/{store.pk}/assets/", {},
                                       format="multipart")

    assert response.status_code == 400
    assert "file" in response.json()["errors"]


def test_the_asset_list_costs_the_same_queries_for_many_assets(
        seller, store, client_for, django_assert_num_queries):
    client = client_for(seller)
    for shade in range(3):
        client.post(f"/api/v1/stores/{store.pk}/assets/",
                    {"file": SimpleUploadedFile("a.png", png_bytes(color=(shade, 9, 9)),
                                                "image/png")}, format="multipart")

    # session, user, the Store, count, page of assets
    with django_assert_num_queries(5):
        response = client.get(f"/api/v1/stores/{store.pk}/assets/")

    assert response.json()["count"] == 3


# --- Versions, previews, stock health -------------------------------------------------


def test_versions_are_listed_newest_first_with_the_published_one_marked(
        seller, store, client_for, django_assert_num_queries):
    for number in (1, 2, 3):
        StoreVersion.objects.create(store=store, number=number, document=store.draft,
                                    source_revision=number)
    store.published_version = store.versions.get(number=2)
    store.save(update_fields=["published_version"])
    client = client_for(seller)

    with django_assert_num_queries(5):  # session, user, the Store, count, page of versions
        response = client.get(f"/api/v1/stores/{store.pk}/versions/")

    rows = response.json()["results"]
    assert [row["number"] for row in rows] == [3, 2, 1]
    assert [row["is_published"] for row in rows] == [False, True, False]


def test_a_preview_link_shows_the_draft_to_someone_without_an_account(
        seller, store, products, client_for):
    response = client_for(seller).post(
        f"/api/v1/stores/{store.pk}/previews/",
        {"page": "home", "stock_mode": "all_out_of_stock"}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["url"].startswith("http://testserver/")
    assert body["url"].endswith(body["path"])
    assert body["stock_mode"] == "all_out_of_stock"
    page = APIClient().get(body["path"])
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-asin="{products[1].asin}"' in html
    assert "data-price" not in html  # everything out of stock: no price shown


def test_a_preview_of_another_stores_version_gets_400(seller, store, vendor, client_for):
    other = factories.StoreFactory(brand=vendor.brand, slug="nordic")
    version = StoreVersion.objects.create(store=other, number=1, document=other.draft,
                                          source_revision=0)

    response = client_for(seller).post(f"/api/v1/stores/{store.pk}/previews/",
                                       {"version": version.pk}, format="json")

    assert response.status_code == 400
    assert "version" in response.json()["errors"]


def test_a_preview_with_an_unknown_stock_mode_gets_400(seller, store, client_for):
    response = client_for(seller).post(f"/api/v1/stores/{store.pk}/previews/",
                                       {"stock_mode": "sometimes"}, format="json")

    assert response.status_code == 400
    assert "stock_mode" in response.json()["errors"]


def test_stock_health_counts_what_shoppers_would_not_see(seller, store, products, client_for):
    document = grid_document([products[0].asin, products[1].asin])  # products[0]: none left
    _tile(document)["config"]["hide_out_of_stock"] = True
    store.draft = document
    store.save(update_fields=["draft"])

    response = client_for(seller).get(f"/api/v1/stores/{store.pk}/stock-health/")

    assert response.status_code == 200
    assert response.json()["t1"]["hidden"] == 1, response.json()
    assert response.json()["t1"]["unbuyable"] == 0


# --- Page templates and tile types ----------------------------------------------------


def test_page_templates_are_listed(seller, client_for):
    response = client_for(seller).get("/api/v1/page-templates/")

    assert response.status_code == 200
    assert [row["key"] for row in response.json()] == [
        "marquee", "showcase", "product_grid", "blank"]
    assert all(row["label"] and row["description"] for row in response.json())


def test_a_page_from_a_template_is_built_for_the_brand_and_not_saved(
        seller, store, client_for):
    response = client_for(seller).post(
        f"/api/v1/stores/{store.pk}/page-from-template/",
        {"template": "marquee", "page_key": "p7", "parent": "home", "slug": "tents",
         "title": "Tents"}, format="json")

    assert response.status_code == 200
    page = response.json()
    assert (page["key"], page["parent"], page["slug"], page["title"]) == (
        "p7", "home", "tents", "Tents")
    assert page["sections"]
    store.refresh_from_db()
    assert store.revision == 3


def test_an_unknown_page_template_gets_400(seller, store, client_for):
    response = client_for(seller).post(
        f"/api/v1/stores/{store.pk}/page-from-template/",
        {"template": "carousel", "page_key": "p7", "parent": "home", "slug": "x",
         "title": "X"}, format="json")

    assert response.status_code == 400
    assert "template" in response.json()["errors"]


def test_tile_types_come_from_the_registry_with_their_default_config(seller, client_for):
    response = client_for(seller).get("/api/v1/tile-types/")

    assert response.status_code == 200
    by_name = {row["name"]: row for row in response.json()}
    assert set(by_name) == {
        "product_grid", "featured_deals", "best_sellers", "recommended_products", "product",
        "image", "text", "video", "gallery", "shoppable_image"}
    assert by_name["product_grid"]["default_config"]["mode"] == "manual"
    assert by_name["product_grid"]["label"] == "Product grid"


def test_tile_types_and_templates_cost_only_the_session_lookup(
        seller, client_for, django_assert_num_queries):
    client = client_for(seller)

    with django_assert_num_queries(2):  # session, user
        client.get("/api/v1/tile-types/")
    with django_assert_num_queries(2):
        client.get("/api/v1/page-templates/")


def test_anonymous_callers_get_no_tile_types_or_templates(client_for):
    client = client_for(None)

    assert client.get("/api/v1/tile-types/").status_code == 403
    assert client.get("/api/v1/page-templates/").status_code == 403
