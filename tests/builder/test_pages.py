"""The builder's pages (login, my Stores, the editor), their Content Security Policy, and
the OpenAPI document."""
from __future__ import annotations

import re

import pytest
from django.test import Client

from catalog.models import BrandRegistryEnrollment
from stores.models import Store, StoreVersion
from tests import factories

# JSON data blocks (application/json, schema.org application/ld+json) are never executed.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>\s*\S",
                           re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_strict_csp(response) -> None:
    directives = csp_directives(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    for values in directives.values():
        assert "'unsafe-inline'" not in values
        assert "'unsafe-eval'" not in values


def assert_no_inline_code(html: str) -> None:
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html).group(0)
    assert not STYLE_ATTRIBUTE.search(html), STYLE_ATTRIBUTE.search(html).group(0)
    assert not INLINE_HANDLER.search(html), INLINE_HANDLER.search(html).group(0)
    assert "<style" not in html.lower()


@pytest.fixture
def logged_in(seller) -> Client:
    client = Client()
    client.force_login(seller.user)
    return client


def test_the_login_page_signs_a_brand_owner_in_to_the_builder(seller):
    client = Client()
    page = client.get("/accounts/login/?next=/builder/")

    response = client.post("/accounts/login/", {"username": "seller_owner",
                                                "password": factories.PASSWORD,
                                                "next": "/builder/"})

    assert page.status_code == 200
    assert_strict_csp(page)
    assert_no_inline_code(page.content.decode())
    assert response.status_code == 302
    assert response["Location"] == "/builder/"


