"""Twenty submissions of one Store at once, with the automated checks running as each
commits: every request is answered (no deadlock, no 500) and one submission stays open."""
from __future__ import annotations

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from moderation.models import OPEN_STATUSES, Submission
from stores.models import StoreVersion

pytestmark = pytest.mark.django_db(transaction=True)


def test_twenty_concurrent_submissions_of_one_store_all_get_an_answer(seller, store):
    start = threading.Barrier(20)
    answers: list[int] = []
    lock = threading.Lock()

    def submit():
        client = APIClient()
        client.force_authenticate(seller.user)
        try:
            start.wait()
            response = client.post(f"/api/v1/stores/{store.pk}/submissions/", format="json")
            with lock:
                answers.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert len(answers) == 20
    assert set(answers) <= {201, 400}, answers
    created = answers.count(201)
    assert created >= 1
    assert StoreVersion.objects.filter(store=store).count() == created
    assert Submission.objects.filter(store=store, status__in=OPEN_STATUSES).count() <= 1
