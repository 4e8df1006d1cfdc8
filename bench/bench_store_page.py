"""A shopper's Store page (20 tiles, ~150 product cards) served by gunicorn, against a bare
Django view returning the same bytes from memory, in the same run on the same server.

gunicorn: 2 sync workers, DEBUG=0, the bench's scratch database (SQLite file unless
DATABASE_URL says otherwise), persistent connections (CONN_MAX_AGE from settings). Load:
`wrk` (a few connections, one thread) when installed, else a small multi-process Python
client. Each figure is the best of a few rounds, alternating baseline and page, so that
machine noise hits both alike. The main figure uses a crawler user agent, so the page is
measured without insights' view capture (which buffers views and writes them in batches);
a second figure with a browser user agent includes that capture, as in real use.
"""
from __future__ import annotations

import io
import multiprocessing
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import django.test.signals  # noqa: F401  (connects the setting_changed receivers)
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.signals import setting_changed
from django.utils import timezone

from bench.common import Row

ROOT = Path(__file__).resolve().parent.parent
PRODUCTS = 170
ROUNDS = 4
SECONDS = 3
CONNECTIONS = 4
BROWSER_UA = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/130.0 Safari/537.36")
CRAWLER_UA = "Googlebot/2.1 (+http://www.google.com/bot.html)"
VISITOR = "benchvisitor0000000000001"


def _image_bytes(index: int) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (400, 400), ((index * 37) % 255, (index * 91) % 255, 160))
    ImageDraw.Draw(image).ellipse((80, 80, 320, 320), fill=(250, 250, 250))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def _document(asins: list[str]) -> dict:
    """20 product tiles in 10 half-width sections: manual grids, best sellers, automated
    grids, recommended products, deals and full-width products."""
    def grid(i):
        # (A brand with fewer products than the page names: its ASINs over again.)
        picked = dict.fromkeys(asins[(i * 7 % 140 + k) % len(asins)] for k in range(12))
        return {"key": f"t{i}", "type": "product_grid", "config": {
            "mode": "manual", "asins": list(picked),
            "hide_out_of_stock": i % 4 == 0, "title": f"Collection {i}"}}

    kinds = [
        grid,
        lambda i: {"key": f"t{i}", "type": "best_sellers", "config": {"limit": 8,
                                                                       "title": "Best sellers"}},
        lambda i: {"key": f"t{i}", "type": "product_grid", "config": {
            "mode": "automated", "rule": {"category": None, "keyword": "tent"},
            "sort": "rating", "limit": 8, "title": "Tents"}},
        grid,
        lambda i: {"key": f"t{i}", "type": "featured_deals", "config": {"limit": 6,
                                                                         "title": "Deals"}},
        lambda i: {"key": f"t{i}", "type": "recommended_products", "config": {
            "limit": 8, "title": "Recommended"}},
        lambda i: {"key": f"t{i}", "type": "product", "config": {
            "asin": asins[i % len(asins)], "layout": "product_details",
            "hide_out_of_stock": False}},
    ]
    sections = [
        {"key": f"s{n}", "layout": "halves",
         "tiles": [kinds[i % len(kinds)](i) for i in (2 * n, 2 * n + 1)]}
        for n in range(10)
    ]
    return {"name": "Bench Outdoor", "theme": {"accent_color": "#0a7d5a"},
            "pages": [{"key": "home", "parent": None, "slug": "", "title": "Home",
                       "sections": sections}]}


