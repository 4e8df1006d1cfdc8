"""`{{ at|moment }}`: a date and time in the reader's time zone with the zone named
(catalog.moments); `{{ d|day }}`: a day with its weekday; the zone's name for a label:
`{% time_zone_name %}`."""
from __future__ import annotations

from django import template

from catalog import moments

register = template.Library()


@register.filter
def moment(value) -> str:
    return moments.moment_label(value)


@register.filter
def day(value) -> str:
    return moments.day_label(value)


@register.simple_tag
def time_zone_name() -> str:
    return moments.time_zone_name()
