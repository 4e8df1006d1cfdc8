"""JSON parsing that refuses what the database or the interpreter cannot take.

Refused with 400 (never a RecursionError or a database DataError): bodies nested deeper
than API_JSON_MAX_DEPTH, and text containing NUL characters or lone surrogates anywhere
(keys included).
"""
from __future__ import annotations

import json
import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import JSONParser

# NUL and UTF-16 surrogate code points (only reachable through \u escapes in JSON).
BAD_TEXT_RE = re.compile("[\x00\ud800-\udfff]")


def bad_text_reason(value: str) -> str | None:
    """Why `value` cannot be stored as text, or None when it can."""
    match = BAD_TEXT_RE.search(value)
    if match is None:
        return None
    if match.group() == "\x00":
        return _("Text may not contain NUL characters.")
    return _("Text may not contain unpaired surrogate characters.")


def json_depth_ok(text: str, max_depth: int) -> bool:
    """Whether the brackets of a JSON text nest at most `max_depth` deep (strings skipped).
    Checked before json.loads, whose recursion is what a deep body would exhaust."""
    depth = 0
    in_string = False
    escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > max_depth:
                return False
        elif char in "]}":
            depth -= 1
    return True


def find_bad_text(value, path: str = "") -> tuple[str, str] | None:
    """The first (path, reason) of a string in `value` that cannot be stored."""
    stack = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            reason = bad_text_reason(item)
            if reason:
                return where or "body", reason
        elif isinstance(item, dict):
            for key, child in item.items():
                reason = bad_text_reason(key)
                if reason:
                    return (f"{where}.{key}" if where else key).strip("."), reason
                stack.append((f"{where}.{key}" if where else str(key), child))
        elif isinstance(item, list):
            stack.extend((f"{where}[{index}]", child) for index, child in enumerate(item))
    return None


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise ParseError(_("The body is not valid UTF-8 text.")) from None
        if not json_depth_ok(text, settings.API_JSON_MAX_DEPTH):
            raise ParseError(_("JSON nested deeper than %(depth)d levels is not accepted.")
                             % {"depth": settings.API_JSON_MAX_DEPTH})
        try:
            data = json.loads(text, parse_constant=_refuse_constant)
        except (ValueError, RecursionError) as exc:
            raise ParseError(_("JSON parse error: %(error)s") % {"error": exc}) from None
        bad = find_bad_text(data)
        if bad is not None:
            where, reason = bad
            raise ValidationError({where: [reason]})
        return data


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")
