"""The catalogue part of `seed_demo`: users, brands and products, idempotent."""
from __future__ import annotations

from io import StringIO

from django.contrib.auth import get_user_model

from catalog import demo
from catalog.models import (
    Account,
    Brand,
    Deal,
    Product,
    ProductImage,
    SalesRecord,
)
from catalog.selectors import store_eligibility

SMALL = {"acme-outdoor": 3, "nordic-home": 2, "summit-kids": 1}


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count()
            for model in (get_user_model(), Account, Brand, Product, ProductImage, Deal,
                          SalesRecord)}


def test_seeding_twice_leaves_the_same_data(db):
    first_lines = demo.seed(password="demo-pass-1", stdout=StringIO(), per_line=SMALL)
    first = counts()
    demo.seed(password="demo-pass-1", stdout=StringIO(), per_line=SMALL)
    assert counts() == first
    # 6 Acme lines x 3 + 5 Nordic lines x 2 + 3 Summit lines x 1
    assert first["Product"] == 31
    assert first["ProductImage"] >= first["Product"]
    assert any("seller" in line and "demo-pass-1" in line for line in first_lines)


def test_demo_people_and_brands_are_as_the_product_brief_says(db):
    demo.seed(password="demo-pass-2", stdout=StringIO(), per_line=SMALL)
    users = {user.username: user for user in get_user_model().objects.all()}
    assert set(users) == {"seller", "vendor", "agency", "moderator", "admin"}
    assert all(user.check_password("demo-pass-2") for user in users.values())
    assert users["moderator"].is_staff and not users["moderator"].is_superuser
    assert list(users["moderator"].groups.values_list("name", flat=True)) == ["Moderators"]
    assert users["admin"].is_superuser

    acme = Brand.objects.get(slug="acme-outdoor")
    nordic = Brand.objects.get(slug="nordic-home")
    assert (acme.name, acme.account.name, acme.account.kind) == (
        "Acme Outdoor", "Acme Outdoor Co", "seller")
    assert (nordic.name, nordic.account.name, nordic.account.kind) == (
        "Nordic Home", "Nordic Home Ltd", "vendor")
    assert store_eligibility(user=users["seller"], brand=acme).allowed
    assert store_eligibility(user=users["vendor"], brand=nordic).allowed
    assert store_eligibility(user=users["agency"], brand=nordic).allowed
    assert store_eligibility(user=users["seller"], brand=Brand.objects.get(
        slug="summit-kids")).code == "trademark_pending"


def test_demo_products_have_real_pictures_and_a_sales_rank(db, settings):
    from PIL import Image

    demo.seed(password="x", stdout=StringIO(), per_line=SMALL)
    image = ProductImage.objects.select_related("product").first()
    with Image.open(image.image.path) as picture:
        assert (picture.format, picture.size) == ("JPEG", (800, 800))
    assert image.alt.startswith(image.product.title)
    assert Product.objects.filter(units_sold_30d__gt=0).exists()
    assert all(len(p.bullet_points) >= 3 and p.description for p in Product.objects.all())
