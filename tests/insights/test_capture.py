"""Who and what a page view counts as: visitor, device fallback, source, exclusions."""
from __future__ import annotations

import pytest
from django.test import RequestFactory

from stores.insights import capture, transport
from stores.insights.models import DailyStat, PageView

from .conftest import process, published_store

SITE = "http://testserver/stores/acme-outdoor/"


def store_row(store, day="2026-10-01"):
    return DailyStat.objects.get(store=store, day=day, dimension="store", key="")


def sources(store):
    return dict(DailyStat.objects.filter(store=store, dimension="source")
                .values_list("key", "views"))


def test_views_are_buffered_and_written_only_when_flushed(store, record):
    assert record(store, "home", "2026-10-01 10:00", cookie="visitor-1111111111111111")
    assert PageView.objects.count() == 0
    assert not DailyStat.objects.exists()
    process()
    view = PageView.objects.get()
    assert (view.page_key, view.visitor_id, view.source) == (
        "home", "visitor-1111111111111111", "direct")
    assert store_row(store).views == 1  # stored and rolled up together


@pytest.mark.parametrize(("referrer", "channel", "expected"), [
    (None, None, "direct"),
    ("https://www.google.de/search?q=tent", None, "search"),
    ("https://duckduckgo.com/", None, "search"),
    ("https://www.bing.com/", None, "search"),
    ("https://l.facebook.com/l.php", None, "social"),
    ("https://t.co/abc", None, "social"),
    ("https://www.instagram.com/", None, "social"),
    ("https://blog.example.org/post", None, "external"),
    ("http://testserver/dp/B000000001/", None, "external"),
    ("https://www.google.com/", "Spring Newsletter!", "spring-newsletter"),
    (None, "  ADS_2026.q1 ", "ads_2026.q1"),
    (None, "x" * 80, "x" * 40),
    (None, "<script>", "script"),
    (None, "!!!", "direct"),
])
def test_the_source_is_the_channel_tag_or_the_referrers_kind(store, referrer, channel,
                                                             expected):
    request = RequestFactory().get("/stores/acme-outdoor/",
                                   {"channel": channel} if channel else {},
                                   **({"HTTP_REFERER": referrer} if referrer else {}))
    assert capture.source_for(request=request, store=store) == expected


def test_internal_navigation_keeps_the_source_of_the_previous_view(store, record):
    vid = "visitor-2222222222222222"
    record(store, "home", "2026-10-01 10:00", cookie=vid, referrer="https://t.co/x")
    record(store, "shoes", "2026-10-01 10:01", cookie=vid, referrer=SITE)
    record(store, "home", "2026-10-01 10:02", cookie=vid, channel="promo")
    record(store, "shoes", "2026-10-01 10:03", cookie=vid, referrer=SITE + "shoes/")
    process()
    assert sources(store) == {"social": 2, "promo": 2}
    # Both sources' visitor viewed 2 unique pages that day.
    assert set(DailyStat.objects.filter(store=store, dimension="source")
               .values_list("key", "visitors", "page_visitors")) == {
        ("social", 1, 2), ("promo", 1, 2)}
    assert list(PageView.objects.order_by("viewed_at").values_list("source", flat=True)) == [
        "social", "social", "promo", "promo"]


def test_internal_navigation_without_an_earlier_view_counts_as_direct(store, record):
    record(store, "shoes", "2026-10-01 10:01", cookie="visitor-3333333333333333",
           referrer=SITE)
    process()
    assert sources(store) == {"direct": 1}


def test_a_browser_refusing_cookies_counts_as_one_visitor_per_day(store, record):
    # Each response sets a fresh id that never comes back: the device hash groups them.
    for minute, new_id in enumerate(["new-id-000000000000001", "new-id-000000000000002",
                                     "new-id-000000000000003"]):
        record(store, "home", f"2026-10-01 10:0{minute}", new=new_id)
    record(store, "home", "2026-10-01 10:05", new="new-id-000000000000004", ip="198.51.100.9")
    record(store, "home", "2026-10-02 10:00", new="new-id-000000000000005")
    process()
    row = store_row(store)
    assert (row.visitors, row.views, row.visits) == (2, 4, 2)
    assert store_row(store, "2026-10-02").visitors == 1
    assert not PageView.objects.filter(device_hash__contains="203.0.113").exists()
    assert all(len(h) == 32 for h in PageView.objects.values_list("device_hash", flat=True))


def test_a_first_visit_then_the_cookie_is_one_visitor(store, record):
    record(store, "home", "2026-10-01 10:00", new="visitor-4444444444444444")
    record(store, "shoes", "2026-10-01 10:01", cookie="visitor-4444444444444444")
    process()
    row = store_row(store)
    assert (row.visitors, row.views, row.page_visitors, row.visits) == (1, 2, 2, 1)


@pytest.mark.parametrize("ua", [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0)",
    "facebookexternalhit/1.1",
    "curl/8.5.0",
    "python-requests/2.32",
    "Mozilla/5.0 HeadlessChrome/130.0",
    "",
])
def test_bots_are_not_counted(store, record, ua):
    assert record(store, "home", "2026-10-01 10:00", cookie="visitor-5555555555555555",
                  ua=ua) is False
    process()
    assert PageView.objects.count() == 0


