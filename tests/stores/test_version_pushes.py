"""With Redis, a shopper view learns what changed from pushes: no round trip while nothing
changed, every change (written by any process) on the very next view, and a lost
subscription or a lost push never hides a change longer than the mirror's expiry."""
from __future__ import annotations

import time

import pytest
import redis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from catalog import stock
from catalog.services import stock_set
from tests.documents import card_html, home_document, published_document, section, tile
from tests.stores.test_live_freshness import committed, html_of  # noqa: F401 - fixture

pytestmark = pytest.mark.usefixtures("redis_url")


@pytest.fixture
def shown(make_store, seller, products, settings):
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    stock.forget_process_state()
    make_store(published_document(seller.brand, home_document(
        section("s1", tile("grid", "product_grid", mode="manual",
                           asins=[p.asin for p in products[:3]])))))
    yield products
    stock.forget_process_state()


def another_process(settings):
    """The mirror as another process holds it: its own connections to Redis."""
    return stock._RedisMirror()


def buyable(html: str, asin: str) -> bool:
    return "data-price" in (card_html(html, asin) or "")


def reads() -> tuple[int, int]:
    counters = stock.freshness_counters()
    return counters["mirror_reads"], counters["pushed_reads"]


def test_a_quiet_page_is_served_without_a_round_trip_to_redis(client, shown):
    html = html_of(client)
    html_of(client)  # subscribed and read once: from now on, pushes
    before = reads()
    for _ in range(20):
        assert html_of(client) == html
    assert reads() == (before[0], before[1] + 20)


def test_a_change_written_by_another_process_shows_on_the_very_next_view(
        client, shown, settings):
    assert buyable(html_of(client), shown[0].asin)
    html_of(client)
    before = reads()
    # Another process sells the last one: its transaction commits, then it raises the
    # brand's versions in Redis (which pushes them), as its after-commit hook does.
    shown[0].quantity = 0
    shown[0].save(update_fields=["quantity"])
    values = stock._raise_brand_versions([shown[0].brand_id], stock=True, catalog=False)
    another_process(settings).raise_to(values)

    assert not buyable(html_of(client), shown[0].asin)
    assert reads() == (before[0], before[1] + 1)  # known from the push: no read


def test_a_dropped_subscription_is_noticed_and_the_next_view_reads_redis(
        client, shown, settings, committed):  # noqa: F811
    html_of(client)
    html_of(client)
    server = redis.Redis.from_url(settings.REDIS_URL)
    assert server.client_kill_filter(_type="pubsub", skipme=True) >= 1
    # Written while this process hears nothing: the push is lost with its connection.
    shown[1].quantity = 0
    shown[1].save(update_fields=["quantity"])
    another_process(settings).raise_to(
        stock._raise_brand_versions([shown[1].brand_id], stock=True, catalog=False))
    before = reads()

    assert not buyable(html_of(client), shown[1].asin)
    assert reads()[0] == before[0] + 1  # the broken subscription sent this view to Redis
    html_of(client)  # subscribed again
    after = reads()
    committed(stock_set, product=shown[2], quantity=0)
    assert not buyable(html_of(client), shown[2].asin)
    assert reads() == (after[0], after[1] + 1)


def test_a_change_whose_push_was_lost_shows_within_the_mirror_expiry(
        client, shown, settings, monkeypatch):
    monkeypatch.setattr(stock, "VERSION_TTL", 0.4)
    html_of(client)
    html_of(client)
    # The mirror raised without a push (as if the push never arrived).
    shown[0].quantity = 0
    shown[0].save(update_fields=["quantity"])
    versions = stock._raise_brand_versions([shown[0].brand_id], stock=True, catalog=False)
    key = f"{settings.CACHES['default'].get('KEY_PREFIX', '')}:bv:{shown[0].brand_id}"
    s, c = versions[shown[0].brand_id]
    redis.Redis.from_url(settings.REDIS_URL).set(key, f"{s}:{c}", px=400)

    assert buyable(html_of(client), shown[0].asin)  # trusted until the key's expiry
    time.sleep(0.45)
    assert not buyable(html_of(client), shown[0].asin)


def test_a_process_that_stopped_looking_starts_over_instead_of_trusting_its_backlog(
        settings, monkeypatch):
    monkeypatch.setattr(stock, "VERSION_TTL", 0.3)
    reader, writer = stock._RedisMirror(), another_process(settings)
    brand = 9_000_001  # a key of this test's own
    writer.raise_to({brand: (1, 1)})
    reader.read([brand])
    assert reader.read([brand]) == {brand: (1, 1)} and reader.answered_locally
    time.sleep(0.35)  # not looked at for longer than a value is trusted
    writer.raise_to({brand: (2, 2)})  # waiting in the backlog, with whatever came before
    assert reader.read([brand]) == {brand: (2, 2)}
    assert not reader.answered_locally  # started over: subscribed and read afresh
    assert reader.read([brand]) == {brand: (2, 2)} and reader.answered_locally
    reader.pushes.reset()
    writer.pushes.reset()


# --- any interleaving of writers, readers and broken subscriptions -----------------------

STEPS = st.lists(st.one_of(
    st.tuples(st.just("raise"), st.integers(0, 2), st.integers(0, 3)),  # writer, brand
    st.tuples(st.just("read"), st.lists(st.integers(0, 3), min_size=1, max_size=4)),
    st.tuples(st.just("drop")),  # every subscription's connection killed
), min_size=1, max_size=25)


@given(steps=STEPS)
@hypothesis_settings(max_examples=40, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_read_after_any_sequence_of_writes_sees_the_last_of_them(redis_url, settings, steps):
    """Three writer processes raise four brands in any order while a reader reads them and
    its subscription may break at any point: every read sees every raise that returned."""
    reader = stock._RedisMirror()
    writers = [stock._RedisMirror() for _ in range(3)]
    base = 9_100_000 + 10 * (hash(tuple(map(str, steps))) % 10_000)  # keys of this example
    truth = {base + b: (0, 0) for b in range(4)}
    writers[0].raise_to(truth)
    server = redis.Redis.from_url(redis_url)
    try:
        for step in steps:
            if step[0] == "raise":
                brand = base + step[2]
                s, c = truth[brand]
                truth[brand] = (s + 1, c + (step[1] == 2))
                writers[step[1]].raise_to({brand: truth[brand]})
            elif step[0] == "read":
                brands = [base + b for b in step[1]]
                assert reader.read(brands) == {b: truth[b] for b in brands}
            else:
                server.client_kill_filter(_type="pubsub")
    finally:
        for mirror in (reader, *writers):
            mirror.pushes.reset()
        server.delete(*(f"{reader.prefix}{b}" for b in truth))
