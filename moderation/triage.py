"""Risk-based triage: how much a submitted version changes against the live version.

Read tile by tile (tiles, sections and pages are matched by their keys):
- *high risk* — new images or video, new pages, new links, the Store's first version, the
  brand's first Store, a brand with a recent rejection;
- *trivial* — only reorders, removals, turning out-of-stock suppression on or off, swapping
  products among the brand's own, text edits under MODERATION_TRIVIAL_TEXT_CHARS;
- *standard* — anything else (a new product tile, a layout, a title, the theme).

Trivial changes that pass every automated check are approved without a moderator
(moderation.services.decisions.submission_auto_approve); high-risk ones are shown to
moderators earlier than their deadline, since they take longer to review.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils.html import strip_tags
from django.utils.translation import gettext_noop
from django.utils.translation import gettext_noop as _

from catalog.stored_texts import Joined, StoredText

from .models import Risk

# Message ids, translated where they are shown (reasons_label, reasons_text).
REASON_LABELS = {
    "first_version": _("first version of this Store"),
    "first_store": _("first Store of this brand"),
    "recent_rejection": _("a moderator rejected this brand's content recently"),
    "new_page": _("new page"),
    "new_image": _("new image or video"),
    "new_link": _("new link"),
    "reorder": _("reordered"),
    "removal": _("removed"),
    "oos_toggle": _("out-of-stock suppression switched"),
    "product_swap": _("products swapped among the brand's own"),
    "text_edit": _("small text edit"),
    "content_change": _("content changed"),
    "new_tile": _("new tile"),
    "store_change": _("Store name or theme changed"),
    "page_change": _("page title, slug or place changed"),
    "section_change": _("section layout changed"),
    "no_change": _("nothing changed"),
}
HIGH = {"first_version", "first_store", "recent_rejection", "new_page", "new_image",
        "new_link"}
TRIVIAL = {"reorder", "removal", "oos_toggle", "product_swap", "text_edit", "no_change"}
MEDIA_KEYS = {"asset", "phone_asset", "poster", "logo", "banner"}
HREF = re.compile(r"""href\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


@dataclass
class Triage:
    risk: str
    reasons: list[dict[str, str]] = field(default_factory=list)

    @property
    def codes(self) -> list[str]:
        return [r["code"] for r in self.reasons]


def reasons_text(reasons: list[dict[str, str]]) -> Joined:
    """'new image or video (t3); reordered', kept for readers who come later (the
    automated approval's note): each label in the reader's language."""
    items: list[StoredText | str] = []
    for r in reasons:
        code = r.get("code", "")
        label = StoredText(REASON_LABELS[code]) if code in REASON_LABELS else code
        items.append(StoredText(gettext_noop("%(label)s (%(where)s)"), label=label,
                                where=r["where"]) if r.get("where") else label)
    return Joined(items, sep="; ")


def reasons_label(reasons: list[dict[str, str]]) -> str:
    """'new image or video (t3); reordered' for people, in the active language."""
    return str(reasons_text(reasons))


def _tiles(document: dict) -> dict[str, tuple[str, str, dict]]:
    found = {}
    for page in document.get("pages") or []:
        for section in page.get("sections") or []:
            for tile in section.get("tiles") or []:
                if isinstance(tile, dict) and tile.get("key"):
                    found[str(tile["key"])] = (str(page.get("key")), str(section.get("key")),
                                               tile)
    return found


def _media(value: Any, found: set) -> set:
    """Every asset id and video URL anywhere in a tile configuration."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in MEDIA_KEYS and item not in (None, ""):
                found.add(("asset", str(item)))
            elif key == "url" and isinstance(item, str) and item:
                found.add(("video", item))
            else:
                _media(item, found)
    elif isinstance(value, list):
        for item in value:
            _media(item, found)
    return found


def _links(value: Any, found: set) -> set:
    """Every link target in a configuration: hrefs in rich text, structured links."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "link" and isinstance(item, dict):
                found.add(tuple(sorted((k, str(v)) for k, v in item.items())))
            elif key == "html" and isinstance(item, str):
                found.update(("href", href) for href in HREF.findall(item))
            else:
                _links(item, found)
    elif isinstance(value, list):
        for item in value:
            _links(item, found)
    return found


def _changed_chars(old: str, new: str) -> int:
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in matcher.get_opcodes()
               if op != "equal")


def _tile_change(old: dict, new: dict, brand_asins: set[str]) -> str | None:
    """The kind of change of one tile kept under its key (None when unchanged)."""
    if old.get("type") != new.get("type"):
        return "content_change"
    old_config, new_config = old.get("config") or {}, new.get("config") or {}
    if old_config == new_config:
        return None
    keys = {k for k in set(old_config) | set(new_config) if old_config.get(k) != new_config.get(k)}
    if keys <= {"hide_out_of_stock"}:
        return "oos_toggle"
    if keys <= {"asins", "asin", "hide_out_of_stock"}:
        new_asins = new_config.get("asins") or [new_config.get("asin")]
        if all(isinstance(a, str) and a in brand_asins for a in new_asins):
            return "product_swap"
        return "content_change"
    if keys <= {"html", "align"} and "html" in keys:
        limit = settings.MODERATION_TRIVIAL_TEXT_CHARS
        changed = _changed_chars(strip_tags(old_config.get("html") or ""),
                                 strip_tags(new_config.get("html") or ""))
        return "text_edit" if changed < limit else "content_change"
    return "content_change"


