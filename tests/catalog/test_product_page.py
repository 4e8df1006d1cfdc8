"""/dp/<asin>/: the product page shoppers reach from Store tiles."""
from __future__ import annotations

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from catalog.models import ProductImage
from tests import factories


def jpeg(color: str = "#2f6f4f") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 800), color).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def tent(seller):
    product = factories.ProductFactory(
        asin="B0AC000001", brand=seller.brand,
        category=factories.CategoryFactory(name="Tents", slug="tents"),
        title="Ridgeline 2-Person Tent", price=Decimal("149.90"), is_prime=True, quantity=4,
        rating=Decimal("4.5"), review_count=1234,
        bullet_points=["Sets up in 5 minutes", "Waterproof flysheet"],
        description="Built for long weekends.",
    )
    for position in range(2):
        image = ProductImage(product=product, position=position, width=800, height=800,
                             alt=f"Ridgeline tent, view {position + 1}")
        image.image.save(f"tent-{position}.jpg", ContentFile(jpeg()), save=True)
    return product


def page(client, asin: str):
    return client.get(f"/dp/{asin}/")


def test_an_in_stock_product_shows_price_prime_and_availability(client, tent):
    response = page(client, "B0AC000001")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 id="dp-title" class="dp-title">Ridgeline 2-Person Tent</h1>' in html
    assert re.search(r'data-price="149.90">€149.90<', html)
    assert "data-prime" in html
    assert 'data-availability="in_stock">In stock<' in html
    assert "4.5 out of 5 stars" in html
    assert "1,234 ratings" in html
    assert "<li>Sets up in 5 minutes</li>" in html
    assert "Built for long weekends." in html
    assert "Acme Outdoor" in html
    assert 'alt="Ridgeline tent, view 1"' in html
    assert "<picture>" in html


def test_an_out_of_stock_product_shows_neither_price_nor_prime(client, tent):
    tent.quantity = 0
    tent.save()
    html = page(client, "B0AC000001").content.decode()
    assert "data-price" not in html
    assert "data-prime" not in html
    assert "€149.90" not in html
    assert 'data-availability="out_of_stock">Currently unavailable<' in html
    assert "Ridgeline 2-Person Tent" in html


def test_an_inactive_product_is_shown_as_no_longer_sold_without_price(client, tent):
    tent.is_active = False
    tent.save()
    html = page(client, "B0AC000001").content.decode()
    assert "data-price" not in html
    assert "data-prime" not in html
    assert "No longer sold" in html


def test_a_product_that_is_not_prime_has_no_prime_badge(client, tent):
    tent.is_prime = False
    tent.save()
    html = page(client, "B0AC000001").content.decode()
    assert "data-price" in html
    assert "data-prime" not in html


def test_an_active_deal_shows_the_deal_price_and_strikes_the_regular_price(client, tent):
    factories.DealFactory(product=tent, deal_price=Decimal("119.90"))
    html = page(client, "B0AC000001").content.decode()
    assert 'data-price="119.90">€119.90<' in html
    assert re.search(r'<s data-list-price="149.90">.*€149.90</s>', html)
    assert "-20%" in html


def test_a_deal_that_has_ended_or_not_started_is_not_shown(client, tent):
    now = timezone.now()
    factories.DealFactory(product=tent, deal_price=Decimal("99.00"),
                          starts_at=now - timedelta(days=5), ends_at=now - timedelta(days=1))
    factories.DealFactory(product=tent, deal_price=Decimal("89.00"),
                          starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=3))
    html = page(client, "B0AC000001").content.decode()
    assert 'data-price="149.90"' in html
    assert "€99.00" not in html and "€89.00" not in html
    assert "data-list-price" not in html


def test_an_out_of_stock_product_on_deal_shows_no_price_at_all(client, tent):
    factories.DealFactory(product=tent, deal_price=Decimal("119.90"))
    tent.quantity = 0
    tent.save()
    html = page(client, "B0AC000001").content.decode()
    assert "data-price" not in html and "data-list-price" not in html
    assert "€119.90" not in html


def test_an_unknown_asin_is_404(client, db):
    assert page(client, "B0ZZ999999").status_code == 404


def test_the_page_has_no_inline_styles_or_scripts(client, tent):
    html = page(client, "B0AC000001").content.decode()
    assert "style=" not in html
    # Only data blocks (schema.org Product and BreadcrumbList), which browsers never run.
    assert html.count("<script") == html.count('<script type="application/ld+json">') == 2
    assert "<style" not in html


def test_the_page_costs_three_queries_whatever_the_number_of_images(
    client, tent, django_assert_num_queries
):
    for position in range(2, 6):
        image = ProductImage(product=tent, position=position, width=800, height=800)
        image.image.save(f"tent-{position}.jpg", ContentFile(jpeg("#123456")), save=True)
    factories.DealFactory(product=tent, deal_price=Decimal("119.90"))
    page(client, "B0AC000001")  # renditions are made on the first view
    # The product with brand, category and running deal price; its images; the brand's
    # published Store (the way back).
    with django_assert_num_queries(3):
        response = page(client, "B0AC000001")
    assert response.content.decode().count("<picture>") == 6
