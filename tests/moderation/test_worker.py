"""Real services: a Celery worker on Redis runs the checks; a worker killed mid-check does
not lose the submission; concurrent claims on PostgreSQL have exactly one winner."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone

from config.api import Conflict
from moderation import services
from moderation.models import Submission, SubmissionStatus
from tests import factories
from tests.conftest import ON_CI

ROOT = Path(__file__).resolve().parents[2]


def require_postgres() -> None:
    if connection.vendor == "postgresql":
        return
    message = "PostgreSQL is not configured (DATABASE_URL)"
    if ON_CI:
        pytest.fail(message)
    pytest.skip(message)


def wait_for(predicate, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def status_of(submission) -> str:
    return Submission.objects.values_list("status", flat=True).get(pk=submission.pk)


@pytest.mark.celery_worker
def test_a_real_worker_runs_the_checks_and_the_submission_reaches_the_queue(
    celery_worker, store, seller
):
    submission = services.submission_create(store=store, user=seller.user)

    wait_for(lambda: status_of(submission) == SubmissionStatus.QUEUED, timeout=20,
             what="the checks to finish")
    submission.refresh_from_db()
    assert submission.checks_attempts == 1
    assert list(submission.events.values_list("to_status", flat=True)) == [
        "submitted", "checking", "queued"]


WORKER_OPTIONS = ["--pool=solo", "--without-heartbeat", "--without-mingle", "--without-gossip",
                  "-l", "warning"]


def start_worker(env: dict, *, checks_delay: float = 0) -> subprocess.Popen:
    """A worker process; `checks_delay`: its checks take that long (tests/slow_worker.py)."""
    command = ([sys.executable, str(ROOT / "tests" / "slow_worker.py"), *WORKER_OPTIONS]
               if checks_delay else
               [sys.executable, "-m", "celery", "-A", "config", "worker", *WORKER_OPTIONS])
    return subprocess.Popen(
        command,
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_killing_the_worker_in_the_middle_of_a_check_does_not_lose_the_submission(
    redis_url, settings, store, seller
):
    require_postgres()
    import redis

    from config.celery import app

    db = connection.settings_dict
    database_url = (f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:"
                    f"{db['PORT'] or 5432}/{db['NAME']}")
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url,
           "MEDIA_ROOT": str(settings.MEDIA_ROOT),
           "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    broker = redis.Redis.from_url(redis_url)
    broker.delete("celery", "unacked", "unacked_index")
    app.conf.task_always_eager = False
    slow = start_worker({**env, "CHECKS_DELAY": "60"}, checks_delay=60)
    fresh = None
    try:
        submission = services.submission_create(store=store, user=seller.user)
        wait_for(lambda: status_of(submission) == SubmissionStatus.CHECKING, timeout=30,
                 what="the first worker to start the check")

        os.killpg(slow.pid, signal.SIGKILL)  # the machine dies mid-check
        slow.wait(timeout=10)
        assert status_of(submission) == SubmissionStatus.CHECKING

        fresh = start_worker(env)
        # Beat's sweep, some minutes later, finds the check stuck and enqueues it again.
        later = timezone.now() + timedelta(minutes=settings.MODERATION_CHECKS_STUCK_MINUTES + 1)
        assert services.submission_stuck_checks_requeue(now=later) == [submission.pk]

        wait_for(lambda: status_of(submission) == SubmissionStatus.QUEUED, timeout=30,
                 what="the second worker to finish the check")
        submission.refresh_from_db()
        assert submission.checks_attempts == 2
        assert submission.findings.count() == 0
    finally:
        stop(slow)
        if fresh is not None:
            stop(fresh)
        app.conf.task_always_eager = True
        # The killed delivery stays unacknowledged in Redis; drop it with the test's data.
        broker.delete("celery", "unacked", "unacked_index")


def make_moderators(count: int) -> list:
    group = Group.objects.get(name="Moderators")
    users = []
    for n in range(count):
        user = factories.UserFactory(username=f"racer{n}", is_staff=True)
        user.groups.add(group)
        users.append(user)
    return users


def run_at_once(users, action) -> list:
    barrier = threading.Barrier(len(users))
    results: list = []
    lock = threading.Lock()

    def run(user):
        try:
            barrier.wait(timeout=10)
            outcome = action(user)
        except Conflict as conflict:
            outcome = conflict
        finally:
            connection.close()  # each thread has its own connection
        with lock:
            results.append((user, outcome))

    threads = [threading.Thread(target=run, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.django_db(transaction=True)
def test_of_several_moderators_claiming_at_once_exactly_one_wins(make_submission):
    require_postgres()
    submission = make_submission(SubmissionStatus.QUEUED)
    racers = make_moderators(5)

    results = run_at_once(racers, lambda user: services.submission_claim(
        submission=Submission(pk=submission.pk), moderator=user))

    winners = [user for user, outcome in results if isinstance(outcome, Submission)]
    losers = [outcome for _, outcome in results if isinstance(outcome, Conflict)]
    assert len(winners) == 1
    assert len(losers) == 4
    assert {loser.code for loser in losers} == {"claimed"}
    submission.refresh_from_db()
    assert submission.claimed_by == winners[0]
    assert submission.events.filter(to_status="in_review").count() == 1


@pytest.mark.django_db(transaction=True)
def test_moderators_claiming_next_at_once_each_get_a_different_submission(
    make_submission, seller
):
    require_postgres()
    now = timezone.now()
    submissions = [
        make_submission(SubmissionStatus.QUEUED, submitted_at=now - timedelta(hours=n),
                        target=factories.StoreFactory(brand=seller.brand))
        for n in range(5)
    ]
    racers = make_moderators(5)

    results = run_at_once(racers, lambda user: services.submission_claim_next(moderator=user))

    claimed = [outcome.pk for _, outcome in results if isinstance(outcome, Submission)]
    assert sorted(claimed) == sorted(s.pk for s in submissions)
    assert Submission.objects.filter(status="in_review").count() == 5