def test_the_builder_asks_anonymous_visitors_to_sign_in():
    response = Client().get("/builder/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/builder/"


def test_my_stores_lists_each_store_with_its_status(
        seller, other_brand_owner, logged_in, django_assert_num_queries):
    factories.StoreFactory(brand=seller.brand, name="Acme Draft", slug="acme-draft")
    factories.StoreFactory(brand=seller.brand, name="Acme Review", slug="acme-review",
                           review_state="in_review")
    rejected = factories.StoreFactory(brand=seller.brand, name="Acme Rejected",
                                      slug="acme-rejected", review_state="rejected")
    live = factories.StoreFactory(brand=seller.brand, name="Acme Live", slug="acme-live")
    live.published_version = StoreVersion.objects.create(
        store=live, number=1, document=live.draft, source_revision=0)
    live.save(update_fields=["published_version"])
    factories.StoreFactory(brand=other_brand_owner.brand, name="Rival Store", slug="rival")

    # session, user, brands, eligibility (memberships, enrollment), Stores
    with django_assert_num_queries(6):
        response = logged_in.get("/builder/")

    html = response.content.decode()
    assert response.status_code == 200
    statuses = re.findall(r'class="store-row-name"[^>]*>([^<]+)</a>.*?badge-(\w+)', html, re.S)
    assert statuses == [("Acme Draft", "draft"), ("Acme Live", "published"),
                        ("Acme Rejected", "rejected"), ("Acme Review", "in_review")]
    assert "Rival Store" not in html
    assert f'href="/builder/stores/{rejected.pk}/insights/"' in html
    assert_strict_csp(response)
    assert_no_inline_code(html)


def test_the_create_form_makes_a_store_and_opens_its_editor(seller, logged_in):
    response = logged_in.post("/builder/", {"brand": seller.brand.pk, "name": "Acme Trails"})

    store = Store.objects.get(name="Acme Trails")
    assert response.status_code == 302
    assert response["Location"] == f"/builder/stores/{store.pk}/"
    assert store.brand == seller.brand


def test_a_brand_without_an_approved_trademark_is_not_offered_and_the_reason_shown(
        seller, logged_in):
    BrandRegistryEnrollment.objects.filter(brand=seller.brand).update(status="pending")

    response = logged_in.get("/builder/")
    refused = logged_in.post("/builder/", {"brand": seller.brand.pk, "name": "Acme Trails"})

    html = response.content.decode()
    assert "None of your brands can have a Store right now." in html
    assert "is pending, not approved" in html
    assert refused.status_code == 400
    assert Store.objects.count() == 0


def test_the_editor_passes_its_data_through_attributes_and_loads_only_files(
        seller, logged_in):
    store = factories.StoreFactory(brand=seller.brand, name="Acme Outdoor", slug="acme")

    response = logged_in.get(f"/builder/stores/{store.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-store-id="{store.pk}"' in html
    assert 'data-can-edit="true"' in html
    # The live canvas: the page itself, in a frame that loads its own scripts.
    assert 'id="canvas-frame"' in html
    assert '<script type="module" src="/static/builder/editor.js"></script>' in html
    assert f'href="/builder/stores/{store.pk}/insights/"' in html
    assert_strict_csp(response)
    assert_no_inline_code(html)
    assert "'self'" in csp_directives(response)["frame-src"]  # the canvas iframe


def test_another_brands_editor_is_not_found(other_brand_owner, seller):
    store = factories.StoreFactory(brand=seller.brand, slug="acme")
    client = Client()
    client.force_login(other_brand_owner.user)

    assert client.get(f"/builder/stores/{store.pk}/").status_code == 404


def test_a_lapsed_trademark_opens_the_editor_read_only_with_the_reason(seller, logged_in):
    store = factories.StoreFactory(brand=seller.brand, slug="acme")
    BrandRegistryEnrollment.objects.filter(brand=seller.brand).update(trademark_active=False)

    html = logged_in.get(f"/builder/stores/{store.pk}/").content.decode()

    assert 'data-can-edit="false"' in html
    assert "Read only:" in html
    assert "no longer active" in html


def test_a_published_store_page_passes_the_same_policy(seller):
    product = factories.ProductFactory(brand=seller.brand, asin="B0ACMECSP1")
    document = {
        "name": "Acme", "theme": {"accent_color": "#0a7d5a"},
        "pages": [{"key": "home", "parent": None, "slug": "", "title": "Home", "sections": [
            {"key": "s1", "layout": "full", "tiles": [
                {"key": "t1", "type": "product_grid", "visibility": "all",
                 "config": {"mode": "manual", "title": "", "asins": [product.asin],
                            "hide_out_of_stock": False}},
                {"key": "t2", "type": "text", "visibility": "all",
                 "config": {"html": "<p>Hello</p>", "align": "center"}}]}]}],
    }
    store = factories.StoreFactory(brand=seller.brand, slug="acme-csp", draft=document)
    store.published_version = StoreVersion.objects.create(
        store=store, number=1, document=document, source_revision=0)
    store.save(update_fields=["published_version"])

    response = Client().get("/stores/acme-csp/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-tile="t1"' in html
    assert_strict_csp(response)
    assert_no_inline_code(html)


def test_the_openapi_document_and_docs_are_served(seller):
    client = Client()
    client.force_login(seller.user)

    schema = client.get("/api/schema/")
    docs = client.get("/api/docs/")

    assert schema.status_code == 200
    assert b"/api/v1/stores/{store_id}/draft/" in schema.content
    assert docs.status_code == 200
    assert_strict_csp(docs)


def test_the_builder_api_generates_its_schema_without_warnings_or_errors():
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    problems = [message for message in
                [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
                if "stores/api.py" in message]
    validate_schema(schema)
    assert problems == []
    paths = schema["paths"]
    for path in ["/api/v1/stores/", "/api/v1/stores/{store_id}/",
                 "/api/v1/stores/{store_id}/draft/", "/api/v1/stores/{store_id}/assets/",
                 "/api/v1/stores/{store_id}/versions/", "/api/v1/stores/{store_id}/previews/",
                 "/api/v1/stores/{store_id}/stock-health/", "/api/v1/page-templates/",
                 "/api/v1/tile-types/"]:
        assert path in paths
    assert "409" in paths["/api/v1/stores/{store_id}/draft/"]["put"]["responses"]
