"""The lifecycle table: every move it allows works, every other move raises."""
from __future__ import annotations

import pytest

from config.api import http_status_for
from moderation.models import TRANSITIONS, SubmissionEvent, SubmissionStatus
from moderation.services import IllegalTransition, submission_transition

pytestmark = pytest.mark.django_db

ALL = list(SubmissionStatus.values)
ALLOWED = [(a, b) for a in ALL for b in ALL if b in TRANSITIONS[a]]
ILLEGAL = [(a, b) for a in ALL for b in ALL if b not in TRANSITIONS[a]]


def test_the_table_names_every_status_and_only_known_statuses():
    assert set(TRANSITIONS) == set(ALL)
    assert all(targets <= set(ALL) for targets in TRANSITIONS.values())


def test_the_lifecycle_reads_as_the_product_describes_it():
    assert TRANSITIONS["submitted"] == {"checking", "superseded"}
    assert TRANSITIONS["checking"] == {"queued", "rejected", "superseded"}
    assert TRANSITIONS["queued"] == {"in_review", "superseded"}
    assert TRANSITIONS["in_review"] == {"approved", "rejected", "queued", "superseded"}
    assert TRANSITIONS["approved"] == {"published", "scheduled"}
    for final in ("published", "scheduled", "rejected", "superseded"):
        assert TRANSITIONS[final] == frozenset()


@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_an_allowed_move_changes_the_status_and_writes_one_audit_row(
    make_submission, moderator, source, target
):
    submission = make_submission(source)

    submission_transition(submission=submission, to=target, actor=moderator.user, note="why")

    submission.refresh_from_db()
    assert submission.status == target
    event = SubmissionEvent.objects.get(submission=submission)
    assert (event.from_status, event.to_status, event.actor, event.note) == (
        source, target, moderator.user, "why")


@pytest.mark.parametrize(("source", "target"), ILLEGAL)
def test_an_illegal_move_raises_and_changes_nothing(make_submission, source, target):
    submission = make_submission(source)

    with pytest.raises(IllegalTransition) as refused:
        submission_transition(submission=submission, to=target)

    assert http_status_for(refused.value) == 409
    submission.refresh_from_db()
    assert submission.status == source
    assert not SubmissionEvent.objects.filter(submission=submission).exists()
