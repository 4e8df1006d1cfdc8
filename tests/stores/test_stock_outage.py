"""A Redis outage during a stock write: the write answers what happened, the page keeps
serving, and the product is never shown buyable after its stock ran out."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time

import pytest
from rest_framework.test import APIClient

from catalog import stock
from catalog.models import Brand
from stores import rendering
from tests.documents import card_html, home_document, published_document, section, tile

PORT = 8140  # a Redis of this test's own: the shared one is never stopped


class OwnRedis:
    def __init__(self, directory):
        self.directory = directory
        self.process: subprocess.Popen | None = None
        self.url = f"redis://127.0.0.1:{PORT}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(PORT), "--bind", "127.0.0.1", "--dir",
             str(self.directory), "--dbfilename", "dump.rdb", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", PORT), timeout=0.1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        """Stops with a snapshot: it comes back holding the values it had (the hard case:
        a version mirrored before the outage survives it)."""
        with socket.create_connection(("127.0.0.1", PORT), timeout=1) as sock:
            sock.sendall(b"SHUTDOWN SAVE\r\n")
            sock.recv(16)
        self.process.wait(timeout=10)

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def get(self, key: str) -> bytes | None:
        import redis

        return redis.Redis.from_url(self.url).get(key)


@pytest.fixture
def own_redis(tmp_path, settings):
    if shutil.which("redis-server") is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is needed for the outage test")
        pytest.skip("redis-server is not installed")
    server = OwnRedis(tmp_path)
    server.start()
    settings.REDIS_URL = server.url
    settings.CACHES = {"default": {"BACKEND": "config.cache.OutageTolerantRedisCache",
                                   "LOCATION": server.url, "KEY_PREFIX": "sf"}}
    stock.forget_process_state()
    try:
        yield server
    finally:
        server.close()
        stock.forget_process_state()


def page(client) -> str:
    response = client.get("/stores/acme-outdoor/", HTTP_USER_AGENT="Googlebot/2.1")
    assert response.status_code == 200
    return response.content.decode()


def test_a_redis_outage_during_a_stock_write_never_shows_the_product_buyable(
        client, own_redis, make_store, seller, products, monkeypatch,
        django_capture_on_commit_callbacks):
    # A long expiry: what is tested here must not depend on the mirrored value expiring.
    monkeypatch.setattr(stock, "VERSION_TTL", 60.0)
    make_store(published_document(seller.brand, home_document(
        section("s1", tile("grid", "product_grid", mode="manual",
                           asins=[p.asin for p in products[:3]])))))
    assert 'data-price="19.90"' in card_html(page(client), products[0].asin)
    key = f"sf:bv:{seller.brand.pk}"
    mirrored = own_redis.get(key)
    assert mirrored is not None

    own_redis.stop()
    api = APIClient()
    api.force_authenticate(seller.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/inventory/", [{"asin": products[0].asin, "quantity": 0}],
                            format="json")
    assert response.status_code == 200 and response.json() == {"updated": 1}  # what happened

    during = page(client)  # served from the database and process memory
    assert "data-price" not in card_html(during, products[0].asin)
    rendering.clear_compiled_pages()  # a process that starts during the outage serves too
    assert "data-price" not in card_html(page(client), products[0].asin)

    own_redis.start()
    assert own_redis.get(key) == mirrored  # back with the version from before the write
    time.sleep(stock.PROBE_EVERY)  # this process tries the mirror again this often
    after = page(client)
    card = card_html(after, products[0].asin)
    assert "data-price" not in card and "data-prime" not in card
    assert 'data-price="19.90"' in card_html(after, products[1].asin)
    brand = Brand.objects.get(pk=seller.brand.pk)
    assert own_redis.get(key) == f"{brand.stock_version}:{brand.catalog_version}".encode()
    assert stock.freshness_counters()["mirror_failures"] >= 1



def test_a_product_page_with_pictures_serves_while_redis_is_down(client, own_redis, seller):
    from django.core.files.base import ContentFile

    from catalog.images import renditions_forget
    from catalog.models import ProductImage
    from tests import factories
    from tests.catalog.test_product_page import jpeg

    product = factories.ProductFactory(brand=seller.brand, asin="B0OUTAGE01", quantity=3)
    image = ProductImage(product=product, position=0, width=800, height=800, alt="The tent")
    image.image.save("outage.jpg", ContentFile(jpeg()), save=True)
    assert "<picture>" in client.get("/dp/B0OUTAGE01/").content.decode()  # manifest cached

    own_redis.stop()
    renditions_forget()  # a process that starts during the outage: nothing in its memory
    response = client.get("/dp/B0OUTAGE01/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<picture>" in html and 'alt="The tent"' in html
