"""Through the real shopper page: the sf_vid cookie, the channel tag, Redis and Celery."""
from __future__ import annotations

import pytest

from stores.insights import transport
from stores.insights.models import DailyStat, PageView
from stores.insights.services import redis_events_drain

from .conftest import BROWSER_UA, process


def test_shopper_page_views_are_counted_with_the_cookie_and_the_channel(client, store):
    client.defaults["HTTP_USER_AGENT"] = BROWSER_UA
    first = client.get("/stores/acme-outdoor/?channel=newsletter")
    assert first.status_code == 200
    vid = first.cookies["sf_vid"].value
    assert client.get("/stores/acme-outdoor/shoes/",
                      HTTP_REFERER="http://testserver/stores/acme-outdoor/").status_code == 200
    process()
    assert list(PageView.objects.order_by("id").values_list("visitor_id", "page_key",
                                                            "source")) == [
        (vid, "home", "newsletter"), (vid, "shoes", "newsletter")]
    row = DailyStat.objects.get(store=store, dimension="store")
    assert (row.visitors, row.views, row.page_visitors, row.visits) == (1, 2, 2, 1)


def test_bots_and_previews_through_the_shopper_page_are_not_counted(client, store, seller):
    assert client.get("/stores/acme-outdoor/", HTTP_USER_AGENT="Googlebot/2.1").status_code == 200
    from stores.previews import preview_url

    preview = client.get(preview_url(store=store), HTTP_USER_AGENT=BROWSER_UA)
    assert preview.status_code == 200
    process()
    assert PageView.objects.count() == 0


@pytest.mark.celery_worker
def test_with_redis_buffered_views_are_pushed_in_one_batch_and_drained_by_the_worker(
        redis_url, celery_worker, store, record, settings):
    from stores.insights.tasks import events_drain

    client = transport._redis()
    client.delete(transport.REDIS_KEY)
    record(store, "home", "2026-10-01 10:00", cookie="visitor-rrrrrrrrrrrrrrrr", channel="tv")
    record(store, "shoes", "2026-10-01 10:01", cookie="visitor-rrrrrrrrrrrrrrrr",
           referrer="http://testserver/stores/acme-outdoor/")
    assert client.llen(transport.REDIS_KEY) == 0  # nothing leaves the process per view
    assert transport.flush() == 2
    assert client.llen(transport.REDIS_KEY) == 2
    assert transport.buffer_take() == []
    result = events_drain.delay().get(timeout=30)
    assert result == {"events": 2, "orders": 0}
    assert client.llen(transport.REDIS_KEY) == 0
    row = DailyStat.objects.get(store=store, dimension="source", key="tv")
    assert (row.visitors, row.views, row.page_visitors) == (1, 2, 2)
    assert redis_events_drain() == 0
