"""Insights: ingestion rate, and what page-view capture costs a shopper page.

1. Ingestion (in this process): N page views through `page_view_record` (varied visitors,
   pages, sources), then the flush to the database (bulk_create, or the Redis drain when
   REDIS_URL is set) and the rollup into DailyStat. Events per second for each step and
   end to end.
2. Shopper page throughput with capture ON and OFF in the same run: two gunicorn servers
   (bench_store_page's Store, helpers and load generator), identical but for
   INSIGHTS_CAPTURE_ENABLED, loaded in alternating rounds; best round of each. Aim: capture
   costs under 10 %.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from bench import bench_store_page as store_bench
from bench.common import Row

EVENTS = 20_000
ROUNDS = 5


def _teardown() -> None:
    """Remove bench_store_page's Store and catalogue again, so its own run can make them."""
    from catalog.models import Account, Brand, Category, Product
    from stores.models import Store, StoreVersion

    stores = Store.objects.filter(slug="bench-outdoor")
    stores.update(published_version=None)
    StoreVersion.objects.filter(store__in=stores).delete()
    stores.delete()
    Product.objects.filter(brand__slug="bench-outdoor").delete()
    Brand.objects.filter(slug="bench-outdoor").delete()
    Category.objects.filter(slug="bench-tents").delete()
    Account.objects.filter(name="Bench Outdoor Co").delete()


def _ingestion(store) -> list[Row]:
    from stores.insights import capture
    from stores.insights.models import DailyStat
    from stores.insights.services import redis_events_drain, rollup_process

    factory = RequestFactory()
    referrers = ["", "https://www.google.com/", "https://t.co/x",
                 "http://testserver/stores/bench-outdoor/", "https://blog.example.org/"]
    requests = []
    for n in range(EVENTS):
        query = {"channel": f"tag-{n % 150}"} if n % 7 == 0 else {}
        extra = {"HTTP_REFERER": referrers[n % 5]} if referrers[n % 5] else {}
        request = factory.get("/stores/bench-outdoor/", query,
                              HTTP_USER_AGENT=store_bench.BROWSER_UA,
                              REMOTE_ADDR=f"10.0.{n % 250}.{n % 200}", **extra)
        request.user = AnonymousUser()
        requests.append((request, f"benchvisitor{n % 4000:013d}" if n % 10 else None))
    if settings.REDIS_URL:
        capture._redis().delete(capture.REDIS_KEY)
    capture.buffer_take()

    started = time.perf_counter()
    for n, (request, cookie) in enumerate(requests):
        capture.page_view_record(request=request, store=store, page_key=f"p{n % 6}",
                                 cookie_visitor_id=cookie,
                                 new_visitor_id=None if cookie else f"new{n:020d}")
    recorded = time.perf_counter() - started

    started = time.perf_counter()
    if settings.REDIS_URL:
        written = redis_events_drain(max_events=EVENTS * 2)
    else:
        written = capture.flush(rollup=False)
    flushed = time.perf_counter() - started

    started = time.perf_counter()
    result = rollup_process()
    rolled = time.perf_counter() - started
    assert written == EVENTS and result["events"] == EVENTS, (written, result)
    views = sum(DailyStat.objects.filter(store=store, dimension="store")
                .values_list("views", flat=True))
    assert views == EVENTS, views

    mode = "Redis RPUSH" if settings.REDIS_URL else "in-process buffer"
    flush_label = "Redis drain + bulk_create" if settings.REDIS_URL else "flush (bulk_create)"
    total = recorded + flushed + rolled
    return [
        Row("insights", f"page_view_record ({mode})", EVENTS / recorded, "events/s"),
        Row("insights", f"  per view on the request path ({mode})",
            recorded / EVENTS * 1e6, "µs"),
        Row("insights", flush_label, EVENTS / flushed, "events/s"),
        Row("insights", "rollup into DailyStat", EVENTS / rolled, "events/s"),
        Row("insights", f"ingestion end to end ({EVENTS} views)", EVENTS / total,
            "events/s"),
    ]


def _server(port: int, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "bench.wsgi:application",
         "--workers", "2", "--worker-class", "sync", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "--timeout", "120"],
        cwd=store_bench.ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def _throughput(path: str, media_root: Path) -> list[Row]:
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database_url = f"sqlite:///{os.environ['BENCH_DATABASE_NAME']}"
    else:
        database_url = (f"postgres://{database['USER']}:{database['PASSWORD']}@"
                        f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/"
                        f"{database['NAME']}")
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "0",
           "SECURE_SSL_REDIRECT": "0", "ALLOWED_HOSTS": "127.0.0.1",
           "MEDIA_ROOT": str(media_root), "BENCH_PAGE_FILE": str(media_root / "page.html"),
           "DJANGO_SETTINGS_MODULE": "bench.settings", "LOG_LEVEL": "ERROR"}
    ports = {"on": store_bench._free_port(), "off": store_bench._free_port()}
    servers = {
        mode: _server(port, {**env, "INSIGHTS_CAPTURE_ENABLED": "1" if mode == "on" else "0"})
        for mode, port in ports.items()
    }
    best = {"on": 0.0, "off": 0.0}
    try:
        for port in ports.values():
            base = f"http://127.0.0.1:{port}"
            for _ in range(200):
                try:
                    store_bench._get(f"{base}/stores/_theme/0a7d5a.css")
                    break
                except OSError:
                    time.sleep(0.1)
            for _ in range(30):
                store_bench._get(base + path)
        load = store_bench._wrk if shutil.which("wrk") else store_bench._python_load
        tool = "wrk" if load is store_bench._wrk else "python client"
        for _ in range(ROUNDS):
            for mode in ("off", "on"):
                url = f"http://127.0.0.1:{ports[mode]}{path}"
                best[mode] = max(best[mode], load(url, store_bench.BROWSER_UA))
    finally:
        for server in servers.values():
            server.send_signal(signal.SIGTERM)
        for server in servers.values():
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
    from stores.insights.models import PageView
    from stores.insights.services import redis_events_drain

    redis_events_drain(max_events=10**7)  # what the ON server queued in Redis, if any
    counted = PageView.objects.filter(store__slug="bench-outdoor").count()
    backend = "Redis" if settings.REDIS_URL else "embedded"
    return [
        Row("insights", f"shopper page, capture OFF ({tool})", best["off"], "req/s"),
        Row("insights", f"shopper page, capture ON ({backend})", best["on"], "req/s",
            ratio=best["on"] / best["off"], baseline="capture OFF, same run"),
        Row("insights", "  views the ON server captured (all rounds)", counted, "views"),
    ]


def run() -> list[Row]:
    media_root = Path(tempfile.mkdtemp(prefix="storefront-bench-insights-"))
    try:
        path = store_bench._setup(media_root)
        from stores.models import Store

        store = Store.objects.get(slug="bench-outdoor")
        rows = _ingestion(store)
        from stores.insights.models import DailyStat, PageView, VisitorDay

        for model in (PageView, VisitorDay, DailyStat):
            model.objects.filter(store=store).delete()
        rows += _throughput(path, media_root)
    finally:
        _teardown()
        shutil.rmtree(media_root, ignore_errors=True)
    return rows
