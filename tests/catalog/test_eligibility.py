"""Who may build a Store for a brand, and the reason given when not."""
from __future__ import annotations

import pytest

from catalog.selectors import store_eligibility
from tests import factories


def test_seller_with_approved_trademark_may_build_a_store(seller):
    result = store_eligibility(user=seller.user, brand=seller.brand)
    assert result.allowed is True
    assert result.code == "registered_brand"


@pytest.mark.parametrize(
    ("status", "code"),
    [("pending", "trademark_pending"), ("rejected", "trademark_rejected")],
)
def test_seller_without_approved_trademark_is_refused_with_the_status(seller, status, code):
    seller.brand.enrollment.status = status
    seller.brand.enrollment.save()
    result = store_eligibility(user=seller.user, brand=seller.brand)
    assert result.allowed is False
    assert result.code == code
    assert seller.brand.enrollment.trademark_number in result.reason


def test_seller_with_inactive_trademark_is_refused(seller):
    seller.brand.enrollment.trademark_active = False
    seller.brand.enrollment.save()
    result = store_eligibility(user=seller.user, brand=seller.brand)
    assert (result.allowed, result.code) == (False, "trademark_inactive")


def test_seller_brand_not_enrolled_is_refused_with_how_to_fix(seller):
    seller.brand.enrollment.delete()
    seller.brand.refresh_from_db()
    result = store_eligibility(user=seller.user, brand=seller.brand)
    assert (result.allowed, result.code) == (False, "not_enrolled")
    assert "Brand Registry" in result.reason


def test_vendor_may_build_for_its_own_brand_without_enrollment(vendor):
    result = store_eligibility(user=vendor.user, brand=vendor.brand)
    assert (result.allowed, result.code) == (True, "vendor_brand")


def test_agency_may_build_for_a_vendor_it_represents(agency, vendor):
    result = store_eligibility(user=agency.user, brand=vendor.brand)
    assert (result.allowed, result.code) == (True, "agency_for_vendor")


def test_agency_is_refused_for_a_vendor_it_does_not_represent(agency, other_brand_owner):
    result = store_eligibility(user=agency.user, brand=other_brand_owner.brand)
    assert (result.allowed, result.code) == (False, "vendor_not_represented")
    assert other_brand_owner.account.name in result.reason


def test_agency_cannot_build_for_its_own_brand(agency):
    own_brand = factories.BrandFactory(account=agency.account)
    result = store_eligibility(user=agency.user, brand=own_brand)
    assert (result.allowed, result.code) == (False, "agency_own_brand")


def test_another_brands_owner_is_refused(vendor, other_brand_owner):
    result = store_eligibility(user=other_brand_owner.user, brand=vendor.brand)
    assert (result.allowed, result.code) == (False, "not_your_brand")


def test_anonymous_user_is_refused(vendor):
    from django.contrib.auth.models import AnonymousUser

    result = store_eligibility(user=AnonymousUser(), brand=vendor.brand)
    assert (result.allowed, result.code) == (False, "not_authenticated")


def test_moderator_is_not_a_brand_owner(moderator, vendor):
    result = store_eligibility(user=moderator.user, brand=vendor.brand)
    assert result.allowed is False
