"""factory_boy factories for every model tests need. Append new ones at the end."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from catalog.models import (
    Account,
    Brand,
    BrandRegistryEnrollment,
    Category,
    Deal,
    Membership,
    Product,
    SalesRecord,
)
from stores.models import Store

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    name = factory.Sequence(lambda n: f"Account {n}")
    kind = Account.Kind.VENDOR


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    account = factory.SubFactory(AccountFactory)
    role = Membership.Role.OWNER


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand

    account = factory.SubFactory(AccountFactory)
    name = factory.Sequence(lambda n: f"Brand {n}")
    slug = factory.Sequence(lambda n: f"brand-{n}")


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BrandRegistryEnrollment

    brand = factory.SubFactory(BrandFactory)
    trademark_number = factory.Sequence(lambda n: f"TM{1000000 + n}")
    status = BrandRegistryEnrollment.Status.APPROVED


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    asin = factory.Sequence(lambda n: f"B{n:09d}")
    brand = factory.SubFactory(BrandFactory)
    category = factory.SubFactory(CategoryFactory)
    title = factory.Sequence(lambda n: f"Trail product {n}")
    price = Decimal("19.90")
    is_prime = True
    bullet_points = factory.LazyFunction(lambda: ["Light", "Durable"])
    description = "A good product."
    rating = Decimal("4.2")
    review_count = 10
    quantity = 5


class DealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deal

    product = factory.SubFactory(ProductFactory)
    deal_price = Decimal("9.90")
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))


class SalesRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalesRecord

    product = factory.SubFactory(ProductFactory)
    day = factory.LazyFunction(lambda: timezone.localdate())
    units = 3


def _free_marketplace(brand) -> str:
    from django.conf import settings

    from catalog.marketplaces import SEED

    taken = set(Store.objects.filter(brand=brand).values_list("marketplace_id", flat=True))
    codes = [settings.DEFAULT_MARKETPLACE, *(row["code"] for row in SEED)]
    return next(code for code in codes if code not in taken)


class StoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Store

    brand = factory.SubFactory(BrandFactory)
    # The site's default marketplace for a brand's first Store, then one it has none in.
    marketplace_id = factory.LazyAttribute(lambda o: _free_marketplace(o.brand))
    name = factory.Sequence(lambda n: f"Store {n}")
    slug = factory.Sequence(lambda n: f"store-{n}")
    draft = factory.LazyFunction(
        lambda: {
            "name": "Store",
            "theme": {"accent_color": "#0a7d5a"},
            "pages": [
                {"key": "home", "parent": None, "slug": "", "title": "Home", "sections": []}
            ],
        }
    )