def _setup(media_root: Path) -> str:
    from catalog.models import (
        Account,
        Brand,
        BrandRegistryEnrollment,
        Category,
        Deal,
        Product,
        ProductImage,
    )
    from stores.documents import validate_store_document
    from stores.models import Store, StoreVersion

    settings.MEDIA_ROOT = str(media_root)
    # Through the setting_changed signal (its receivers live in django.test.signals), so
    # that the file storage, which caches its folder, follows: each benchmark module has
    # a media folder of its own.
    setting_changed.send(sender=type(settings), setting="MEDIA_ROOT",
                         value=str(media_root), enter=True)
    account = Account.objects.create(name="Bench Outdoor Co", kind="seller")
    brand = Brand.objects.create(account=account, name="Bench Outdoor", slug="bench-outdoor")
    BrandRegistryEnrollment.objects.create(brand=brand, trademark_number="TM1", status="approved")
    category = Category.objects.create(name="Bench tents", slug="bench-tents")
    products = Product.objects.bulk_create([
        Product(asin=f"B9{n:08d}", brand=brand, category=category,
                title=f"Bench {'tent' if n % 3 else 'stove'} model {n} with a fairly long title",
                price=Decimal("19.90") + n, is_prime=n % 2 == 0, rating=Decimal("4.1"),
                review_count=10 + n, units_sold_30d=(n * 7) % 50, quantity=0 if n % 9 == 0 else 5,
                bullet_points=["Light", "Waterproof", "Packs small"], description="Good.")
        for n in range(PRODUCTS)
    ])
    for n, product in enumerate(products):
        image = ProductImage(product=product, width=400, height=400, position=0,
                             alt=product.title)
        image.image.save(f"bench-{n}.jpg", ContentFile(_image_bytes(n)), save=False)
        image.save()
    now = timezone.now()
    Deal.objects.bulk_create([
        Deal(product=product, deal_price=product.price - 5, starts_at=now - timedelta(days=1),
             ends_at=now + timedelta(days=2))
        for product in products[:12]
    ])
    document = validate_store_document(_document([p.asin for p in products]), brand=brand)
    store = Store.objects.create(brand=brand, name="Bench Outdoor", slug="bench-outdoor",
                                 draft=document)
    version = StoreVersion.objects.create(store=store, number=1, document=document,
                                          source_revision=0, approved_at=now)
    store.published_version = version
    store.save()
    return "/stores/bench-outdoor/"


def _free_port() -> int:
    if os.environ.get("BENCH_PORT"):
        return int(os.environ["BENCH_PORT"])
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, ua: str = BROWSER_UA) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": ua,  # noqa: S310
                                                   "Cookie": f"sf_vid={VISITOR}"})
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
        return response.read()


SHOPPERS_SCRIPT = Path(__file__).resolve().parent / "shoppers.lua"
REFERRERS = ["", "https://www.google.com/", "https://t.co/x", "https://blog.example.org/",
             "http://127.0.0.1/stores/bench-outdoor/"]


def shopper_request(path: str, n: int) -> tuple[str, dict]:
    """The n-th request of varied shoppers (as bench/shoppers.lua does for wrk): 5,000
    visitors, every kind of referrer, a channel tag on one view in 7."""
    headers = {"Cookie": f"sf_vid=benchvisitor{n % 5000:013d}"}
    if REFERRERS[n % 5]:
        headers["Referer"] = REFERRERS[n % 5]
    return (f"{path}?channel=tag-{n % 150}" if n % 7 == 0 else path), headers


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
LAST_P99: dict[str, float] = {}


def _wrk(url: str, ua: str, *, shoppers: bool = False) -> float:
    script = ["-s", str(SHOPPERS_SCRIPT)] if shoppers else []
    out = subprocess.run(
        ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", "-H",
         f"User-Agent: {ua}", "-H", f"Cookie: sf_vid={VISITOR}", *script, url],
        capture_output=True, text=True, check=True,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} failed responses\n{out}")
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
    if p99:
        LAST_P99[url] = float(p99.group(1)) * _UNITS[p99.group(2)]
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def _client_loop(url: str, ua: str, seconds: float, counter, shoppers: bool,
                 offset: int) -> None:
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    done = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        path, headers = (shopper_request(parts.path, offset + done * CONNECTIONS)
                         if shoppers else (parts.path, {"Cookie": f"sf_vid={VISITOR}"}))
        # Sync gunicorn workers close the connection after each response.
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        connection.request("GET", path, headers={"User-Agent": ua, **headers})
        response = connection.getresponse()
        response.read()
        connection.close()
        if response.status != 200:
            raise RuntimeError(f"{url}: HTTP {response.status}")
        done += 1
    with counter.get_lock():
        counter.value += done


