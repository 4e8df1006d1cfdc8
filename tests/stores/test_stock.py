"""catalog.stock: the live stock read path and its invalidation."""
from __future__ import annotations

from catalog import stock
from catalog.models import Product


def test_stock_levels_are_read_once_per_stock_version_of_the_brand(
        products, django_assert_num_queries):
    ids = [p.pk for p in products[:3]]
    brand = products[0].brand_id
    version = stock.brand_versions([brand])[brand].stock
    with django_assert_num_queries(1):
        assert stock.stock_levels(ids, brand_id=brand, version=version) == dict.fromkeys(
            ids, (True, 5))
    Product.objects.filter(pk=ids[0]).update(quantity=0)
    with django_assert_num_queries(0):  # not told: the version did not move
        assert stock.stock_levels(ids, brand_id=brand, version=version)[ids[0]] == (True, 5)
    stock.stock_changed([ids[0]])
    moved = stock.brand_versions([brand])[brand].stock
    assert moved == version + 1
    with django_assert_num_queries(1):
        assert stock.stock_levels(ids, brand_id=brand, version=moved)[ids[0]] == (True, 0)


def test_unknown_products_are_absent_and_cost_no_second_query(products,
                                                              django_assert_num_queries):
    brand = products[0].brand_id
    with django_assert_num_queries(1):
        assert stock.stock_levels([999_999], brand_id=brand, version=1) == {}
    with django_assert_num_queries(0):
        assert stock.stock_levels([999_999], brand_id=brand, version=1) == {}


def test_the_token_lives_in_a_file_shared_by_processes_when_the_cache_is_local(
        tmp_path, monkeypatch):
    # As with a SQLite file or PostgreSQL and no Redis: gunicorn workers share a file.
    monkeypatch.setattr(stock, "_token_home", lambda: str(tmp_path))
    mine, theirs = stock.SharedToken("test-file"), stock.SharedToken("test-file")
    first = mine.value()
    assert (tmp_path / "test-file.token").exists()
    assert theirs.value() == first
    seen = {first}
    for _ in range(20):  # every bump is seen, even several within one clock tick
        theirs.bump()
        assert mine.value() not in seen
        seen.add(mine.value())
