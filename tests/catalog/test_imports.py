"""manage.py import_catalog / import_inventory: all rows or nothing, bad rows named."""
from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from catalog import services
from catalog.models import Category, Product
from tests import factories

CATALOG_HEADER = ("asin,brand,title,category,price,currency,is_prime,rating,review_count,"
                  "quantity,bullet_points,description,is_active\n")


def write(tmp_path, text: str, name: str = "file.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(command: str, path: str, *args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(command, path, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def reported(stderr: str) -> list[str]:
    """The bad-row lines (stderr also carries the progress bar)."""
    return [line for line in stderr.splitlines() if line.startswith("row ")]


def snapshot() -> list[tuple]:
    return list(Product.objects.order_by("asin").values_list(
        "asin", "title", "price", "quantity", "is_active"))


@pytest.fixture
def existing(seller):
    return factories.ProductFactory(asin="B0AC000001", brand=seller.brand, title="Old title",
                                    price=Decimal("10.00"), quantity=3)


def test_a_catalog_file_creates_updates_and_leaves_unchanged_rows(tmp_path, seller, existing):
    factories.ProductFactory(asin="B0AC000009", brand=seller.brand, title="Same",
                             category=None, price=Decimal("5.00"), is_prime=False,
                             rating=Decimal("0.0"), review_count=0, quantity=0,
                             bullet_points=[], description="", is_active=True)
    path = write(tmp_path, CATALOG_HEADER
                 + "B0AC000001,acme-outdoor,New title,Tents,12.50,EUR,true,4.5,10,7,"
                   "Light|Strong,Nice.,true\n"
                 + "B0AC000002,acme-outdoor,Brand new tent,Tents,99.90,,yes,,,0,,,\n"
                 + "B0AC000009,acme-outdoor,Same,,5.00,,,,,,,,\n")
    out, _ = run("import_catalog", path)
    assert "created 1, updated 1, unchanged 1, bad 0" in out
    updated = Product.objects.get(asin="B0AC000001")
    assert (updated.title, updated.price, updated.quantity, updated.is_prime) == (
        "New title", Decimal("12.50"), 7, True)
    assert updated.bullet_points == ["Light", "Strong"]
    assert updated.category.name == "Tents"
    created = Product.objects.get(asin="B0AC000002")
    assert (created.brand, created.price, created.currency, created.quantity, created.rating) == (
        seller.brand, Decimal("99.90"), "EUR", 0, Decimal("0.0"))
    assert Category.objects.filter(slug="tents").count() == 1


def test_a_catalog_file_with_one_bad_row_reports_it_and_changes_nothing(tmp_path, seller,
                                                                        existing):
    before = snapshot()
    path = write(tmp_path, CATALOG_HEADER
                 + "B0AC000001,acme-outdoor,New title,Tents,12.50,EUR,true,4.5,10,7,,,true\n"
                 + "B0AC000002,acme-outdoor,Good,Tents,9.90,EUR,true,4.0,1,1,,,true\n"
                 + "B0AC000003,acme-outdoor,Bad price,Tents,twelve,EUR,true,4.0,1,1,,,true\n")
    with pytest.raises(CommandError, match="1 bad row") as excinfo:
        run("import_catalog", path)
    assert "--skip-bad-rows" in str(excinfo.value)
    assert snapshot() == before
    assert not Category.objects.filter(slug="tents").exists()


def test_bad_rows_are_reported_with_their_row_number_and_reason(tmp_path, seller):
    path = write(tmp_path, CATALOG_HEADER
                 + "B0AC000002,acme-outdoor,Good,,9.90,,,,,,,,\n"
                 + "B0AC000003,no-such-brand,Bad brand,,9.90,,,,,,,,\n"
                 + "B0AC000004,acme-outdoor,Bad quantity,,9.90,,,,,-2,,,\n"
                 + "B0AC000002,acme-outdoor,Repeated,,9.90,,,,,,,,\n"
                 + "short,acme-outdoor,Bad asin,,9.90,,,,,,,,\n"
                 + "B0AC000006,acme-outdoor,Bad rating,,9.90,,,7,,,,,\n")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_catalog", path, stdout=StringIO(), stderr=err)
    assert reported(err.getvalue()) == [
        "row 3: brand: no brand with the slug 'no-such-brand'",
        "row 4: quantity: must be 0 or more",
        "row 5: asin: B0AC000002 is already in row 2",
        "row 6: asin: 'short': an ASIN is 10 capital letters or digits",
        "row 7: rating: must be between 0 and 5",
    ]
    assert Product.objects.count() == 0


def test_skip_bad_rows_applies_the_good_rows_and_reports_the_bad(tmp_path, seller, existing):
    path = write(tmp_path, CATALOG_HEADER
                 + "B0AC000001,acme-outdoor,New title,,10.00,,,,,3,,,\n"
                 + "B0AC000002,acme-outdoor,Good,,9.90,,,,,,,,\n"
                 + "B0AC000003,acme-outdoor,,,9.90,,,,,,,,\n")
    out, err = run("import_catalog", path, "--skip-bad-rows")
    assert "created 1, updated 1, unchanged 0, bad 1" in out
    assert "row 4: title: required (skipped)" in err
    assert sorted(Product.objects.values_list("asin", flat=True)) == ["B0AC000001",
                                                                      "B0AC000002"]


def test_a_file_without_the_required_columns_is_refused(tmp_path, seller):
    path = write(tmp_path, "asin,title\nB0AC000002,Tent\n")
    with pytest.raises(CommandError, match="brand, price"):
        run("import_catalog", path)
    assert Product.objects.count() == 0


def test_an_inventory_file_sets_stock_and_counts_unchanged_rows(
    tmp_path, seller, existing, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []
    monkeypatch.setattr(services.stock, "stock_changed", lambda ids, **_: calls.append(list(ids)))
    other = factories.ProductFactory(asin="B0AC000002", brand=seller.brand, quantity=8)
    path = write(tmp_path, "asin,quantity\nB0AC000001,40\nB0AC000002,8\n")
    with django_capture_on_commit_callbacks(execute=True):
        out, _ = run("import_inventory", path)
    assert "created 0, updated 1, unchanged 1, bad 0" in out
    assert dict(Product.objects.values_list("asin", "quantity")) == {"B0AC000001": 40,
                                                                      "B0AC000002": 8}
    assert calls == [[existing.pk]]
    assert other.pk not in calls[0]


def test_an_inventory_file_with_an_unknown_asin_reports_the_row_and_changes_nothing(
    tmp_path, seller, existing
):
    path = write(tmp_path, "asin,quantity\nB0AC000001,40\nB0ZZ000404,1\nB0AC000001,x\n")
    err = StringIO()
    with pytest.raises(CommandError, match="2 bad row"):
        call_command("import_inventory", path, stdout=StringIO(), stderr=err)
    assert reported(err.getvalue()) == [
        "row 3: asin: B0ZZ000404: no such product",
        "row 4: asin: B0AC000001 is already in row 2",
    ]
    existing.refresh_from_db()
    assert existing.quantity == 3


def test_an_inventory_file_with_skip_bad_rows_applies_the_good_rows(tmp_path, seller, existing):
    path = write(tmp_path, "asin,quantity\nB0ZZ000404,1\nB0AC000001,0\n")
    out, err = run("import_inventory", path, "--skip-bad-rows")
    assert "updated 1, unchanged 0, bad 1" in out
    assert "row 2: asin: B0ZZ000404: no such product (skipped)" in err
    existing.refresh_from_db()
    assert (existing.quantity, existing.in_stock) == (0, False)


def test_a_missing_file_is_a_clear_error(tmp_path, db):
    with pytest.raises(CommandError, match="Cannot read"):
        run("import_inventory", str(tmp_path / "nope.csv"))


def test_a_category_is_matched_by_name_whatever_its_case(tmp_path, seller):
    tents = Category.objects.create(name="Tents", slug="tents-and-shelters")
    path = write(tmp_path, CATALOG_HEADER + "B0AC000002,acme-outdoor,Tent,TENTS,9.90,,,,,,,,\n")
    run("import_catalog", path)
    assert Product.objects.get(asin="B0AC000002").category == tents
    assert Category.objects.count() == 1


def test_a_catalog_update_tells_live_pages_which_products_changed(
    tmp_path, seller, existing, monkeypatch, django_capture_on_commit_callbacks
):
    stock_calls, card_calls = [], []
    monkeypatch.setattr(services.stock, "stock_changed", lambda ids, **_: stock_calls.append(ids))
    monkeypatch.setattr(services.stock, "product_data_changed",
                        lambda ids, **_: card_calls.append(ids))
    path = write(tmp_path, CATALOG_HEADER + "B0AC000001,acme-outdoor,New title,,10.00,,,,,3,,,\n")
    with django_capture_on_commit_callbacks(execute=True):
        run("import_catalog", path)
    assert card_calls == [[existing.pk]]
    assert stock_calls == []  # quantity 3 and active: stock did not change
