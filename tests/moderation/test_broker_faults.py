"""A Redis broker that goes away: workers keep consuming after losing it, and a restart
that drops the queued messages costs no automated check (the outbox publishes them again;
no submission waits for the stuck-checks sweep).

Each test runs its own redis-server (no persistence, so a restart loses every queued
message) on FAULT_REDIS_PORT or a free port, and real worker and beat processes started
with the production recipe's flags.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from moderation import services
from moderation.models import Submission, SubmissionStatus
from outbox.models import OutboxMessage
from tests import factories
from tests.conftest import ON_CI
from tests.moderation.conftest import store_document
from tests.moderation.test_worker import require_postgres, wait_for

ROOT = Path(__file__).resolve().parents[2]
# The flags of deploy/supervisord.conf.
WORKER_FLAGS = ["--pool=prefork", "--concurrency=2", "--without-gossip", "--without-mingle",
                "--without-heartbeat", "-l", "warning"]
WORKER = ["-m", "celery", "-A", "config", "worker", *WORKER_FLAGS]
# The same worker whose checks take CHECKS_DELAY seconds (tests/slow_worker.py).
SLOW_WORKER = [str(ROOT / "tests" / "slow_worker.py"), *WORKER_FLAGS]
BEAT = ["-m", "celery", "-A", "config", "beat", "-l", "warning"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OwnRedis:
    """A redis-server of this test's own, that the test may kill and start again."""

    def __init__(self, directory: Path):
        self.port = int(os.environ.get("FAULT_REDIS_PORT") or free_port())
        self.directory = directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(self._answers, timeout=10, what="redis-server to answer")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def restart(self, *, down_for: float = 2.0) -> None:
        self.kill()
        time.sleep(down_for)
        self.start()


@pytest.fixture
def own_redis(tmp_path):
    if shutil.which("redis-server") is None:
        message = "redis-server is not installed"
        if ON_CI:
            pytest.fail(message)
        pytest.skip(message)
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    server.kill()


@pytest.fixture
def publish_to(settings):
    """Point this process's Celery publisher at another broker for the test."""
    from config.celery import app

    previous = app.conf.broker_url

    def reset(url: str) -> None:
        app.conf.broker_url = url
        app._pool = None
        app.amqp._producer_pool = None

    def use(url: str) -> None:
        app.conf.task_always_eager = False
        reset(url)

    yield use
    reset(previous)
    app.conf.task_always_eager = True


@pytest.fixture
def processes(settings, tmp_path):
    """Start worker and beat processes against a broker; all killed at the end. Their
    output goes to a log file each (`process.log`), shown when a test fails on them."""
    started: list[subprocess.Popen] = []
    db = connection.settings_dict

    def start(args: list[str], broker_url: str, **env) -> subprocess.Popen:
        database_url = (f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:"
                        f"{db['PORT'] or 5432}/{db['NAME']}")
        log = tmp_path / f"process-{len(started)}.log"
        process = subprocess.Popen(
            [sys.executable, *args], cwd=ROOT, start_new_session=True,
            stdout=log.open("wb"), stderr=subprocess.STDOUT,
            env={**os.environ, "DATABASE_URL": database_url, "REDIS_URL": broker_url,
                 "MEDIA_ROOT": str(settings.MEDIA_ROOT), "DB_CONN_MAX_AGE": "0",
                 "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend", **env})
        process.log = log
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


# A brand has one Store per marketplace: more Stores than marketplaces need more brands.
STORES_PER_BRAND = 8
_brands: dict[tuple[int, int], tuple] = {}


def _brand_and_products(seller, products, group: int) -> tuple:
    if group == 0:
        return seller.brand, products
    key = (seller.brand.pk, group)
    cached = _brands.get(key)
    if cached is None or not type(seller.brand).objects.filter(pk=cached[0].pk).exists():
        brand = factories.BrandFactory(account=seller.account, name=f"Fault brand {group}",
                                       slug=f"fault-brand-{group}")
        factories.EnrollmentFactory(brand=brand, status="approved")
        _brands[key] = (brand, [factories.ProductFactory(brand=brand)
                                for _ in products])
    return _brands[key]


