"""Texts the system writes now and people read later, each in their own language.

An automated finding, an automated approval's reason or a history note is stored as its
message id (the English source text, marked with `gettext_noop` so that `make messages`
extracts it) and its parameters, and translated when it is shown: a Dutch moderator reads
the finding in Dutch, an English brand user the same finding in English. This is what
Django's admin log does for its change messages. A message id that is no longer in the
catalogue (reworded since) still reads, in English.

Parameters are plain values (shown as they are: names, keys, words the brand wrote),
other StoredTexts (translated too), moments (shown in the reader's time zone,
catalog.moments) and Joined lists of those.
"""
from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext, ngettext

from .moments import moment_label


class Joined:
    """Items shown one after the other (", " between them unless `sep` says otherwise)."""

    def __init__(self, items: Iterable[Any], sep: str = ", "):
        self.items = list(items)
        self.sep = sep

    def __str__(self) -> str:
        return self.sep.join(str(item) for item in self.items)


class StoredText:
    """`StoredText(gettext_noop("Version %(number)s is live."), number=3)`."""

    def __init__(self, msgid: str, /, **params: Any):
        self.msgid = str(msgid)
        self.params = params
        self.plural_id: str | None = None
        self.count = 0

    @classmethod
    def plural(cls, singular: str, plural: str, count: int, /, **params: Any) -> StoredText:
        """A text with singular and plural forms, chosen by `count` in the reader's language
        (the strings must also be marked with ngettext where they are written)."""
        text = cls(singular, **params)
        text.plural_id, text.count = str(plural), int(count)
        return text

    def as_data(self) -> dict[str, Any]:
        """The JSON to store (see stored_text_render)."""
        data: dict[str, Any] = {"msgid": self.msgid}
        if self.plural_id is not None:
            data.update(plural=self.plural_id, count=self.count)
        if self.params:
            data["params"] = {key: _encode(value) for key, value in self.params.items()}
        return data

    def render(self) -> str:
        return stored_text_render(self.as_data())

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"StoredText({self.as_data()!r})"


def _encode(value: Any) -> Any:
    if isinstance(value, StoredText):
        return {"text": value.as_data()}
    if isinstance(value, datetime):
        return {"moment": value.isoformat()}
    if isinstance(value, Joined):
        return {"join": [_encode(item) for item in value.items], "sep": value.sep}
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


def _decode(value: Any) -> Any:
    """A stored parameter as the reader sees it (translated, in their time zone)."""
    if not isinstance(value, dict):
        return value
    if "text" in value:
        return stored_text_render(value["text"])
    if "moment" in value:
        moment = parse_datetime(str(value["moment"]))
        return moment_label(moment) if moment else str(value["moment"])
    if "join" in value:
        return str(value.get("sep", ", ")).join(str(_decode(item)) for item in value["join"])
    return str(value)


def stored_text_render(data: dict | None, fallback: str = "") -> str:
    """Stored text data in the active language and time zone; `fallback` (the text as it
    was written, for rows stored before texts were kept this way) when there is none."""
    if not isinstance(data, dict) or not data.get("msgid"):
        return fallback
    msgid = str(data["msgid"])
    params = {key: _decode(value) for key, value in (data.get("params") or {}).items()}
    if data.get("plural"):
        count = data.get("count") or 0
        translated = ngettext(msgid, str(data["plural"]), count)
        msgid = msgid if count == 1 else str(data["plural"])
    else:
        translated = gettext(msgid)
    if not params:
        return translated
    try:
        return translated % params
    except (KeyError, TypeError, ValueError):
        # A translation that lost a placeholder: the English text still says it all.
        try:
            return msgid % params
        except (KeyError, TypeError, ValueError):
            return fallback or msgid


def stored_text_data(text: StoredText | str | None) -> dict:
    """What to store for `text`: its data, or nothing for text a person wrote."""
    return text.as_data() if isinstance(text, StoredText) else {}


def stored_text_fallback(text: StoredText | str | None) -> str:
    """The plain text stored beside the data: in the site's language and time zone (UTC),
    whoever happened to be signed in when it was written; a person's text as written."""
    if not isinstance(text, StoredText):
        return text or ""
    with translation.override(settings.LANGUAGE_CODE), timezone.override(
            zoneinfo.ZoneInfo(settings.TIME_ZONE)):
        return text.render()
