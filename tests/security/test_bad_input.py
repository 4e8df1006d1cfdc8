"""Bad input gets 400 with the field and the reason (never a 500) and changes nothing:
deep JSON, NUL characters and lone surrogates, huge list limits, bad filters, orders out of
range or of unknown products, too many rejection reasons, NUL in an imported cell."""
from __future__ import annotations

import copy
import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from rest_framework.test import APIClient

from catalog.models import Product
from moderation.models import RejectionReason, Submission, SubmissionStatus
from stores.models import Store, StoreVersion
from tests import factories


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def draft_document(store: Store) -> dict:
    document = copy.deepcopy(store.draft)
    document["revision"] = store.revision
    return document


@pytest.fixture
def store(seller):
    product = factories.ProductFactory(brand=seller.brand, asin="B0BAD00001", quantity=3)
    return factories.StoreFactory(
        brand=seller.brand, slug="acme-outdoor", revision=1,
        draft={"name": "Acme Outdoor", "theme": {"accent_color": "#0a7d5a"}, "pages": [
            {"key": "home", "parent": None, "slug": "", "title": "Home", "sections": [
                {"key": "s1", "layout": "full", "tiles": [
                    {"key": "t1", "type": "product_grid", "config": {
                        "mode": "manual", "asins": [product.asin],
                        "hide_out_of_stock": False}}]}]}]},
    )


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("path", [
    "/api/v1/stores/{id}/draft/", "/api/v1/stores/{id}/previews/", "/api/v1/auth/token/",
    "/api/v1/inventory/",
])
def test_deeply_nested_json_gets_400_on_every_json_endpoint(seller, store, path):
    method = "put" if path.endswith("draft/") else "post"
    response = getattr(api(seller.user), method)(
        path.format(id=store.pk), nested(100_000), content_type="application/json")

    assert response.status_code == 400
    assert "nested deeper" in response.json()["error"]["message"]
    store.refresh_from_db()
    assert store.revision == 1


def test_json_within_the_depth_limit_still_parses(seller, store):
    body = {"page": "home", "label": json.dumps(json.loads(nested(20)))[:70]}
    response = api(seller.user).post(f"/api/v1/stores/{store.pk}/previews/", body,
                                     format="json")
    assert response.status_code == 201


@pytest.mark.parametrize("bad, reason", [("\x00", "NUL"), ("\ud800", "unpaired surrogate")])
@pytest.mark.parametrize("where", ["title", "alt"])
def test_nul_or_a_lone_surrogate_in_a_draft_text_gets_400_and_saves_nothing(
        seller, store, bad, reason, where):
    document = draft_document(store)
    if where == "title":
        document["pages"][0]["title"] = f"Home{bad}"
    else:
        document["pages"][0]["sections"][0]["tiles"].append(
            {"key": "t9", "type": "image", "config": {"asset": None, "alt": f"Shoe{bad}"}})
    raw = json.dumps(document)  # escapes both as \\u0000 / \\ud800, as a client would

    response = api(seller.user).put(f"/api/v1/stores/{store.pk}/draft/", raw,
                                    content_type="application/json")

    assert response.status_code == 400
    errors = response.json()["errors"]
    [(field, messages)] = errors.items()
    assert field.startswith("pages[0]")
    assert reason in messages[0]
    store.refresh_from_db()
    assert store.revision == 1
    assert store.draft["pages"][0]["title"] == "Home"


def test_nul_in_a_rejection_note_gets_400_and_decides_nothing(moderator, store, seller):
    version = StoreVersion.objects.create(store=store, number=1, document=store.draft,
                                          source_revision=1)
    submission = Submission.objects.create(
        store=store, version=version, submitted_by=seller.user, submitted_at=timezone.now(),
        sla_deadline=timezone.now() + timedelta(hours=72), status=SubmissionStatus.QUEUED)
    raw = json.dumps({"reasons": [{"code": "typos", "tile": None, "note": "Bad\x00"}]})

    response = api(moderator.user).post(
        f"/api/v1/moderation/submissions/{submission.pk}/reject/", raw,
        content_type="application/json")

    assert response.status_code == 400
    assert "reasons[0].note" in response.json()["errors"]
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.QUEUED


def test_ten_thousand_rejection_reasons_get_400(moderator, store, seller):
    version = StoreVersion.objects.create(store=store, number=1, document=store.draft,
                                          source_revision=1)
    submission = Submission.objects.create(
        store=store, version=version, submitted_by=seller.user, submitted_at=timezone.now(),
        sla_deadline=timezone.now() + timedelta(hours=72), status=SubmissionStatus.QUEUED)
    reasons = [{"code": "typos", "tile": None, "note": "x"}] * 10_000

    response = api(moderator.user).post(
        f"/api/v1/moderation/submissions/{submission.pk}/reject/", {"reasons": reasons},
        format="json")

    assert response.status_code == 400
    assert "reasons" in response.json()["errors"]
    assert not RejectionReason.objects.exists()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.QUEUED


