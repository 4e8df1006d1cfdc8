"""Small helpers of the review page's templates."""
from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from moderation.diff import plain_text

register = template.Library()


@register.filter
def lookup(mapping: dict, key):
    """mapping[key] or None (template variables cannot index a dict by a variable)."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def shown(value) -> str:
    """A setting's value as a person reads it."""
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if value is None or value == "":
        return _("(none)")
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items() if v not in (None, ""))
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


@register.filter
def read_as_text(value) -> str:
    """An HTML text as a shopper reads it: a heading and the paragraph after it stay two
    words apart ("trail Warm", not "trailWarm" as `striptags` gives)."""
    return plain_text(value)
