"""`{% load images %}`: the `picture` tag for responsive images.

    {% picture image.image alt=product.title sizes="(min-width: 900px) 25vw, 50vw"
               widths="200,400,800" %}   (one line in a template)

renders a `<picture>` with a WebP `<source>` and a JPEG (or PNG, for transparent images)
`<img>` carrying `srcset`, `sizes`, `alt`, `width`, `height`, `loading="lazy"` and
`decoding="async"` (markup in templates/images/picture.html). `crop="4:3"` serves
renditions of that shape cut around `focal` (an asset's focal point). Options: `loading="eager"`
and `fetchpriority="high"` for the image above the fold, `css_class="…"` for the `<img>`,
and art direction: `phone=other_file` (with `phone_media`, default "(max-width: 640px)",
and `phone_sizes`) adds `<source media=…>` elements, with their own width and height, so
phones download only the phone image.
An empty or unreadable file renders nothing. See catalog.images for when renditions are
made.

Speed: a page may hold 150 pictures, so the markup of a picture whose renditions exist is
kept in a small process-local memo keyed by every argument; a repeat costs one lookup.
"""
from __future__ import annotations

import threading
import time
from contextvars import ContextVar

from django import template
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from catalog import images

register = template.Library()

TEMPLATE_NAME = "images/picture.html"
DEFAULT_SIZES = "100vw"
DEFAULT_PHONE_MEDIA = "(max-width: 640px)"
_BUDGET_ATTR = "_renditions_made"
_html_memo: dict[tuple, tuple[float, str]] = {}
_html_lock = threading.Lock()


# Renditions made during the current request. Tiles and cards are often rendered with
# separate render_to_string calls (no shared context, no request), so the count lives in a
# context variable that Django's request signals open and close.
_request_budget: ContextVar[list[int] | None] = ContextVar("renditions_budget", default=None)


# How many times this thread showed an original for want of renditions: a cache of the
# resulting HTML must not keep it (stores.rendering re-renders such cards later).
_fallbacks: ContextVar[int] = ContextVar("picture_fallbacks", default=0)


def fallbacks_shown() -> int:
    return _fallbacks.get()


def _request_started(**kwargs) -> None:
    _request_budget.set([0])


def _request_finished(**kwargs) -> None:
    _request_budget.set(None)


def connect() -> None:
    """Open and close each request's rendition budget (wired in CatalogConfig.ready)."""
    request_started.connect(_request_started, dispatch_uid="renditions_budget_start")
    request_finished.connect(_request_finished, dispatch_uid="renditions_budget_end")


def _generation_allowed(context) -> bool:
    """True while this request (or, outside requests, this template render) may still make
    renditions synchronously; see catalog.images."""
    limit = getattr(settings, "RENDITIONS_SYNC_LIMIT", 8)
    holder = _request_budget.get()
    if holder is not None:
        if holder[0] >= limit:
            return False
        holder[0] += 1
        return True
    made = context.render_context.get(_BUDGET_ATTR, 0)
    if made >= limit:
        return False
    context.render_context[_BUDGET_ATTR] = made + 1
    return True


def picture_memo_clear() -> None:
    """Forget remembered markup (tests; after renditions were deleted)."""
    with _html_lock:
        _html_memo.clear()


def _remember(key: tuple, html: str) -> None:
    with _html_lock:
        if len(_html_memo) >= images.MEMO_MAX:
            _html_memo.clear()
        _html_memo[key] = (time.monotonic(), html)


@register.simple_tag(takes_context=True)
def picture(context, file, alt="", sizes=DEFAULT_SIZES, widths=None, loading="lazy",
            fetchpriority="", css_class="", phone=None, phone_media=DEFAULT_PHONE_MEDIA,
            phone_sizes=DEFAULT_SIZES, crop="", focal=None):
    if not file:
        return ""
    name = images.storage_name(file)
    phone_name = images.storage_name(phone)
    key = (str(settings.MEDIA_ROOT), name, str(alt or ""), sizes, str(widths or ""), loading,
           fetchpriority, css_class, phone_name, phone_media, phone_sizes, crop,
           tuple(focal) if focal else None)
    hit = _html_memo.get(key)
    if hit is not None and time.monotonic() - hit[0] < images.MEMO_SECONDS:
        return mark_safe(hit[1])  # noqa: S308 - our own template's autoescaped output
    shape = {"crop": crop, "focal": focal}
    picture_data = images.picture_for(file, widths=widths, generate=False, **shape)
    if picture_data is None and _generation_allowed(context):
        picture_data = images.picture_for(file, widths=widths, generate=True, **shape)
    phone_data = None
    if phone_name and picture_data is not None:
        phone_data = images.picture_for(phone, widths=widths, generate=False)
        if phone_data is None and _generation_allowed(context):
            phone_data = images.picture_for(phone, widths=widths, generate=True)
    original = None
    if picture_data is None:
        # Over this request's budget: show the original now, renditions come later.
        _fallbacks.set(_fallbacks.get() + 1)
        size = images.original_size(file)
        if size is None:
            return ""
        url = getattr(file, "url", None) or f"{settings.MEDIA_URL.rstrip('/')}/{name}"
        original = {"url": url, "width": size[0], "height": size[1]}
    html = get_template(TEMPLATE_NAME).render({
        "picture": picture_data,
        "phone": phone_data,
        "phone_media": phone_media,
        "phone_sizes": phone_sizes or DEFAULT_SIZES,
        "original": original,
        "alt": alt or "",
        "sizes": sizes or DEFAULT_SIZES,
        "loading": loading or "lazy",
        "fetchpriority": fetchpriority,
        "css_class": css_class,
    }).strip()
    if picture_data is not None and (phone_data is not None or not phone_name):
        _remember(key, html)
    return mark_safe(html)  # noqa: S308 - rendered by an autoescaping template