def classify(*, document: dict, live: dict | None, brand, store_id: int | None = None,
             now: datetime) -> Triage:
    """The risk class of `document` against `live` (None: nothing live) with its reasons."""
    from catalog.models import Product

    from .models import DecidedBy, Submission, SubmissionStatus

    reasons: list[dict[str, str]] = []

    def add(code: str, where: str = "") -> None:
        reason = {"code": code, "where": where}
        if reason not in reasons:
            reasons.append(reason)

    if live is None:
        add("first_version")
        from stores.models import Store

        others = Store.objects.filter(brand=brand, published_version__isnull=False)
        if store_id is not None:
            others = others.exclude(pk=store_id)
        if not others.exists():
            add("first_store")
    since = now - timedelta(days=settings.MODERATION_RECENT_REJECTION_DAYS)
    # A moderator's rejection: the automated checks' own refusals say nothing about intent.
    if Submission.objects.filter(store__brand=brand, status=SubmissionStatus.REJECTED,
                                 decided_how=DecidedBy.MODERATOR,
                                 decided_at__gte=since).exists():
        add("recent_rejection")
    if live is None:
        return Triage(Risk.HIGH, reasons)

    if (document.get("name"), document.get("theme")) != (live.get("name"), live.get("theme")):
        add("store_change")
    old_pages = {str(p.get("key")): p for p in live.get("pages") or []}
    new_pages = {str(p.get("key")): p for p in document.get("pages") or []}
    for key in new_pages.keys() - old_pages.keys():
        add("new_page", key)
    if old_pages.keys() - new_pages.keys():
        add("removal")
    for key in new_pages.keys() & old_pages.keys():
        old, new = old_pages[key], new_pages[key]
        if any(old.get(f) != new.get(f) for f in ("title", "slug", "parent")):
            add("page_change", key)
        old_sections = {str(s.get("key")): s for s in old.get("sections") or []}
        new_sections = {str(s.get("key")): s for s in new.get("sections") or []}
        if old_sections.keys() - new_sections.keys():
            add("removal")
        if [k for k in new_sections if k in old_sections] != [
                k for k in old_sections if k in new_sections]:
            add("reorder", key)
        for skey in new_sections.keys() & old_sections.keys():
            if old_sections[skey].get("layout") != new_sections[skey].get("layout"):
                add("section_change", skey)

    old_tiles, new_tiles = _tiles(live), _tiles(document)
    live_media = _media([t[2].get("config") for t in old_tiles.values()], set())
    # A new logo or banner shows on every page: as high risk as a new image in a tile.
    if _media(document.get("theme"), set()) - _media(live.get("theme"), set()) - live_media:
        add("new_image", "theme")
    live_links = _links([t[2].get("config") for t in old_tiles.values()], set())
    if old_tiles.keys() - new_tiles.keys():
        add("removal")
    asins = {
        a for _p, _s, tile in new_tiles.values() for a in
        ((tile.get("config") or {}).get("asins") or [(tile.get("config") or {}).get("asin")])
        if isinstance(a, str)
    }
    brand_asins = set(Product.objects.filter(brand=brand, asin__in=asins)
                      .values_list("asin", flat=True)) if asins else set()
    old_order = [k for k in old_tiles if k in new_tiles]
    new_order = [k for k in new_tiles if k in old_tiles]
    if old_order != new_order or any(
            old_tiles[k][:2] != new_tiles[k][:2] for k in new_order):
        add("reorder")
    for key, (_page, _section, tile) in new_tiles.items():
        config = tile.get("config") or {}
        if _media(config, set()) - live_media:
            add("new_image", key)
        if _links(config, set()) - live_links:
            add("new_link", key)
        if key not in old_tiles:
            add("new_tile", key)
            continue
        change = _tile_change(old_tiles[key][2], tile, brand_asins)
        if change:
            add(change, key)
    if not reasons:
        add("no_change")
    codes = {r["code"] for r in reasons}
    if codes & HIGH:
        return Triage(Risk.HIGH, [r for r in reasons if r["code"] in HIGH])
    if codes <= TRIVIAL:
        return Triage(Risk.TRIVIAL, reasons)
    return Triage(Risk.STANDARD, [r for r in reasons if r["code"] not in TRIVIAL])


def queue_at(*, risk: str, sla_deadline: datetime) -> datetime:
    """Where a submission stands in the queue: its deadline, earlier when high risk."""
    if risk == Risk.HIGH:
        return sla_deadline - timedelta(hours=settings.MODERATION_HIGH_RISK_LEAD_HOURS)
    return sla_deadline