def test_staff_and_moderators_are_not_counted_but_shoppers_signed_in_are(store, record,
                                                                         moderator, vendor):
    assert record(store, "home", "2026-10-01 10:00", cookie="visitor-6666666666666666",
                  user=moderator.user) is False
    assert record(store, "home", "2026-10-01 10:00", cookie="visitor-7777777777777777",
                  user=vendor.user) is True
    process()
    assert list(PageView.objects.values_list("visitor_id", flat=True)) == [
        "visitor-7777777777777777"]


def test_previews_and_disabled_capture_record_nothing(store, record, settings):
    assert record(store, "home", "2026-10-01 10:00", cookie="visitor-8888888888888888",
                  preview=True) is False
    settings.INSIGHTS_CAPTURE_ENABLED = False
    assert record(store, "home", "2026-10-01 10:00", cookie="visitor-8888888888888888") is False
    process()
    assert PageView.objects.count() == 0


def test_the_buffer_is_flushed_after_a_response_once_it_is_full(store, record, settings,
                                                                client):
    settings.REDIS_URL = ""  # the embedded mode: an in-process buffer
    settings.INSIGHTS_BUFFER_SIZE = 3
    record(store, "home", "2026-10-01 10:00", cookie="visitor-9999999999999999")
    record(store, "home", "2026-10-01 10:01", cookie="visitor-9999999999999999")
    client.get("/accounts/login/")
    assert PageView.objects.count() == 0
    record(store, "home", "2026-10-01 10:02", cookie="visitor-9999999999999999")
    client.get("/accounts/login/")
    assert PageView.objects.count() == 3
    assert store_row(store).views == 3


def test_the_background_flusher_writes_and_rolls_up_off_the_request_thread(
        transactional_db, seller, settings, record, client):
    import time

    store = published_store(seller, slug="flushed")
    settings.REDIS_URL = ""
    settings.INSIGHTS_FLUSH_THREAD = True
    settings.INSIGHTS_BUFFER_SIZE = 1
    record(store, "home", "2026-10-01 10:00", cookie="visitor-tttttttttttttttt")
    runs = transport.flusher_runs
    client.get("/accounts/login/")  # the response hands the flush to the flusher thread
    for _ in range(400):  # wait without touching the database meanwhile
        if transport.flusher_runs > runs:
            break
        time.sleep(0.05)
    assert DailyStat.objects.get(store=store, dimension="store").views == 1
    assert transport._flusher is not None and transport._flusher.name == "insights-flusher"
    assert list(PageView.objects.values_list("visitor_id", flat=True)) == [
        "visitor-tttttttttttttttt"]


def test_one_browser_cycling_through_channel_tags_creates_at_most_ten_sources(store, record):
    for n in range(15):
        record(store, "home", f"2026-10-01 10:{n:02d}", cookie="visitor-xxxxxxxxxxxxxxxx",
               channel=f"spam{n}")
    process()
    assert sources(store) == {**{f"spam{n}": 1 for n in range(9)}, "spam9": 6}


def test_a_quiet_buffer_is_flushed_by_the_clock_without_another_request(
        transactional_db, seller, settings, record):
    import time

    store = published_store(seller, slug="quiet")
    settings.REDIS_URL = ""
    settings.INSIGHTS_FLUSH_THREAD = True
    settings.INSIGHTS_FLUSH_SECONDS = 0.2
    transport._flush_when_due()  # starts the flusher thread if it is not running yet
    record(store, "home", "2026-10-01 10:00", cookie="visitor-qqqqqqqqqqqqqqqq")
    runs = transport.flusher_runs
    for _ in range(200):  # no request finishes meanwhile: only the clock can flush
        if transport.flusher_runs > runs:
            break
        time.sleep(0.05)
    assert DailyStat.objects.get(store=store, dimension="store").views == 1



def test_a_flush_takes_the_same_few_queries_whatever_its_size(store, record, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def flush_queries(count: int, day: str) -> int:
        for n in range(count):
            record(store, ["home", "shoes"][n % 2], f"{day} 10:{n % 60:02d}",
                   cookie=f"visitor-{day}-{n:08d}", channel=f"tag{n % 7}")
        with CaptureQueriesContext(connection) as queries:
            assert transport.flush() == count
        return len(queries)

    settings.REDIS_URL = ""  # straight into the database (the Redis drain ingests alike)
    # Both measured flushes meet stored visitor-days and new ones.
    flush_queries(1, "2026-10-01")
    small = flush_queries(2, "2026-10-01")
    large = flush_queries(400, "2026-10-01")
    assert small == large
    assert large <= 12
    assert store_row(store).views == 403


def test_a_view_counts_on_the_day_of_the_stores_marketplace(seller, record, client):
    """Days are the brand's shoppers' days: a view at 23:30 UTC in a Dutch Store is on the
    next day in Amsterdam; in a UK Store, an hour ahead of UTC in summer, likewise."""
    from stores.models import Store

    dutch = published_store(seller)
    Store.objects.filter(pk=dutch.pk).update(marketplace_id="nl")
    british = published_store(seller, slug="acme-uk")
    Store.objects.filter(pk=british.pk).update(marketplace_id="uk")
    for store in (dutch, british):
        store.refresh_from_db()
        assert record(store, "home", "2026-10-01 23:30", cookie="visitor-3333333333333333")
    process()

    assert store_row(dutch, day="2026-10-02").views == 1
    assert store_row(british, day="2026-10-02").views == 1
    assert not DailyStat.objects.filter(day="2026-10-01").exists()
