"""Texts the system stores for later readers: each reader gets their language and zone."""
from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime

from django.utils import timezone, translation

from catalog.stored_texts import (
    Joined,
    StoredText,
    stored_text_data,
    stored_text_fallback,
    stored_text_render,
)

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


def read(data: dict, language: str, zone=UTC, fallback: str = "") -> str:
    with translation.override(language), timezone.override(zone):
        return stored_text_render(data, fallback)


def test_a_stored_text_reads_in_each_readers_language_with_times_in_their_zone():
    text = StoredText("Version %(number)s submitted. It replaces version %(previous)s and "
                      "keeps its deadline (%(deadline)s).", number=4, previous=3,
                      deadline=datetime(2027, 7, 1, 8, 0, tzinfo=UTC))
    data = stored_text_data(text)

    assert read(data, "en") == ("Version 4 submitted. It replaces version 3 and keeps its "
                                "deadline (Jul 1, 2027, 8:00\u202fAM UTC).")
    assert read(data, "nl", AMSTERDAM) == (
        "Versie 4 ingediend. Die vervangt versie 3 en houdt de deadline daarvan "
        "(1 jul 2027, 10:00 CEST).")
    # The plain record beside it is English and UTC, whoever was signed in.
    with translation.override("nl"), timezone.override(AMSTERDAM):
        assert stored_text_fallback(text) == read(data, "en")


def test_nested_texts_lists_and_plurals_are_translated_too():
    why = Joined([StoredText("reordered"),
                  StoredText("%(label)s (%(where)s)", label=StoredText("small text edit"),
                             where="t1")], sep="; ")
    data = stored_text_data(StoredText(
        "Approved automatically: a trivial change (%(why)s) that passed every automated "
        "check.", why=why))
    plural = stored_text_data(StoredText.plural(
        "Automated checks found %(n)s blocking problem.",
        "Automated checks found %(n)s blocking problems.", 2, n=2))

    assert read(data, "nl") == ("Automatisch goedgekeurd: een triviale wijziging (volgorde "
                                "gewijzigd; kleine tekstwijziging (t1)) die door alle "
                                "automatische controles is gekomen.")
    assert read(plural, "nl") == "De automatische controles vonden 2 blokkerende problemen."
    assert read(plural, "en") == "Automated checks found 2 blocking problems."


def test_old_rows_and_reworded_messages_still_read():
    reworded = {"msgid": "Image %(id)s went missing.", "params": {"id": 7}}

    assert read({}, "nl", fallback="Automated checks passed.") == "Automated checks passed."
    assert read(reworded, "nl") == "Image 7 went missing."
    # A parameter the text does not name is no error.
    assert read({"msgid": "Released.", "params": {"who": "x"}}, "nl") == "Teruggegeven."
