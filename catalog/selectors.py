"""Reads of the catalogue and of accounts. Nothing here writes."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext

from .availability import BUYABLE_Q
from .models import Account, Brand, BrandRegistryEnrollment, Deal, Product, ProductImage


@dataclass(frozen=True)
class Eligibility:
    """Whether a user may create or edit a Store for a brand, and why (not)."""

    allowed: bool
    code: str
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


def store_eligibility(*, user: AbstractBaseUser | AnonymousUser, brand: Brand) -> Eligibility:
    """The one rule for who may build a Store for `brand`.

    Seller: the brand belongs to the user's seller account and is enrolled in Brand
    Registry with an approved, active trademark. Vendor: the brand belongs to the user's
    vendor account. Agency: the brand belongs to a vendor the agency represents.
    Anyone else: no. The answer always carries the reason.
    """
    if not user or not user.is_authenticated:
        return Eligibility(False, "not_authenticated", gettext("Sign in to build a Store."))
    if not user.is_active:
        return Eligibility(False, "inactive_user", gettext("This user account is disabled."))
    owner = brand.account
    member_of = set(user.accounts.values_list("id", "kind").distinct())
    member_ids = {account_id for account_id, _ in member_of}

    if owner.id in member_ids:
        if owner.kind == Account.Kind.VENDOR:
            return Eligibility(True, "vendor_brand",
                               gettext("Vendors may build Stores for their brands."))
        if owner.kind == Account.Kind.SELLER:
            enrollment = BrandRegistryEnrollment.objects.filter(brand=brand).first()
            if enrollment is None:
                return Eligibility(
                    False,
                    "not_enrolled",
                    gettext("%(brand)s is not enrolled in Brand Registry; enroll it with a "
                            "registered trademark to build a Store.") % {"brand": brand.name},
                )
            if enrollment.status != BrandRegistryEnrollment.Status.APPROVED:
                return Eligibility(
                    False,
                    f"trademark_{enrollment.status}",
                    gettext("The trademark %(number)s of %(brand)s is %(status)s, not "
                            "approved.") % {"number": enrollment.trademark_number,
                                            "brand": brand.name,
                                            "status": enrollment.get_status_display().lower()},
                )
            if not enrollment.trademark_active:
                return Eligibility(
                    False,
                    "trademark_inactive",
                    gettext("The trademark %(number)s of %(brand)s is no longer active.") % {
                        "number": enrollment.trademark_number, "brand": brand.name},
                )
            return Eligibility(
                True, "registered_brand",
                gettext("The brand is enrolled with an approved trademark.")
            )
        return Eligibility(
            False, "agency_own_brand",
            gettext("Agencies build Stores only for vendors they represent.")
        )

    agency_ids = [aid for aid, kind in member_of if kind == Account.Kind.AGENCY]
    if agency_ids and owner.kind == Account.Kind.VENDOR:
        if owner.agencies.filter(id__in=agency_ids).exists():
            return Eligibility(
                True, "agency_for_vendor",
                gettext("Your agency represents %(owner)s.") % {"owner": owner.name}
            )
        return Eligibility(
            False,
            "vendor_not_represented",
            gettext("Your agency does not represent %(owner)s, the owner of %(brand)s.") % {
                "owner": owner.name, "brand": brand.name},
        )
    return Eligibility(
        False, "not_your_brand", gettext("%(brand)s does not belong to an account you act for.") % {
            "brand": brand.name}
    )


def brands_for_user(*, user) -> QuerySet[Brand]:
    """Brands the user acts for (own accounts' brands plus represented vendors' brands).

    This is the visibility scope (products, Stores); `store_eligibility` still decides
    whether a Store may be built (a seller's brand needs an approved trademark).
    """
    if not user or not user.is_authenticated:
        return Brand.objects.none()
    account_ids = Account.objects.filter(
        Q(members=user) | Q(agencies__members=user, kind=Account.Kind.VENDOR)
    ).values("id")
    return Brand.objects.filter(account_id__in=account_ids).select_related("account")


def products_for_user(*, user) -> QuerySet[Product]:
    return (
        Product.objects.filter(brand__in=brands_for_user(user=user))
        .select_related("brand", "category")
        .order_by("asin")
    )


# In stock means buyable: the one rule of `catalog.availability`.
IN_STOCK_Q = BUYABLE_Q


def products_with_first_image(queryset: QuerySet[Product]) -> QuerySet[Product]:
    """Adds `first_image` (the stored file name of the lowest-position image, or None)
    as a subquery, so listing products costs no query per product."""
    first = (
        ProductImage.objects.filter(product=OuterRef("pk"))
        .order_by("position", "id")
        .values("image")[:1]
    )
    return queryset.annotate(first_image=Subquery(first))


def product_list_for_user(
    *, user, q: str = "", brand: str = "", in_stock: bool | None = None
) -> QuerySet[Product]:
    """The caller's brands' products (`products_for_user`), filtered.

    `q` matches the title (contains, any case) or the ASIN (starts with, any case);
    `brand` is a brand slug; `in_stock` keeps products that are (not) buyable now.
    """
    queryset = products_for_user(user=user)
    if q:
        queryset = queryset.filter(Q(title__icontains=q) | Q(asin__istartswith=q))
    if brand:
        queryset = queryset.filter(brand__slug=brand)
    if in_stock is True:
        queryset = queryset.filter(IN_STOCK_Q)
    elif in_stock is False:
        queryset = queryset.exclude(IN_STOCK_Q)
    return products_with_first_image(queryset)


def deal_is_running(*, starts_at: datetime, ends_at: datetime, at: datetime) -> bool:
    """The one rule for a deal's window: it runs from `starts_at` (included) until `ends_at`
    (excluded). `deal_running_q` is the same rule for queries; keep the two together."""
    return starts_at <= at < ends_at


def deal_running_q(*, at: datetime) -> Q:
    """Deals running at `at`, as a filter (the rule of `deal_is_running`)."""
    return Q(starts_at__lte=at, ends_at__gt=at)


def active_deal_price(*, at=None) -> Subquery:
    """The lowest deal price of the product's deals running at `at` (default: now)."""
    at = at or timezone.now()
    deals = (
        Deal.objects.filter(deal_running_q(at=at), product=OuterRef("pk"))
        .order_by("deal_price")
        .values("deal_price")[:1]
    )
    return Subquery(deals)


def deals_not_ended(*, brand: Brand, at: datetime,
                    product_ids: list[int] | None = None) -> QuerySet[Deal]:
    """The brand's deals running at `at` or starting later (of `product_ids` when given):
    what a cached Store page needs to start and stop showing deal prices on time."""
    deals = Deal.objects.filter(product__brand=brand, ends_at__gt=at)
    if product_ids is not None:
        deals = deals.filter(product_id__in=product_ids)
    return deals.only("product_id", "deal_price", "starts_at", "ends_at")


def product_for_detail(*, asin: str) -> Product | None:
    """The product page's product: brand, category, images and the running deal price
    (`deal_price`, None without a deal) in two queries; None for an unknown ASIN."""
    return (
        Product.objects.filter(asin=asin)
        .select_related("brand", "category")
        .prefetch_related(Prefetch("images", ProductImage.objects.order_by("position", "id")))
        .annotate(deal_price=active_deal_price())
        .first()
    )