@pytest.mark.parametrize("path, actor", [
    ("/api/v1/products/", "seller"), ("/api/v1/stores/", "seller"),
    ("/api/v1/stores/{id}/assets/", "seller"), ("/api/v1/stores/{id}/versions/", "seller"),
    ("/api/v1/stores/{id}/previews/", "seller"),
    ("/api/v1/moderation/submissions/", "moderator"),
])
def test_a_huge_limit_or_offset_on_a_list_is_capped_not_a_500(request, store, path, actor,
                                                              settings):
    client = api(request.getfixturevalue(actor).user)
    url = path.format(id=store.pk)

    huge_limit = client.get(url, {"limit": 10**19})
    huge_offset = client.get(url, {"limit": 5, "offset": 10**19})

    assert huge_limit.status_code == 200
    assert huge_offset.status_code == 200
    assert huge_offset.json()["results"] == []


def test_the_limit_is_capped(seller, settings):
    settings.API_MAX_LIMIT = 3
    for n in range(5):
        factories.ProductFactory(brand=seller.brand, asin=f"B0LIMIT00{n}")

    response = api(seller.user).get("/api/v1/products/", {"limit": 1000})

    assert response.status_code == 200
    assert len(response.json()["results"]) == 3


@pytest.mark.parametrize("query", ["q=%00", "brand=%00", "%00=1"])
def test_nul_in_a_query_parameter_gets_400(seller, query):
    response = api(seller.user).get(f"/api/v1/products/?{query}")

    assert response.status_code == 400
    assert "NUL" in json.dumps(response.json())


def test_a_surrogate_encoded_in_a_query_string_is_not_a_500(seller):
    # Not valid UTF-8: Django reads it as U+FFFD, which the database can store and compare.
    response = api(seller.user).get("/api/v1/products/?q=%ED%A0%80x")

    assert response.status_code == 200


@pytest.mark.parametrize("url", [
    "/admin/moderation/submission/?status=%00",
    "/admin/moderation/submission/?queue=%00",
    "/admin/catalog/product/?in_stock=%00",
    "/admin/stores/store/?review_state=%00",
])
def test_admin_filters_with_nul_get_400(db, client, url):
    admin = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)

    response = client.get(url)

    assert response.status_code == 400


@pytest.mark.parametrize("url", [
    "/admin/moderation/submission/?status=nonsense",
    "/admin/moderation/submission/?queue=nonsense",
    "/admin/catalog/product/?in_stock=nonsense",
])
def test_admin_filters_with_unknown_values_do_not_fail(db, client, url):
    admin = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)

    response = client.get(url)

    assert response.status_code in (200, 302)


def test_an_unknown_api_address_gets_a_json_404(seller):
    response = api(seller.user).get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.fixture
def order_feed(db):
    return api(factories.UserFactory(username="feed", is_staff=True, is_superuser=True))


def test_an_order_dated_year_1_gets_400(order_feed, store):
    response = order_feed.post("/api/v1/orders/", [
        {"visitor_id": "visitor-aaaaaaaaaaaa", "asin": "B0BAD00001", "units": 1,
         "amount": "9.90", "ordered_at": "0001-01-01T00:00:00Z"}], format="json")

    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["ordered_at"]


def test_an_order_for_an_unknown_asin_gets_400_and_nothing_is_stored(order_feed, store):
    from stores.insights.models import Order

    response = order_feed.post("/api/v1/orders/", [
        {"visitor_id": "visitor-aaaaaaaaaaaa", "asin": "B0BAD00001", "units": 1,
         "amount": "9.90", "ordered_at": timezone.now().isoformat()},
        {"visitor_id": "visitor-aaaaaaaaaaaa", "asin": "B0NOPE0000", "units": 1,
         "amount": "9.90", "ordered_at": timezone.now().isoformat()}], format="json")

    assert response.status_code == 400
    assert [(e["index"], e["code"]) for e in response.json()["errors"]] == [(1, "unknown_asin")]
    assert not Order.objects.exists()


def test_import_catalog_with_a_nul_in_a_cell_names_the_row_and_changes_nothing(
        tmp_path, seller):
    path = tmp_path / "catalog.csv"
    path.write_text("asin,brand,title,price\n"
                    f"B0IMPORT01,{seller.brand.slug},Good tent,10.00\n"
                    f"B0IMPORT02,{seller.brand.slug},Bad\x00tent,10.00\n", encoding="utf-8")
    err = StringIO()

    with pytest.raises(CommandError):
        call_command("import_catalog", str(path), stdout=StringIO(), stderr=err)

    assert "row 3: title: Text may not contain NUL characters." in err.getvalue()
    assert not Product.objects.filter(asin__startswith="B0IMPORT").exists()


def test_nul_in_an_admin_form_gets_400_and_decides_nothing(client, moderator, store, seller):
    version = StoreVersion.objects.create(store=store, number=1, document=store.draft,
                                          source_revision=1)
    submission = Submission.objects.create(
        store=store, version=version, submitted_by=seller.user, submitted_at=timezone.now(),
        sla_deadline=timezone.now() + timedelta(hours=72), status=SubmissionStatus.QUEUED)
    client.force_login(moderator.user)

    response = client.post(f"/admin/moderation/submission/{submission.pk}/reject/",
                           {"reason-0-code": "typos", "reason-0-note": "Bad\x00note"})

    assert response.status_code == 400
    assert b"reason-0-note: Text may not contain NUL characters." in response.content
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.QUEUED
