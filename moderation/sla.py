"""The SLA, in one place: its duration, the at-risk threshold, a deadline, the state of a
submission, and the words people read about it.

"At risk" is counted in *on-shift hours*: the hours before the deadline during which at
least one moderator team is working (moderation.models.Shift). Twelve wall-clock hours
left at 03:00 on a Saturday may be no working hour at all, so the alert fires while the
last shift that can still act is running. With no shifts configured every hour counts.
"""
from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from catalog.stored_texts import StoredText

from .models import OPEN_STATUSES, Shift, Submission

ON_TRACK, AT_RISK, BREACHED, DECIDED = "on_track", "at_risk", "breached", "decided"
STATE_LABELS = {ON_TRACK: gettext_lazy("On track"), AT_RISK: gettext_lazy("At risk"),
                BREACHED: gettext_lazy("Breached"), DECIDED: gettext_lazy("Decided")}


def sla_duration() -> timedelta:
    return timedelta(hours=settings.MODERATION_SLA_HOURS)


def at_risk_threshold() -> timedelta:
    """On-shift time left under which an open submission is at risk."""
    return timedelta(hours=settings.MODERATION_AT_RISK_HOURS)


def deadline_for(*, wait_started_at: datetime) -> datetime:
    return wait_started_at + sla_duration()


def hours_label(span: timedelta) -> str:
    """'72 hours', '1 hour' (whole hours; the settings are whole hours)."""
    hours = int(span.total_seconds() // 3600)
    return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}


def hours_text(span: timedelta) -> StoredText:
    """hours_label, kept for a reader who comes later (the forms are marked there)."""
    hours = int(span.total_seconds() // 3600)
    return StoredText.plural("%(n)d hour", "%(n)d hours", hours, n=hours)


def duration_text(span: timedelta) -> StoredText:
    """duration_label, kept for a reader who comes later."""
    minutes = int(abs(span.total_seconds()) // 60)
    return StoredText(gettext_noop("%(h)d h %(m)02d min"), h=minutes // 60, m=minutes % 60)


def at_risk_note(*, on_shift_left: timedelta) -> StoredText:
    return StoredText(gettext_noop(
        "At risk: %(left)s of moderator shifts left before the deadline (threshold "
        "%(threshold)s). Escalated."),
        left=duration_text(on_shift_left), threshold=hours_text(at_risk_threshold()))


def breach_note() -> StoredText:
    return StoredText(gettext_noop(
        "SLA breached: no decision within %(sla)s of the brand's first submission."),
        sla=hours_text(sla_duration()))


def duration_label(span: timedelta) -> str:
    """'41 h 12 min' (absolute value)."""
    minutes = int(abs(span.total_seconds()) // 60)
    return _("%(h)d h %(m)02d min") % {"h": minutes // 60, "m": minutes % 60}


def time_left_label(submission: Submission, now: datetime | None = None) -> str:
    """'41 h 12 min left', '3 h 05 min overdue', or '' once decided."""
    if submission.status not in OPEN_STATUSES:
        return ""
    left = submission.sla_deadline - (now or timezone.now())
    if left > timedelta(0):
        return _("%(span)s left") % {"span": duration_label(left)}
    return _("%(span)s overdue") % {"span": duration_label(left)}


# --- shifts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime
    moderators: int  # moderators working in this window


@dataclass
class ShiftCalendar:
    """The weekly shifts of every team, expanded on demand into UTC windows."""

    # (team time zone, weekday, start, end, moderators)
    rules: list[tuple[zoneinfo.ZoneInfo, int, object, object, int]] = field(
        default_factory=list)

    @classmethod
    def load(cls) -> ShiftCalendar:
        """One query: every shift with its team and the team's member count."""
        from django.db.models import Count

        rows = Shift.objects.select_related("team").annotate(members=Count("team__members"))
        return cls([(zoneinfo.ZoneInfo(s.team.time_zone), s.weekday, s.starts, s.ends,
                     s.moderators or s.members) for s in rows])

    @property
    def always_on(self) -> bool:
        """No shifts configured: every hour counts as on shift (one moderator)."""
        return not self.rules

    def windows(self, start: datetime, end: datetime) -> list[Window]:
        """Shift windows overlapping [start, end), clipped to it, sorted by start."""
        if end <= start:
            return []
        if self.always_on:
            return [Window(start, end, 1)]
        found = []
        for tz, weekday, starts, ends, moderators in self.rules:
            if moderators <= 0:
                continue
            day = start.astimezone(tz).date() - timedelta(days=1)
            last = end.astimezone(tz).date()
            while day <= last:
                if day.weekday() == weekday:
                    begin = datetime.combine(day, starts, tzinfo=tz)
                    finish = datetime.combine(day, ends, tzinfo=tz)
                    if finish <= begin:  # runs past midnight
                        finish += timedelta(days=1)
                    begin, finish = max(begin, start), min(finish, end)
                    if begin < finish:
                        found.append(Window(begin, finish, moderators))
                day += timedelta(days=1)
        return sorted(found, key=lambda w: w.start)

    def on_shift(self, start: datetime, end: datetime) -> timedelta:
        """Time in [start, end) during which at least one team is working."""
        total, cursor = timedelta(0), start
        for window in self.windows(start, end):
            begin = max(window.start, cursor)
            if window.end > begin:
                total += window.end - begin
                cursor = window.end
        return total

    def is_on_shift(self, moment: datetime) -> bool:
        return bool(self.windows(moment, moment + timedelta(seconds=1)))


def on_shift_left(*, submission: Submission, now: datetime,
                  calendar: ShiftCalendar) -> timedelta:
    return calendar.on_shift(now, submission.sla_deadline)


def sla_state(*, submission: Submission, now: datetime | None = None,
              calendar: ShiftCalendar | None = None) -> str:
    """ON_TRACK, AT_RISK (under the threshold of on-shift time left), BREACHED; DECIDED once
    decided. Without a calendar the wall clock is used (every hour counts)."""
    now = now or timezone.now()
    if submission.status not in OPEN_STATUSES:
        return DECIDED
    if submission.sla_deadline <= now:
        return BREACHED
    calendar = calendar or ShiftCalendar()
    if calendar.on_shift(now, submission.sla_deadline) < at_risk_threshold():
        return AT_RISK
    return ON_TRACK
