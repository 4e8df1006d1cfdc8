"""Moments (date and time) as people read them: in the reader's time zone, zone named.

The one format for every time shown in the builder, the admin and e-mails; the active
time zone is the reader's (catalog.preferences activates it per request and per e-mail).
Form fields that take a time read it in the same zone (`moment_parse`).
"""
from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, format_skeleton, format_time, get_datetime_format
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .money import current_locale

# What a datetime-local input holds.
INPUT_FORMAT = "%Y-%m-%dT%H:%M"


def moment_label(moment: datetime | None) -> str:
    """`moment` in the active (the reader's) time zone, with the zone's name; "" for None."""
    # By the reader's language's CLDR patterns (Babel), as the builder's script writes them:
    # "30 nov 2026, 14:05 CET" in Dutch, "Nov 30, 2026, 2:05 PM CET" in English.
    if moment is None:
        return ""
    locale = current_locale()
    if not isinstance(moment, datetime):
        return format_date(moment, "medium", locale=locale) if isinstance(moment, date) \
            else str(moment)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    pattern = str(get_datetime_format("medium", locale=locale)).replace("'", "")
    written = pattern.replace("{1}", format_date(moment, "medium", locale=locale)).replace(
        "{0}", format_time(moment, "short", locale=locale))
    zone = moment.tzname()
    return f"{written} {zone}" if zone else written


def day_label(day: date | None) -> str:
    """A day in a chart or table, weekday named: "Mon, Nov 30" ("ma 30 nov" in Dutch)."""
    return format_skeleton("MMMEd", day, locale=current_locale()) if day else ""


def time_zone_name() -> str:
    """The reader's time zone as an IANA name ("Europe/Amsterdam"), for form labels."""
    return timezone.get_current_timezone_name()


def moment_input(moment: datetime) -> str:
    """`moment` as a datetime-local value in the reader's time zone."""
    return timezone.localtime(moment).strftime(INPUT_FORMAT)


def moment_parse(value: str | None) -> datetime | None:
    """A datetime-local value typed by the reader, read in their time zone (an explicit
    offset wins); None when empty. Raises ValueError when it is not a date and time."""
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        raise ValueError(value)
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.get_current_timezone())
    return parsed
