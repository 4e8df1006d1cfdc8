"""catalog.stock: the live stock read path and its invalidation."""
from __future__ import annotations

from catalog import stock
from catalog.models import Product


def test_stock_levels_are_read_once_until_stock_changes(products, django_assert_num_queries):
    ids = [p.pk for p in products[:3]]
    stock.stock_changed([])
    with django_assert_num_queries(1):
        assert stock.stock_levels(ids) == dict.fromkeys(ids, (True, 5))
    Product.objects.filter(pk=ids[0]).update(quantity=0)
    with django_assert_num_queries(0):
        assert stock.stock_levels(ids)[ids[0]] == (True, 5)  # not told yet
    stock.stock_changed([ids[0]])
    with django_assert_num_queries(1):
        assert stock.stock_levels(ids)[ids[0]] == (True, 0)


def test_unknown_products_are_absent_and_cost_no_second_query(db, django_assert_num_queries):
    stock.stock_changed([])
    with django_assert_num_queries(1):
        assert stock.stock_levels([999_999]) == {}
    with django_assert_num_queries(0):
        assert stock.stock_levels([999_999]) == {}


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
