"""`make soak`: the production recipe on this machine, under load and under faults.

Starts nginx (deploy/nginx.conf.template), supervisord (deploy/supervisord.conf.template)
running gunicorn, a Celery worker and beat, a redis-server of its own and a scratch
PostgreSQL database; seeds the demo; then, while shoppers browse, brands submit Stores and
stock flips between 0 and some, it kills the worker (supervisord restarts it) and restarts
Redis (without persistence, so every queued message is lost) — twice each. At the end it
waits for the queue to settle and reports:

- lost: accepted submissions whose automated checks never ran (must be 0);
- wrong stock shown: a Store page showing a price for a product whose stock (read from the
  database right before the page) is 0 (must be 0);
- 5xx answers (must be 0), by kind of request and by what was going on (Redis down, a
  worker just killed…), and when they came.

The soak Stores (24) are spread over copies of the demo brand, one Store per euro
marketplace each (a brand has at most one Store per marketplace).

Settings (environment): SOAK_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/
wt12soak; dropped and created), SOAK_PORT (default 8120: nginx on it, Redis +1, gunicorn
+2; each must be free), SOAK_SECONDS (load duration, default 150), SOAK_SHOPPERS (default 4).
"""
from __future__ import annotations

import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy.render import render  # noqa: E402

PY = ROOT / ".venv" / "bin" / "python"
DATABASE_URL = os.environ.get("SOAK_DATABASE_URL",
                              "postgres://postgres@127.0.0.1:5432/wt12soak")
PORT = int(os.environ.get("SOAK_PORT", "8120"))
REDIS_PORT, GUNICORN_PORT = PORT + 1, PORT + 2
SECONDS = float(os.environ.get("SOAK_SECONDS", "150"))
SHOPPERS = int(os.environ.get("SOAK_SHOPPERS", "4"))
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "storefront"  # noqa: S105 (the demo users' documented password)
SETTLE_SECONDS = 180


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- processes ---------------------------------------------------------------------------