def _python_load(url: str, ua: str, *, shoppers: bool = False) -> float:
    counter = multiprocessing.Value("i", 0)
    workers = [multiprocessing.Process(target=_client_loop,
                                       args=(url, ua, SECONDS, counter, shoppers, offset))
               for offset in range(CONNECTIONS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return counter.value / SECONDS


def run() -> list[Row]:
    media_root = Path(tempfile.mkdtemp(prefix="storefront-bench-media-"))
    page_file = media_root / "page.html"
    path = _setup(media_root)
    port = _free_port()
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database_url = f"sqlite:///{os.environ['BENCH_DATABASE_NAME']}"
    else:
        database_url = (f"postgres://{database['USER']}:{database['PASSWORD']}@"
                        f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/"
                        f"{database['NAME']}")
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "MEDIA_ROOT": str(media_root),
        "BENCH_PAGE_FILE": str(page_file),
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "LOG_LEVEL": "ERROR",
    }
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "bench.wsgi:application",
         "--workers", "2", "--worker-class", "sync", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "--timeout", "120"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                _get(f"{base}/stores/_theme/0a7d5a.css")
                break
            except OSError:
                time.sleep(0.1)
        # Warm both workers: compiled pages, renditions, stock in memory.
        for _ in range(30):
            body = _get(base + path)
        page_file.write_bytes(body)
        assert _get(f"{base}/_bench/static-page/") == body
        cards = body.count(b"data-asin=")
        tiles = body.count(b"data-tile=")
        load = _wrk if shutil.which("wrk") else _python_load
        tool = "wrk" if load is _wrk else "python client"
        baseline = page = crawler = 0.0
        # The page without view capture first: captured views are written to the database
        # in batches (and rolled up) by insights, which then also weighs on later rounds.
        for _ in range(ROUNDS):
            baseline = max(baseline, load(f"{base}/_bench/static-page/", CRAWLER_UA))
            crawler = max(crawler, load(base + path, CRAWLER_UA))
        churn = 0.0
        for _ in range(ROUNDS):
            baseline = max(baseline, load(f"{base}/_bench/static-page/", CRAWLER_UA))
            churn = max(churn, _with_stock_churn(lambda: load(base + path, CRAWLER_UA)))
        for _ in range(ROUNDS):
            baseline = max(baseline, load(f"{base}/_bench/static-page/", CRAWLER_UA))
            page = max(page, load(base + path, BROWSER_UA))
        traffic = _under_write_traffic(base, path, load)
        # The writes changed stock and prices: the bare view serves the page as it is now.
        body = _get(base + path)
        page_file.write_bytes(body)
        server.send_signal(signal.SIGTERM)  # the machine to ourselves for the last figure
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:  # a busy machine: do not wait for the graceful end
            server.kill()
            server.wait(timeout=20)
        cpu_base, cpu_page = _in_process_cpu(path, page_file)
        compiled = _compile_figures()
    except Exception:
        server.send_signal(signal.SIGTERM)
        _, errors = server.communicate(timeout=20)
        print(errors.decode(errors="replace")[-3000:], file=sys.stderr)
        raise
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(media_root, ignore_errors=True)
    size = f"{len(body) / 1024:.0f} KB, {tiles} tiles, {cards} cards"
    label = f"bare view, same bytes ({tool})"
    return [
        Row("store_page", f"bare Django view, same {size}", baseline, "req/s"),
        Row("store_page", "shopper page, warm caches, live stock", crawler, "req/s",
            ratio=crawler / baseline, baseline=label),
        Row("store_page", f"same, stock of a shown product changing {CHURN_PER_S}x/s", churn,
            "req/s", ratio=churn / baseline, baseline=label),
        Row("store_page", "same, plus insights view capture (browser UA)", page, "req/s",
            ratio=page / baseline, baseline=label),
        Row("store_page", "in-process WSGI: bare view, CPU per request", cpu_base, "µs"),
        Row("store_page", "in-process WSGI: shopper page, CPU per request", cpu_page, "µs",
            ratio=cpu_base / cpu_page, baseline="bare view (as throughput ratio)"),
        *traffic,
        *compiled,
    ]


def _in_process_cpu(path: str, page_file: Path, requests: int = 300) -> tuple[float, float]:
    """CPU time of this thread per request through the whole WSGI handler and middleware:
    the same comparison without HTTP, far less sensitive to a busy machine."""
    import io

    from django.core.handlers.wsgi import WSGIHandler
    from django.test import RequestFactory, override_settings

    os.environ["BENCH_PAGE_FILE"] = str(page_file)
    factory = RequestFactory()

    def call(handler, url: str) -> bytes:
        environ = factory.get(url, HTTP_USER_AGENT=CRAWLER_UA,
                              HTTP_COOKIE=f"sf_vid={VISITOR}").environ
        environ.update({"wsgi.input": io.BytesIO(b""), "SERVER_NAME": "127.0.0.1",
                        "HTTP_HOST": "127.0.0.1"})
        statuses = []
        chunks = handler(environ, lambda status, headers: statuses.append(status))
        try:
            content = b"".join(chunks)
        finally:
            chunks.close()
        if statuses != ["200 OK"]:
            raise RuntimeError(f"{url}: {statuses}")
        return content

    with override_settings(ROOT_URLCONF="bench.urls", DEBUG=False, SECURE_SSL_REDIRECT=False,
                           ALLOWED_HOSTS=["127.0.0.1"], STORAGES={
                               **settings.STORAGES, "staticfiles": {
                                   "BACKEND": "django.contrib.staticfiles.storage."
                                              "StaticFilesStorage"}}):
        handler = WSGIHandler()
        # Compile in this process; both answers must be the very same bytes.
        mine, served = call(handler, path), call(handler, "/_bench/static-page/")
        if mine != served:
            dump = Path(tempfile.gettempdir()) / "storefront-bench-page-differs"
            dump.mkdir(exist_ok=True)
            (dump / "in-process.html").write_bytes(mine)
            (dump / "served.html").write_bytes(served)
            raise RuntimeError(f"the page and the baseline differ (both kept in {dump})")
        best = {}
        for _ in range(ROUNDS):
            for url in ("/_bench/static-page/", path):
                started = time.thread_time()
                for _ in range(requests):
                    call(handler, url)
                spent = (time.thread_time() - started) / requests * 1e6
                best[url] = min(best.get(url, spent), spent)
    return best["/_bench/static-page/"], best[path]


CHURN_PER_S = 20


def _with_stock_churn(measure) -> float:
    """Run `measure` while a product on the page goes in and out of stock through the
    stock service (a real write and `stock_changed` after commit) CHURN_PER_S times a
    second: every change invalidates what the workers assembled."""
    import threading

    from django.db import connection

    from catalog.models import Product
    from catalog.services import stock_set

    product = Product.objects.get(asin="B900000001")
    stop = threading.Event()

    def churn():
        quantity = 0
        try:
            while not stop.is_set():
                quantity = 5 - quantity
                stock_set(product=product, quantity=quantity)
                stop.wait(1 / CHURN_PER_S)
        finally:
            connection.close()

    thread = threading.Thread(target=churn, daemon=True)
    thread.start()
    try:
        return measure()
    finally:
        stop.set()
        thread.join()
        stock_set(product=product, quantity=5)  # as it was: the page is the same again


# --- under a marketplace's write traffic ---------------------------------------------------

TRAFFIC_BRANDS = 1_000
TRAFFIC_PRODUCTS_PER_BRAND = 20
STOCK_CHANGES_PER_S = 500
DATA_CHANGES_PER_S = 50
WRITE_TICK = 0.02
WRITE_BATCH_MAX = 1_000


def _traffic_catalogue() -> list[int]:
    """1,000 other brands of 20 products each; with the page's brand, every product a
    write may hit (so the page's own products get their proportional share)."""
    from catalog.models import Account, Brand, Product

    account = Account.objects.create(name="Bench marketplace", kind="vendor")
    brands = Brand.objects.bulk_create([
        Brand(account=account, name=f"Bench brand {n}", slug=f"bench-brand-{n}")
        for n in range(TRAFFIC_BRANDS)])
    Product.objects.bulk_create([
        Product(asin=f"T{b:04d}{n:05d}", brand=brand, title=f"Traffic product {b}-{n}",
                price=Decimal("9.90") + n, quantity=5)
        for b, brand in enumerate(brands) for n in range(TRAFFIC_PRODUCTS_PER_BRAND)
    ], batch_size=2_000)
    return list(Product.objects.values_list("pk", flat=True))


def _write_traffic(stop, rates, product_ids: list[int]) -> None:
    """STOCK_CHANGES_PER_S stock writes and DATA_CHANGES_PER_S price writes a second,
    on random products, through the same path as the services: the write and the
    brands' versions in one transaction, the mirror after commit. Writes are batched
    as a marketplace's feeds are: each transaction writes the changes due since the last
    one (every WRITE_TICK seconds, more at once when the writer fell behind), so the rate
    asked is the rate written unless the database itself cannot keep up."""
    import random

    from django.db import connections, transaction
    from django.db.models import F

    from catalog import stock
    from catalog.models import Product
    from catalog.services.inventory import _quantities_write

    connections.close_all()  # never the parent's connection
    rng = random.Random(13)
    done_stock = done_data = transactions = 0
    started = time.perf_counter()
    while not stop.is_set():
        elapsed = time.perf_counter() - started
        due_stock = min(int(elapsed * STOCK_CHANGES_PER_S) - done_stock, WRITE_BATCH_MAX)
        due_data = min(int(elapsed * DATA_CHANGES_PER_S) - done_data, WRITE_BATCH_MAX)
        if due_stock > 0:
            ids = rng.sample(product_ids, due_stock)
            with transaction.atomic():
                _quantities_write({pk: rng.choice((0, 3, 7, 12)) for pk in ids},
                                  at=timezone.now())
                stock.stock_changed(ids)
            done_stock += len(ids)
            transactions += 1
        if due_data > 0:
            changed = rng.sample(product_ids, due_data)
            with transaction.atomic():
                Product.objects.filter(pk__in=changed).update(
                    price=F("price") + (1 if rng.random() < 0.5 else -1))
                stock.product_data_changed(changed)
            done_data += len(changed)
            transactions += 1
        if due_stock <= 0 and due_data <= 0:
            time.sleep(WRITE_TICK)
    elapsed = time.perf_counter() - started
    rates[0], rates[1] = done_stock / elapsed, done_data / elapsed
    rates[2] = transactions / elapsed
    connections.close_all()


def _under_write_traffic(base: str, path: str, load) -> list[Row]:
    """The page and the bare view of the same bytes, both measured while the writes run."""
    from django.db import connections

    product_ids = _traffic_catalogue()
    connections.close_all()
    context = multiprocessing.get_context("fork")
    stop = context.Event()
    rates = context.Array("d", 3)
    writer = context.Process(target=_write_traffic, args=(stop, rates, product_ids))
    writer.start()
    baseline = page = 0.0
    p99_base = p99_page = float("inf")
    load_before = os.getloadavg()[0]
    try:
        time.sleep(1)
        for _ in range(ROUNDS):
            baseline = max(baseline, load(f"{base}/_bench/static-page/", CRAWLER_UA))
            p99_base = min(p99_base, LAST_P99.get(f"{base}/_bench/static-page/", float("nan")))
            page = max(page, load(base + path, CRAWLER_UA))
            p99_page = min(p99_page, LAST_P99.get(base + path, float("nan")))
    finally:
        stop.set()
        writer.join(timeout=30)
    load_after = os.getloadavg()[0]
    print(f"traffic: bare {baseline:.0f} req/s p99 {p99_base:.1f} ms; page {page:.0f} req/s "
          f"p99 {p99_page:.1f} ms; writes {rates[0]:.0f}+{rates[1]:.0f}/s in "
          f"{rates[2]:.0f} transactions/s; load {load_before:.1f}->{load_after:.1f}", flush=True)
    label = "bare view, same bytes, same traffic"
    achieved = (f"{rates[0]:.0f} stock + {rates[1]:.0f} data changes/s in "
                f"{rates[2]:.0f} tx/s")
    return [
        Row("store_page_traffic", f"bare view under writes ({achieved})", baseline, "req/s"),
        Row("store_page_traffic", "shopper page under the same writes", page, "req/s",
            ratio=page / baseline if baseline else None, baseline=label),
        Row("store_page_traffic", "bare view p99 latency (best round)", p99_base, "ms"),
        Row("store_page_traffic", "shopper page p99 latency (best round)", p99_page, "ms",
            ratio=p99_base / p99_page if p99_page else None, baseline="bare view p99"),
        Row("store_page_traffic", "load average (1 min) before / after",
            load_before, f"/ {load_after:.1f}"),
    ]


# --- compile cost against catalogue size ---------------------------------------------------

BIG_BRAND = 100_000
SMALL_BRAND = 10


def _brand_with(products: int, slug: str, prefix: str):
    from catalog.models import Account, Brand, Category, Deal, Product
    from stores.documents import validate_store_document
    from stores.models import Store

    account = Account.objects.create(name=f"Bench {slug}", kind="vendor")
    brand = Brand.objects.create(account=account, name=f"Bench {slug}", slug=slug)
    category, _ = Category.objects.get_or_create(slug="bench-tents",
                                                 defaults={"name": "Bench tents"})
    for start in range(0, products, 5_000):
        Product.objects.bulk_create([
            Product(asin=f"{prefix}{n:08d}", brand=brand, category=category,
                    title=f"Bench {'tent' if n % 3 else 'stove'} model {n}",
                    price=Decimal("19.90") + n % 500, is_prime=n % 2 == 0,
                    rating=Decimal(n % 50) / 10, review_count=n % 1_000,
                    units_sold_30d=(n * 7) % 500, quantity=0 if n % 9 == 0 else 5,
                    bullet_points=["Light", "Waterproof"], description="Good.")
            for n in range(start, min(products, start + 5_000))])
    asins = list(Product.objects.filter(brand=brand).order_by("asin")
                 .values_list("asin", flat=True)[:PRODUCTS])
    now = timezone.now()
    Deal.objects.bulk_create([
        Deal(product=product, deal_price=Decimal("5.00"), starts_at=now - timedelta(days=1),
             ends_at=now + timedelta(days=2))
        for product in Product.objects.filter(brand=brand).order_by("asin")[:12]])
    document = validate_store_document(_document(asins), brand=brand)
    store = Store.objects.create(brand=brand, name=f"Bench {slug}", slug=slug, draft=document)
    return store, document


def _compile_once(store, document) -> dict:
    """Compiling the home page (the part that reads the catalogue), then its first
    assembly (cards rendered: what the page shows, whatever the catalogue), from cold
    process caches: wall and CPU seconds of each, queries, bytes held (traced) and the
    page's size."""
    import tracemalloc

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from catalog.stock import forget_process_state
    from stores.rendering import (
        assemble,
        clear_compiled_pages,
        compile_page,
        live_page_url,
    )

    forget_process_state()
    clear_compiled_pages()
    page = document["pages"][0]
    with CaptureQueriesContext(connection) as queries:
        started, cpu = time.perf_counter(), time.thread_time()
        compiled = compile_page(store=store, document=document, page=page,
                                page_url=live_page_url(store, document))
        compile_wall, compile_cpu = time.perf_counter() - started, time.thread_time() - cpu
        body = assemble(compiled)
        wall, cpu = time.perf_counter() - started, time.thread_time() - cpu
    tracemalloc.start()
    forget_process_state()
    kept = compile_page(store=store, document=document, page=page,
                        page_url=live_page_url(store, document))
    assemble(kept)
    size = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del kept
    return {"compile_wall": compile_wall, "compile_cpu": compile_cpu, "wall": wall,
            "cpu": cpu, "queries": len(queries), "bytes": size, "page": len(body)}


def _compile_figures() -> list[Row]:
    from django.test import override_settings

    # As the in-process figure: the scratch run has no collectstatic manifest.
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}):
        rows = _compile_rows()
    for row in rows:
        print(row, flush=True)
    return rows