def submit(seller, products, n: int) -> Submission:
    brand, own = _brand_and_products(seller, products, n // STORES_PER_BRAND)
    store = factories.StoreFactory(
        brand=brand, slug=f"fault-{n}", revision=1,
        draft=store_document([p.asin for p in own], text=f"<p>Trail gear {n}.</p>"))
    return services.submission_create(store=store, user=seller.user)


def all_checked(submissions) -> bool:
    statuses = Submission.objects.filter(pk__in=[s.pk for s in submissions]).values_list(
        "status", flat=True)
    return all(status == SubmissionStatus.QUEUED for status in statuses)


def alive(worker) -> None:
    """Fails at once, with the worker's output, when the worker process has exited."""
    if worker.poll() is not None:
        raise AssertionError(f"the worker exited ({worker.returncode}): "
                             f"{worker.log.read_text(errors='replace')[-4000:]}")


def consuming(redis: OwnRedis) -> bool:
    """Whether a client of this broker is waiting on the task queue (BRPOP): the
    worker's consumer is connected and listening."""
    import redis as redis_py

    try:
        clients = redis_py.Redis.from_url(redis.url, socket_timeout=2).client_list()
    except redis_py.exceptions.RedisError:
        return False
    return any(client.get("cmd") == "brpop" for client in clients)


def outbox_done() -> bool:
    return not OutboxMessage.objects.filter(done_at__isnull=True).exists()


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_that_loses_the_broker_twice_still_consumes(
    own_redis, publish_to, processes, seller, products, tmp_path
):
    """Twice, the broker goes away while a check is running (delivered, not yet
    acknowledged: tasks are acknowledged after they run). That is what made workers exit
    under load (kombu failing with AttributeError on the closed connection, see
    config/celery.py). Every wait is for an observed event, not a sleep: a loaded machine
    only makes it slower."""
    require_postgres()
    publish_to(own_redis.url)
    # Checks take a second, so the broker can be pulled from under a running one.
    worker = processes(SLOW_WORKER, own_redis.url, CHECKS_DELAY="1")
    processes([*BEAT, "--schedule", str(tmp_path / "beat")], own_redis.url,
              OUTBOX_RELAY_SECONDS="1", OUTBOX_REDELIVER_SECONDS="5")
    first = submit(seller, products, 1)
    wait_for(lambda: alive(worker) or all_checked([first]), timeout=120,
             what="the first check")

    for loss in (1, 2):
        running = submit(seller, products, 2 * loss)
        wait_for(lambda running=running: alive(worker) or Submission.objects.filter(
            pk=running.pk, status=SubmissionStatus.CHECKING).exists(), timeout=120,
            what=f"a check to start before broker loss {loss}")
        own_redis.restart()
        wait_for(lambda: alive(worker) or consuming(own_redis), timeout=120,
                 what=f"the worker to listen to the broker again after loss {loss}")
        later = submit(seller, products, 2 * loss + 1)
        wait_for(lambda checks=[running, later]: alive(worker) or all_checked(checks),
                 timeout=120, what=f"the checks around broker loss {loss}")

    # A task's outbox row is marked done just after its check commits: wait for it.
    wait_for(lambda: alive(worker) or outbox_done(), timeout=60,
             what="every outbox message to be done")
    alive(worker)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_broker_restart_with_submissions_in_flight_runs_every_check_without_a_sweep(
    own_redis, publish_to, processes, seller, products, tmp_path
):
    require_postgres()
    publish_to(own_redis.url)
    fast = {"OUTBOX_RELAY_SECONDS": "1", "OUTBOX_REDELIVER_SECONDS": "5"}
    processes(SLOW_WORKER, own_redis.url, CHECKS_DELAY="0.5", **fast)
    processes([*BEAT, "--schedule", str(tmp_path / "beat")], own_redis.url, **fast)
    # Published while the worker is busy: most still wait in Redis when it restarts.
    in_flight = [submit(seller, products, n) for n in range(12)]
    own_redis.kill()
    # Accepted while the broker is down: committed, with their checks waiting as rows.
    during = [submit(seller, products, n) for n in range(12, 16)]
    time.sleep(2)
    own_redis.start()

    everything = in_flight + during
    wait_for(lambda: all_checked(everything), timeout=120,
             what="every check to run after the broker restart")
    # Each ran through the outbox, none through the stuck-checks sweep.
    assert not Submission.objects.filter(
        pk__in=[s.pk for s in everything], events__note__contains="stuck").exists()
    assert OutboxMessage.objects.filter(done_at__isnull=True).count() == 0
    assert OutboxMessage.objects.filter(publishes__gte=2).count() >= len(during)