class Stack:
    """Every process of the recipe, started and stopped in order."""

    def __init__(self, run: Path):
        self.run = run
        self.logs = run / "logs"
        self.logs.mkdir(parents=True)
        self.media = run / "media"
        self.media.mkdir()
        self.redis: subprocess.Popen | None = None
        self.supervisord: subprocess.Popen | None = None
        self.nginx: subprocess.Popen | None = None
        self.env = {
            **os.environ,
            "DATABASE_URL": DATABASE_URL,
            "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # Plain HTTP on this machine (TLS would end at nginx or in front of it).
            "SECURE_SSL_REDIRECT": "0", "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0", "SECURE_HSTS_SECONDS": "0",
            "MEDIA_ROOT": str(self.media),
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "DEMO_PASSWORD": PASSWORD,
            "LOG_LEVEL": "WARNING",
            "GUNICORN_BIND": f"127.0.0.1:{GUNICORN_PORT}",
            "GUNICORN_WORKERS": "3",
            # Quicker than production so that the run is short; the mechanism is the same.
            "OUTBOX_RELAY_SECONDS": "2", "OUTBOX_REDELIVER_SECONDS": "10",
            "OUTBOX_RUN_LEASE_SECONDS": "60",
        }
        self.values = {
            "APP_ROOT": str(ROOT), "VENV": str(ROOT / ".venv"), "RUN_DIR": str(run),
            "LOG_DIR": str(self.logs), "STATIC_ROOT": str(ROOT / "staticfiles"),
            "MEDIA_ROOT": str(self.media), "LISTEN": f"127.0.0.1:{PORT}",
            "SERVER_NAME": "127.0.0.1", "UPSTREAM": f"127.0.0.1:{GUNICORN_PORT}",
            # One address plays every shopper here: per-client limits sized for that (the
            # shoppers loop as fast as pages come; at 400/s a faster page turned into a
            # storm of 429s, each answered at once and retried at once).
            "RATE_REQUESTS": "5000r/s", "BURST_REQUESTS": "5000", "RATE_LOGINS": "60r/m",
            "BURST_LOGINS": "10", "CONNECTIONS_PER_CLIENT": "64", "WORKER_CONCURRENCY": "2",
        }

    def manage(self, *args: str) -> None:
        subprocess.run([str(PY), "manage.py", *args], cwd=ROOT, env=self.env, check=True,
                       stdout=subprocess.DEVNULL)

    def start_redis(self) -> None:
        self.redis = subprocess.Popen(
            ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.run)],
            stdout=open(self.logs / "redis.log", "ab"), stderr=subprocess.STDOUT)
        wait_port(REDIS_PORT)

    def kill_redis(self) -> None:
        if self.redis and self.redis.poll() is None:
            self.redis.kill()
            self.redis.wait(timeout=10)

    def start(self) -> None:
        self.start_redis()
        (self.run / "supervisord.conf").write_text(
            render((ROOT / "deploy" / "supervisord.conf.template").read_text(), self.values))
        (self.run / "nginx.conf").write_text(
            render((ROOT / "deploy" / "nginx.conf.template").read_text(), self.values))
        self.supervisord = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "supervisord"), "-c", str(self.run / "supervisord.conf")],
            cwd=ROOT, env=self.env, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run(["nginx", "-t", "-q", "-c", str(self.run / "nginx.conf")], check=True)
        self.nginx = subprocess.Popen(
            ["nginx", "-c", str(self.run / "nginx.conf"), "-g", "daemon off;"],
            start_new_session=True)
        wait_port(PORT)

    def supervisorctl(self, *args: str) -> str:
        return subprocess.run(
            [str(ROOT / ".venv" / "bin" / "supervisorctl"), "-c",
             str(self.run / "supervisord.conf"), *args],
            capture_output=True, text=True, env=self.env).stdout.strip()

    def worker_pid(self) -> int:
        return int(self.supervisorctl("pid", "worker"))

    def kill_worker(self) -> int:
        """SIGKILL the worker's whole process group (main process and pool children)."""
        pid = self.worker_pid()
        os.killpg(os.getpgid(pid), signal.SIGKILL)
        return pid

    def stop(self) -> None:
        if self.nginx and self.nginx.poll() is None:
            os.killpg(self.nginx.pid, signal.SIGQUIT)
            self.nginx.wait(timeout=20)
        if self.supervisord and self.supervisord.poll() is None:
            self.supervisord.terminate()
            try:
                self.supervisord.wait(timeout=90)
            except subprocess.TimeoutExpired:
                os.killpg(self.supervisord.pid, signal.SIGKILL)
        self.kill_redis()


def wait_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing answers on port {port}")


# --- the database, read directly (what is true) -----------------------------------------


def database(name: str | None = None):
    import psycopg

    url = urlparse(DATABASE_URL)
    return psycopg.connect(host=url.hostname, port=url.port or 5432, user=url.username,
                           password=url.password, dbname=name or url.path.lstrip("/"),
                           autocommit=True)


def recreate_database() -> None:
    name = urlparse(DATABASE_URL).path.lstrip("/")
    with database("postgres") as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


# --- HTTP ---------------------------------------------------------------------------------