def _compile_rows() -> list[Row]:
    from catalog.services import catalog_statistics_refresh

    brands = [(SMALL_BRAND, *_brand_with(SMALL_BRAND, "small-brand", "S8")),
              (PRODUCTS, *_brand_with(PRODUCTS, "page-brand", "P8")),
              (BIG_BRAND, *_brand_with(BIG_BRAND, "big-brand", "G8"))]
    # As an import of that size leaves the database (PostgreSQL: autovacuum would too).
    catalog_statistics_refresh()
    best = {}
    for size, store, document in brands:
        runs = [_compile_once(store, document) for _ in range(5)]
        # The least disturbed of the runs, figure by figure (a busy machine).
        best[size] = {key: min(run[key] for run in runs) for key in runs[0]}
    rows = []
    for size, _, _ in brands:
        figures = best[size]
        label = f"brand of {size:,} products"
        base = best[PRODUCTS] if size != PRODUCTS else None
        rows += [
            Row("compile", f"compile (wall / CPU), {label}", figures["compile_wall"] * 1000,
                f"/ {figures['compile_cpu'] * 1000:.1f} ms",
                ratio=base["compile_cpu"] / figures["compile_cpu"] if base else None,
                baseline=f"CPU, brand of {PRODUCTS}" if base else ""),
            Row("compile", f"+ first assembly (wall / CPU), {label}", figures["wall"] * 1000,
                f"/ {figures['cpu'] * 1000:.1f} ms",
                ratio=base["cpu"] / figures["cpu"] if base else None,
                baseline=f"CPU, brand of {PRODUCTS}" if base else ""),
            Row("compile", f"queries, {label}", figures["queries"], ""),
            Row("compile", f"memory per compiled page, {label}", figures["bytes"] / 1024,
                f"KiB (page {figures['page'] // 1024} KB)"),
        ]
    return rows
