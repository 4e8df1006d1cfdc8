"""Insights: ingestion rate, and what page-view capture costs a shopper page.

1. Ingestion (in this process): N page views through `page_view_record` (varied visitors,
   pages, sources), then the flush: embedded, stored and folded into the rollups; with
   REDIS_URL, pushed to Redis and then drained (stored and folded) as the Celery task does.
   Events per second for each step and end to end.
2. Shopper page throughput with capture ON and OFF in the same run: two gunicorn servers
   (bench_store_page's Store, helpers and load generator), identical but for
   INSIGHTS_CAPTURE_ENABLED, loaded in alternating rounds with varied shoppers (5,000
   visitors, every kind of referrer, channel tags: bench/shoppers.lua); best round of
   each, and the server's CPU time per request over all rounds (read from /proc, so it
   holds on a busy machine). Aim: capture costs under 10 %.
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
FLUSH_SECONDS = 1.0  # the ON server's INSIGHTS_FLUSH_SECONDS


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
    from stores.insights import capture, transport
    from stores.insights.models import DailyStat
    from stores.insights.services import redis_events_drain

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
        transport._redis().delete(transport.REDIS_KEY)
    transport.buffer_take()

    started = time.perf_counter()
    for n, (request, cookie) in enumerate(requests):
        capture.page_view_record(request=request, store=store, page_key=f"p{n % 6}",
                                 cookie_visitor_id=cookie,
                                 new_visitor_id=None if cookie else f"new{n:020d}")
    recorded = time.perf_counter() - started

    started = time.perf_counter()
    flushed = transport.flush()
    flush_time = time.perf_counter() - started

    drained, drain_time = 0, 0.0
    if settings.REDIS_URL:
        started = time.perf_counter()
        drained = redis_events_drain(max_events=EVENTS * 2)
        drain_time = time.perf_counter() - started
        assert drained == EVENTS, drained
    assert flushed == EVENTS, flushed
    views = sum(DailyStat.objects.filter(store=store, dimension="store")
                .values_list("views", flat=True))
    assert views == EVENTS, views

    mode = "Redis" if settings.REDIS_URL else "embedded"
    rows = [
        Row("insights", "page_view_record (into the process buffer)", EVENTS / recorded,
            "events/s"),
        Row("insights", "  per view on the request path", recorded / EVENTS * 1e6, "µs"),
    ]
    if settings.REDIS_URL:
        rows += [Row("insights", "flush: batched RPUSH to Redis", EVENTS / flush_time,
                     "events/s"),
                 Row("insights", "drain: store + fold into the rollups", EVENTS / drain_time,
                     "events/s")]
    else:
        rows.append(Row("insights", "flush: store + fold into the rollups",
                        EVENTS / flush_time, "events/s"))
    total = recorded + flush_time + drain_time
    rows.append(Row("insights", f"ingestion end to end ({EVENTS} views, {mode})",
                    EVENTS / total, "events/s"))
    return rows


def _server(port: int, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "bench.wsgi:application",
         "--workers", "2", "--worker-class", "sync", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "--timeout", "120"],
        cwd=store_bench.ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def _workers_cpu_seconds(master_pid: int) -> float:
    """User + system CPU time of a gunicorn master's worker processes (from /proc): what
    serving cost, whatever else the machine was doing meanwhile."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master_pid:  # ppid; utime and stime follow at 11 and 12
            total += int(fields[11]) + int(fields[12])
    return total / ticks


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
        mode: _server(port, {**env, "INSIGHTS_CAPTURE_ENABLED": "1" if mode == "on" else "0",
                             "INSIGHTS_FLUSH_SECONDS": str(FLUSH_SECONDS)})
        for mode, port in ports.items()
    }
    best = {"on": 0.0, "off": 0.0}
    cpu = {"on": 0.0, "off": 0.0}
    served = {"on": 0.0, "off": 0.0}
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
                before = _workers_cpu_seconds(servers[mode].pid)
                rate = load(url, store_bench.BROWSER_UA, shoppers=True)
                # Let the flusher write what the round left buffered, so that its cost
                # is counted in this round.
                time.sleep(FLUSH_SECONDS * 2.5)
                cpu[mode] += _workers_cpu_seconds(servers[mode].pid) - before
                served[mode] += rate * store_bench.SECONDS
                best[mode] = max(best[mode], rate)
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

    redis_events_drain(max_events=10**7)  # what the ON server pushed to Redis, if any
    counted = PageView.objects.filter(store__slug="bench-outdoor").count()
    backend = "Redis" if settings.REDIS_URL else "embedded"
    per_request = {mode: cpu[mode] / served[mode] * 1e6 for mode in cpu}
    return [
        Row("insights", f"shopper page, capture OFF ({tool})", best["off"], "req/s"),
        Row("insights", f"shopper page, capture ON ({backend})", best["on"], "req/s",
            ratio=best["on"] / best["off"], baseline="capture OFF, same run"),
        Row("insights", "  server CPU per request, capture OFF", per_request["off"], "µs"),
        Row("insights", f"  server CPU per request, capture ON ({backend})",
            per_request["on"], "µs", ratio=per_request["on"] / per_request["off"],
            baseline="capture OFF, same run"),
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
