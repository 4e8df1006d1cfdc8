"""GET /api/v1/products/: a brand sees its own products only, filtered and paginated."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from rest_framework.test import APIClient

from catalog.models import ProductImage
from tests import factories

URL = "/api/v1/products/"


@pytest.fixture
def catalogue(seller, vendor, other_brand_owner):
    """Two products for the seller's brand, two for the vendor's, one for a rival."""
    tents = factories.CategoryFactory(name="Tents", slug="tents")
    return {
        "seller": [
            factories.ProductFactory(asin="B0AC000001", brand=seller.brand, category=tents,
                                     title="Ridgeline 2-Person Tent", quantity=4),
            factories.ProductFactory(asin="B0AC000002", brand=seller.brand, category=tents,
                                     title="Summit 3-Person Tent", quantity=0),
        ],
        "vendor": [
            factories.ProductFactory(asin="B0NH000001", brand=vendor.brand, title="Fika Mug"),
            factories.ProductFactory(asin="B0NH000002", brand=vendor.brand, title="Wool Throw"),
        ],
        "rival": [factories.ProductFactory(asin="B0RV000001", brand=other_brand_owner.brand)],
    }


def asins(response) -> list[str]:
    return [item["asin"] for item in response.json()["results"]]


def client_for(actor) -> APIClient:
    client = APIClient()
    if actor is not None:
        client.force_authenticate(actor.user)
    return client


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("seller", ["B0AC000001", "B0AC000002"]),
        ("vendor", ["B0NH000001", "B0NH000002"]),
        ("agency", ["B0NH000001", "B0NH000002"]),
        ("other_brand_owner", ["B0RV000001"]),
        ("moderator", []),
    ],
)
def test_each_caller_sees_exactly_the_products_of_brands_it_acts_for(request, catalogue, who,
                                                                     expected):
    actor = request.getfixturevalue(who)
    response = client_for(actor).get(URL)
    assert response.status_code == 200
    assert asins(response) == expected
    assert response.json()["count"] == len(expected)


def test_anonymous_callers_are_refused(catalogue):
    response = APIClient().get(URL)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_authenticated"


def test_token_authentication_lists_the_owners_products(catalogue, seller):
    from knox.models import AuthToken

    _, token = AuthToken.objects.create(user=seller.user)
    response = APIClient().get(URL, HTTP_AUTHORIZATION=f"Token {token}")
    assert asins(response) == ["B0AC000001", "B0AC000002"]


def test_a_product_is_described_with_every_field_the_builder_needs(catalogue, seller, settings):
    product = catalogue["seller"][0]
    image = ProductImage(product=product, position=0, width=8, height=8)
    image.image.save("ridgeline.jpg", ContentFile(b"not read here"), save=True)
    response = client_for(seller).get(URL, {"q": "B0AC000001"})
    assert response.json()["results"] == [{
        "asin": "B0AC000001",
        "title": "Ridgeline 2-Person Tent",
        "brand": "acme-outdoor",
        "brand_name": "Acme Outdoor",
        "category": "Tents",
        "price": "19.90",
        "currency": "EUR",
        "is_prime": True,
        "quantity": 4,
        "in_stock": True,
        "rating": "4.2",
        "review_count": 10,
        "image": f"http://testserver/media/{image.image.name}",
        "is_active": True,
    }]


def test_a_product_without_images_has_a_null_image(catalogue, seller):
    response = client_for(seller).get(URL, {"q": "B0AC000002"})
    assert response.json()["results"][0]["image"] is None


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "summit"}, ["B0AC000002"]),
        ({"q": "b0ac000001"}, ["B0AC000001"]),
        ({"q": "tent"}, ["B0AC000001", "B0AC000002"]),
        ({"in_stock": "true"}, ["B0AC000001"]),
        ({"in_stock": "false"}, ["B0AC000002"]),
        ({"brand": "acme-outdoor"}, ["B0AC000001", "B0AC000002"]),
        ({"brand": "rival-gear"}, []),
        ({"q": "mug"}, []),
    ],
)
def test_filters_narrow_the_sellers_products(catalogue, seller, params, expected):
    response = client_for(seller).get(URL, params)
    assert response.status_code == 200
    assert asins(response) == expected


def test_an_inactive_product_counts_as_out_of_stock(catalogue, seller):
    product = catalogue["seller"][0]
    product.is_active = False
    product.save()
    response = client_for(seller).get(URL, {"in_stock": "false"})
    assert asins(response) == ["B0AC000001", "B0AC000002"]
    assert response.json()["results"][0]["in_stock"] is False


def test_the_agency_filters_by_the_represented_brand(catalogue, agency):
    response = client_for(agency).get(URL, {"brand": "nordic-home", "q": "mug"})
    assert asins(response) == ["B0NH000001"]


def test_an_unreadable_in_stock_filter_is_a_400_naming_the_field(catalogue, seller):
    response = client_for(seller).get(URL, {"in_stock": "perhaps"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert "in_stock" in response.json()["errors"]


def test_the_list_is_paginated(seller):
    factories.ProductFactory.create_batch(3, brand=seller.brand)
    response = client_for(seller).get(URL, {"limit": 2})
    body = response.json()
    assert (body["count"], len(body["results"])) == (3, 2)
    assert body["next"].endswith("limit=2&offset=2")


def test_listing_costs_two_queries_however_many_products(seller, django_assert_num_queries):
    for index in range(30):
        product = factories.ProductFactory(brand=seller.brand, price=Decimal("5.00"))
        ProductImage.objects.create(product=product, image=f"products/p{index}.jpg")
    client = client_for(seller)
    # One count for the pagination, one for the page (first image as a subquery).
    with django_assert_num_queries(2):
        response = client.get(URL)
    assert response.json()["count"] == 30
