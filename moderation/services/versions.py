"""Versions: rollback to an earlier approved version, schedule windows."""
from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from catalog.moments import moment_label
from catalog.selectors import store_eligibility
from catalog.stored_texts import StoredText
from config.api import DomainError, Forbidden
from stores.models import Store, StoreVersion

from ..errors import ScheduleOverlap, ScheduleRefused
from ..models import Submission
from ..permissions import is_moderator
from ._common import (
    SCHEDULE_GRACE,
    _event,
    _now,
)


def _may_manage_versions(user, store: Store) -> bool:
    return is_moderator(user) or bool(store_eligibility(user=user, brand=store.brand))


def version_rollback(*, store: Store, version: StoreVersion, user) -> Store:
    """Make an earlier approved version the live one again, without a new review.

    Raises Forbidden (not the brand's user nor a moderator), DomainError "not_approved",
    "wrong_store" or "already_live"; nothing is written then.
    """
    if not _may_manage_versions(user, store):
        raise Forbidden("You may not change this Store's versions.")
    version = StoreVersion.objects.get(pk=version.pk)
    if version.store_id != store.pk:
        raise DomainError("This version belongs to another Store.", code="wrong_store")
    if version.approved_at is None:
        raise DomainError("Only approved versions can go live.", code="not_approved")
    with transaction.atomic():
        store = Store.objects.select_for_update().get(pk=store.pk)
        if store.published_version_id == version.pk:
            raise DomainError(f"Version {version.number} is the live version already.",
                              code="already_live")
        store.published_version = version
        store.save(update_fields=["published_version"])
        _version_event(version, user=user, now=timezone.now(),
                       note=StoredText(gettext_noop(
                           "Rolled back: version %(number)s is live again."),
                           number=version.number))
    return store


def window_label(starts_at: datetime, ends_at: datetime | None) -> StoredText:
    """'from 1 Dec 2026, 10:00 CET to 8 Dec 2026, 10:00 CET' (or '…, with no end'), in
    whoever reads it's time zone."""
    if ends_at is None:
        return StoredText(gettext_noop("from %(start)s, with no end"), start=starts_at)
    return StoredText(gettext_noop("from %(start)s to %(end)s"), start=starts_at, end=ends_at)


def _schedule(*, version: StoreVersion, starts_at: datetime, ends_at: datetime | None,
              store: Store, now: datetime) -> None:
    """Set a window on `version` (the Store row is locked by the caller)."""
    if timezone.is_naive(starts_at) or (ends_at is not None and timezone.is_naive(ends_at)):
        raise ScheduleRefused("Give times with a time zone.", details={"field": "starts_at"})
    if starts_at < now - SCHEDULE_GRACE:
        raise ScheduleRefused(
            gettext("The start (%(start)s) is in the past; give a time from now on.")
            % {"start": moment_label(starts_at)}, details={"field": "starts_at"})
    if ends_at is not None and ends_at <= starts_at:
        raise ScheduleRefused("The window must end after it starts.",
                              details={"field": "ends_at"})
    far_future = datetime.max.replace(tzinfo=starts_at.tzinfo) - timedelta(days=1)
    end = ends_at or far_future
    for other in (
        StoreVersion.objects.filter(store=store, schedule_starts_at__isnull=False)
        .exclude(pk=version.pk)
    ):
        other_end = other.schedule_ends_at or far_future
        if other.schedule_starts_at < end and starts_at < other_end:
            raise ScheduleOverlap(
                gettext("This window overlaps version %(number)s's window (%(window)s).")
                % {"number": other.number, "window": window_label(other.schedule_starts_at,
                                                                  other.schedule_ends_at)},
                details={"field": "starts_at", "version": other.pk, "number": other.number},
            )
    version.schedule_starts_at = starts_at
    version.schedule_ends_at = ends_at
    version.save(update_fields=["schedule_starts_at", "schedule_ends_at"])


def _version_event(version: StoreVersion, *, user, note: StoredText, now: datetime) -> None:
    """Audit a version change on the submission that brought the version in, if any."""
    submission = Submission.objects.filter(version=version).first()
    if submission is not None:
        _event(submission, actor=user, now=now, note=note)


def version_schedule(*, version: StoreVersion, starts_at: datetime,
                     ends_at: datetime | None = None, user=None,
                     now: datetime | None = None) -> StoreVersion:
    """Give an approved version a window during which shoppers see it instead of the
    evergreen live version (replacing any window it had). Raises DomainError
    "not_approved", ScheduleRefused (bad window, or a start in the past), ScheduleOverlap
    (409: another version of the Store has an overlapping window); nothing is written then.
    """
    if user is not None and not _may_manage_versions(user, version.store):
        raise Forbidden("You may not change this Store's versions.")
    now = _now(now)
    with transaction.atomic():
        store = Store.objects.select_for_update().get(pk=version.store_id)
        version = StoreVersion.objects.select_for_update().get(pk=version.pk)
        if version.approved_at is None:
            raise DomainError("Only approved versions can be scheduled.", code="not_approved")
        _schedule(version=version, starts_at=starts_at, ends_at=ends_at, store=store, now=now)
        _version_event(version, user=user, now=now,
                       note=StoredText(gettext_noop("Version %(number)s scheduled: live "
                                                    "%(window)s."), number=version.number,
                                       window=window_label(starts_at, ends_at)))
    return version


def version_unschedule(*, version: StoreVersion, user=None) -> StoreVersion:
    """Remove a version's window (shoppers see the evergreen version then)."""
    if user is not None and not _may_manage_versions(user, version.store):
        raise Forbidden("You may not change this Store's versions.")
    with transaction.atomic():
        version = StoreVersion.objects.select_for_update().get(pk=version.pk)
        had_window = version.schedule_starts_at is not None
        version.schedule_starts_at = None
        version.schedule_ends_at = None
        # save(), not update(): Store routes are refreshed by the model signals.
        version.save(update_fields=["schedule_starts_at", "schedule_ends_at"])
        if had_window:
            _version_event(version, user=user, now=timezone.now(),
                           note=StoredText(gettext_noop(
                               "The schedule of version %(number)s is cancelled."),
                               number=version.number))
    return version