@dataclass
class Tally:
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    # By what was going on when the answer came: steady, Redis down, worker down…
    by_phase: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    five_xx: list[tuple[float, str, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, status: int, at: float, phase: str = "") -> None:
        with self.lock:
            self.statuses[kind][status] += 1
            self.by_phase[phase][status] += 1
            if status >= 500 or status == 0:
                self.five_xx.append((at, kind, status))


def request(method: str, path: str, *, token: str | None = None, body=None,
            timeout: float = 30) -> tuple[int, bytes]:
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Accept": "application/json"} if token else {}
    if token:
        headers["Authorization"] = f"Token {token}"
    if data is not None:
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(BASE + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (OSError, TimeoutError):
        return 0, b""  # no answer at all (counted with the 5xx)


def token_for(username: str) -> str:
    status, body = request("POST", "/api/v1/auth/token/",
                           body={"username": username, "password": PASSWORD}, token="")
    if status != 200:
        raise SystemExit(f"cannot sign in as {username}: {status} {body[:200]!r}")
    return json.loads(body)["token"]


# --- the load ----------------------------------------------------------------------------


class Load:
    def __init__(self, stack: Stack):
        self.stack = stack
        self.tally = Tally()
        self.stop = threading.Event()
        self.started = time.monotonic()
        self.accepted: list[int] = []          # submission ids answered 201
        self.wrong_stock: list[tuple[float, str]] = []
        self.stock_checks = 0
        self.phase = "steady"

    def now(self) -> float:
        return time.monotonic() - self.started

    # Shoppers browse the demo Stores.
    def shopper(self, paths: list[str]) -> None:
        rng = random.Random()
        while not self.stop.is_set():
            path = rng.choice(paths)
            status, _ = request("GET", path)
            self.tally.add("shopper page", status, self.now(), self.phase)

    # Brands edit and submit their Stores.
    def submitter(self, token: str, store_ids: list[int], text: str) -> None:
        n = 0
        while not self.stop.is_set():
            store_id = store_ids[n % len(store_ids)]
            n += 1
            status, body = request("GET", f"/api/v1/stores/{store_id}/draft/", token=token)
            self.tally.add("draft read", status, self.now(), self.phase)
            if status != 200:
                time.sleep(0.5)
                continue
            draft = json.loads(body)
            set_text(draft, f"<p>{text} Edition {n}.</p>")
            status, body = request("PUT", f"/api/v1/stores/{store_id}/draft/", token=token,
                                   body=draft)
            self.tally.add("draft save", status, self.now(), self.phase)
            if status != 200:
                time.sleep(0.5)
                continue
            status, body = request("POST", f"/api/v1/stores/{store_id}/submissions/",
                                   token=token, body={})
            self.tally.add("submission", status, self.now(), self.phase)
            if status == 201:
                with self.tally.lock:
                    self.accepted.append(json.loads(body)["id"])
            time.sleep(0.2)

    # Stock flips between 0 and some; the Store page must never show a price at 0.
    def stock(self, token: str, asin: str, page: str) -> None:
        quantity = 0
        with database() as conn:
            while not self.stop.is_set():
                quantity = 0 if quantity else 7
                status, _ = request("POST", "/api/v1/inventory/", token=token,
                                    body=[{"asin": asin, "quantity": quantity}])
                self.tally.add("stock write", status, self.now(), self.phase)
                for _ in range(3):
                    truth = conn.execute("SELECT quantity FROM catalog_product WHERE asin = %s",
                                         (asin,)).fetchone()[0]
                    status, html = request("GET", page)
                    self.tally.add("stock page", status, self.now(), self.phase)
                    if status == 200 and truth == 0:
                        self.stock_checks += 1
                        if shows_price(html.decode(), asin):
                            self.wrong_stock.append((self.now(), self.phase))
                    time.sleep(0.3)

    def faults(self) -> list[str]:
        events = []
        plan = [(0.15, "kill the worker"), (0.35, "restart Redis"),
                (0.55, "kill the worker"), (0.75, "restart Redis")]
        for share, what in plan:
            while self.now() < SECONDS * share and not self.stop.is_set():
                time.sleep(0.2)
            if what == "kill the worker":
                self.phase = "worker killed (8 s)"
                pid = self.stack.kill_worker()
                events.append(f"{self.now():6.1f} s  worker {pid} killed (SIGKILL, whole "
                              "process group); supervisord restarts it")
            else:
                self.phase = "Redis down"
                self.stack.kill_redis()
                events.append(f"{self.now():6.1f} s  Redis killed (no persistence: queued "
                              "messages lost)")
                time.sleep(3)
                self.stack.start_redis()
                self.phase = "Redis back (8 s)"
                events.append(f"{self.now():6.1f} s  Redis started again, empty")
            time.sleep(8)
            self.phase = "steady"
        return events


def set_text(document: dict, html: str) -> None:
    for page in document["pages"]:
        for section in page["sections"]:
            for tile in section["tiles"]:
                if tile["type"] == "text":
                    tile["config"]["html"] = html
                    return
    raise SystemExit("the demo draft has no text tile")


def shows_price(html: str, asin: str) -> bool:
    """Whether the card of `asin` on the page carries a price."""
    for card in html.split('data-asin="')[1:]:
        if card.startswith(asin + '"'):
            if "data-price" in card.split("</li>")[0]:
                return True
    return False


def manual_card(html: str, products: list[str]) -> str | None:
    """An ASIN shown on the page by a tile that keeps out-of-stock products (manual)."""
    for asin in products:
        if f'data-asin="{asin}"' in html and shows_price(html, asin):
            return asin
    return None


# --- the run ------------------------------------------------------------------------------

# A brand has at most one Store per marketplace: the Stores brands submit are spread over
# SOAK_BRAND_COUNT copies of Acme Outdoor (same account, approved enrollment, its products
# copied under ASIN prefix B0S<n>), each with one Store in every euro marketplace.
SOAK_BRAND_COUNT = 4
SOAK_BRANDS = f"""
from catalog.models import (Brand, BrandRegistryEnrollment, Deal, Product, ProductImage,
                            SalesRecord)
from stores.models import Asset
acme = Brand.objects.get(slug="acme-outdoor")
for n in range(1, {SOAK_BRAND_COUNT} + 1):
    brand = Brand.objects.create(account=acme.account, name=f"Soak Outdoor {{n}}",
                                 slug=f"soak-outdoor-{{n}}")
    BrandRegistryEnrollment.objects.create(brand=brand, trademark_number=f"EU0990000{{n}}",
                                           status="approved")
    copies = {{}}
    for product in Product.objects.filter(brand=acme).order_by("pk"):
        original = product.pk
        product.pk, product.brand = None, brand
        product.asin = "B0S" + str(n) + product.asin[4:]
        product.save()
        copies[original] = product
    ProductImage.objects.bulk_create(
        ProductImage(product=copies[i.product_id], image=i.image.name, width=i.width,
                     height=i.height, position=i.position, alt=i.alt)
        for i in ProductImage.objects.filter(product__brand=acme))
    Deal.objects.bulk_create(
        Deal(product=copies[d.product_id], deal_price=d.deal_price, starts_at=d.starts_at,
             ends_at=d.ends_at) for d in Deal.objects.filter(product__brand=acme))
    SalesRecord.objects.bulk_create(
        SalesRecord(product=copies[r.product_id], day=r.day, units=r.units)
        for r in SalesRecord.objects.filter(product__brand=acme))
    Asset.objects.bulk_create(
        Asset(brand=brand, file=a.file.name, sha256=a.sha256, content_type=a.content_type,
              width=a.width, height=a.height, original_name=a.original_name)
        for a in Asset.objects.filter(brand=acme).order_by("pk"))
"""
IMAGE_KEYS = ("asset", "phone_asset", "poster", "logo", "banner")


def own_copy(document, asins: tuple[str, str], assets: dict[int, int]):
    """The demo document over a soak brand's copies of its products and images."""
    if isinstance(document, dict):
        return {key: assets.get(value, value) if key in IMAGE_KEYS and isinstance(value, int)
                else own_copy(value, asins, assets) for key, value in document.items()}
    if isinstance(document, list):
        return [own_copy(item, asins, assets) for item in document]
    if isinstance(document, str) and document.startswith(asins[0]):
        return asins[1] + document[len(asins[0]):]
    return document
EURO_MARKETPLACES = ["nl", "de", "fr", "es", "it", "ie"]


def main() -> int:
    if not shutil.which("nginx") or not shutil.which("redis-server"):
        raise SystemExit("needs nginx and redis-server (apt-get install nginx redis-server)")
    run = Path(tempfile.mkdtemp(prefix="storefront-soak-"))
    run.chmod(0o755)  # nginx's workers read media from here
    stack = Stack(run)
    log(f"scratch database {DATABASE_URL}; run folder {run}")
    recreate_database()
    stack.start_redis()
    try:  # a failed set-up leaves no redis-server behind
        log("migrate, collectstatic, seed the demo")
        stack.manage("migrate", "--no-input")
        stack.manage("collectstatic", "--no-input")
        stack.manage("seed_demo")
        stack.manage("shell", "-c", SOAK_BRANDS)
    finally:
        stack.kill_redis()
    try:
        return soak(stack)
    finally:
        log("stopping nginx, supervisord (web, worker, beat) and Redis")
        stack.stop()


def _print_statuses(title: str, width: int, counters: dict[str, Counter]) -> None:
    """One row per kind: its total and its answers by status."""
    print(f"{title:<{width}} {'total':>7}  by status")
    for kind, counter in sorted(counters.items()):
        by_status = ", ".join(f"{status or 'no answer'}: {count}"
                              for status, count in sorted(counter.items()))
        print(f"{kind:<{width}} {sum(counter.values()):>7}  {by_status}")


def soak(stack: Stack) -> int:
    stack.start()
    deadline = time.monotonic() + 60
    while request("GET", "/health/ready/")[0] != 200:
        if time.monotonic() > deadline:
            raise SystemExit("the stack never became ready")
        time.sleep(1)
    log(f"ready: nginx :{PORT} → gunicorn :{GUNICORN_PORT}, worker, beat, Redis :{REDIS_PORT}")

    seller, vendor = token_for("seller"), token_for("vendor")
    stores = json.loads(request("GET", "/api/v1/stores/", token=seller)[1])["results"]
    acme = next(s for s in stores if s["slug"] == "acme-outdoor")
    draft = json.loads(request("GET", f"/api/v1/stores/{acme['id']}/draft/", token=seller)[1])
    with database() as conn:
        brands = dict(conn.execute("SELECT slug, id FROM catalog_brand").fetchall())
        assets = {slug: [pk for (pk,) in conn.execute(
            "SELECT id FROM stores_asset WHERE brand_id = %s ORDER BY id", (brands[slug],))]
            for slug in brands}
    # Stores to submit: copies of the demo Store, each over its own brand's copies of
    # the demo products, so every check has real work (and passes the brand check).
    store_ids = []
    for n in range(SOAK_BRAND_COUNT * len(EURO_MARKETPLACES)):
        number = n // len(EURO_MARKETPLACES) + 1
        status, body = request("POST", "/api/v1/stores/", token=seller,
                               body={"brand": brands[f"soak-outdoor-{number}"],
                                     "name": f"Soak {n}",
                                     "marketplace": EURO_MARKETPLACES[n % 6]})
        if status != 201:
            raise SystemExit(f"cannot create a Store: {status} {body[:300]!r}")
        store = json.loads(body)
        copy = json.loads(request("GET", f"/api/v1/stores/{store['id']}/draft/",
                                  token=seller)[1])
        own = own_copy(draft, ("B0AC", f"B0S{number}"), dict(zip(
            assets["acme-outdoor"], assets[f"soak-outdoor-{number}"], strict=True)))
        document = {**own, "revision": copy["revision"], "name": f"Soak {n}"}
        status, body = request("PUT", f"/api/v1/stores/{store['id']}/draft/", token=seller,
                               body=document)
        if status != 200:
            raise SystemExit(f"cannot save a draft: {status} {body[:300]!r}")
        store_ids.append(store["id"])

    page = "/stores/acme-outdoor/"
    html = request("GET", page)[1].decode()
    products = json.loads(request("GET", "/api/v1/products/?in_stock=true&limit=200",
                                  token=seller)[1])["results"]
    asin = manual_card(html, [p["asin"] for p in products])
    if asin is None:
        raise SystemExit("the demo home page shows no in-stock product with a price")
    paths = ["/stores/acme-outdoor/", "/stores/nordic-home/", f"/dp/{asin}/"]
    log(f"load for {SECONDS:.0f} s: {SHOPPERS} shoppers, 2 brands submitting, stock of "
        f"{asin} flipping 0 ↔ 7 on {page}")

    load = Load(stack)
    threads = [threading.Thread(target=load.shopper, args=(paths,)) for _ in range(SHOPPERS)]
    threads += [threading.Thread(target=load.submitter, args=(seller, store_ids[:12], "Trail")),
                threading.Thread(target=load.submitter, args=(seller, store_ids[12:], "Camp")),
                threading.Thread(target=load.stock, args=(seller, asin, page))]
    for thread in threads:
        thread.start()
    events = load.faults()
    while load.now() < SECONDS:
        time.sleep(0.5)
    load.stop.set()
    for thread in threads:
        thread.join(timeout=60)
    del vendor

    log(f"load over; waiting up to {SETTLE_SECONDS} s for every accepted submission's checks")
    settled_after, unsettled = settle(load.accepted)
    with database() as conn:
        outbox_pending = conn.execute(
            "SELECT count(*) FROM outbox_outboxmessage WHERE done_at IS NULL").fetchone()[0]
        republished = conn.execute(
            "SELECT count(*) FROM outbox_outboxmessage WHERE publishes > 1").fetchone()[0]
        statuses = dict(conn.execute(
            "SELECT status, count(*) FROM moderation_submission WHERE id = ANY(%s) "
            "GROUP BY status", (load.accepted,)).fetchall())
        checked = conn.execute(
            "SELECT count(DISTINCT submission_id) FROM moderation_submissionevent WHERE "
            "submission_id = ANY(%s) AND to_status IN ('queued', 'rejected')",
            (load.accepted,)).fetchone()[0]
        committed = conn.execute(
            "SELECT count(*) FROM moderation_submission s JOIN stores_store t "
            "ON t.id = s.store_id WHERE t.name LIKE 'Soak %%'").fetchone()[0]
    restarts = stack.supervisorctl("status")

    print()
    print("Storefront soak: nginx → gunicorn (3 sync workers) → PostgreSQL; Celery worker "
          "and beat under supervisord; Redis (own, no persistence)")
    print(f"load {SECONDS:.0f} s, {SHOPPERS} shoppers, 2 brands submitting, 1 stock writer")
    print()
    print("faults:")
    for event in events:
        print(f"  {event}")
    print()
    _print_statuses("requests", 16, load.tally.statuses)
    print()
    _print_statuses("answers during", 20, load.tally.by_phase)
    five_xx = load.tally.five_xx
    print()
    print(f"5xx (or no answer): {len(five_xx)}")
    for kind, count in Counter((kind, status) for _, kind, status in five_xx).most_common():
        print(f"  {kind[0]} {kind[1] or 'no answer'}: {count}")
    if five_xx:
        print("  when: " + ", ".join(f"{at:.0f}s" for at, _, _ in five_xx[:40]))
    print()
    print(f"submissions accepted (201): {len(load.accepted)}; in the database for the soak "
          f"Stores: {committed}")
    print(f"  their status now: {statuses}")
    print(f"  checks finished for {checked}; the others were superseded by a newer "
          "submission of their Store first (which was checked)")
    print(f"  lost (checks never ran): {len(unsettled)}"
          + (f"  ids {unsettled[:20]}" if unsettled else ""))
    print(f"  every check done {settled_after:.0f} s after the load ended")
    print(f"outbox: {outbox_pending} not done; {republished} published more than once "
          "(lost with Redis, or refused while it was down)")
    print(f"wrong stock shown: {len(load.wrong_stock)} of {load.stock_checks} checked "
          "page views of an out-of-stock product"
          + (f" (at {', '.join(f'{at:.0f}s {phase}' for at, phase in load.wrong_stock[:10])})"
             if load.wrong_stock else ""))
    print("supervisord at the end:")
    for line in restarts.splitlines():
        print(f"  {line}")
    print()
    ok = not unsettled and not load.wrong_stock and not five_xx
    print("RESULT:", "no submission lost, no wrong stock shown, no 5xx" if ok else "FAILED")
    return 0 if ok else 1


def settle(ids: list[int]) -> tuple[float, list[int]]:
    """Wait until no accepted submission is still before its checks; the rest are lost."""
    started = time.monotonic()
    pending = list(ids)
    with database() as conn:
        while time.monotonic() - started < SETTLE_SECONDS:
            pending = [row[0] for row in conn.execute(
                "SELECT id FROM moderation_submission WHERE id = ANY(%s) AND status IN "
                "('submitted', 'checking')", (ids,)).fetchall()]
            if not pending:
                break
            time.sleep(1)
    return time.monotonic() - started, pending


if __name__ == "__main__":
    sys.exit(main())
