"""The catalogue admin: every page an administrator opens renders."""
from __future__ import annotations

import pytest

from catalog.models import Product
from tests import factories


@pytest.fixture
def admin_client_with_data(admin_client, seller, vendor, agency):
    product = factories.ProductFactory(asin="B0AC000001", brand=seller.brand)
    factories.DealFactory(product=product)
    return admin_client


@pytest.mark.parametrize(
    "model", ["account", "brand", "brandregistryenrollment", "category", "product", "deal"]
)
def test_each_catalogue_admin_list_and_add_page_renders(admin_client_with_data, model):
    assert admin_client_with_data.get(f"/admin/catalog/{model}/").status_code == 200
    assert admin_client_with_data.get(f"/admin/catalog/{model}/add/").status_code == 200


def test_products_are_found_by_asin_and_filtered_by_stock(admin_client_with_data, seller):
    factories.ProductFactory(asin="B0AC000002", brand=seller.brand, quantity=0)
    found = admin_client_with_data.get("/admin/catalog/product/", {"q": "B0AC000002"})
    assert b"B0AC000002" in found.content and b"B0AC000001" not in found.content
    out = admin_client_with_data.get("/admin/catalog/product/", {"in_stock": "no"})
    assert b"B0AC000002" in out.content and b"B0AC000001" not in out.content


def test_a_product_change_page_renders_with_its_images_inline(admin_client_with_data):
    product = Product.objects.get(asin="B0AC000001")
    response = admin_client_with_data.get(f"/admin/catalog/product/{product.pk}/change/")
    assert response.status_code == 200
    assert b"images-TOTAL_FORMS" in response.content
