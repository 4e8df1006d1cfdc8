"""Preview links: a signed, expiring address that renders a draft or a version.

The link is the permission (it works without an account, so a brand can share it); it
names the Store, the version (none: the draft as it is when the link is opened), the page
and the stock mode, and expires. Previews are compiled afresh on every view (never the
live page's cache), answer `Cache-Control: private, no-store` and `X-Robots-Tag: noindex`,
and never count as a page view.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.urls import reverse

from .models import Store, StoreVersion
from .rendering import STOCK_MODES

SALT = "stores.preview"


@dataclass(frozen=True)
class PreviewTicket:
    store_id: int
    version_id: int | None
    page_key: str | None
    stock_mode: str
    expires_at: float


class PreviewRefused(Exception):
    """The link is not valid: `reason` is "invalid" (tampered or malformed) or "expired"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _url_for(payload: dict) -> str:
    token = signing.dumps(payload, salt=SALT, compress=True)
    return reverse("store-preview", kwargs={"token": token})


def preview_url(*, store: Store, version: StoreVersion | None = None,
                page_key: str | None = None, stock_mode: str = "live",
                expires_in: timedelta = timedelta(hours=24)) -> str:
    """A relative URL that shows `version` (None: the draft) of `store` until it expires."""
    if stock_mode not in STOCK_MODES:
        raise ValueError(f"stock_mode must be one of {STOCK_MODES}")
    if version is not None and version.store_id != store.pk:
        raise ValueError("the version belongs to another Store")
    return _url_for({
        "s": store.pk,
        "v": version.pk if version is not None else None,
        "p": page_key,
        "m": stock_mode,
        "e": int(time.time() + expires_in.total_seconds()),
    })


def preview_page_url(ticket: PreviewTicket, page_key: str) -> str:
    """The same preview (same expiry), on another page: navigation inside a preview."""
    return _url_for({"s": ticket.store_id, "v": ticket.version_id, "p": page_key,
                     "m": ticket.stock_mode, "e": int(ticket.expires_at)})


def preview_ticket(token: str) -> PreviewTicket:
    """The checked content of a preview token; raises PreviewRefused."""
    try:
        payload = signing.loads(token, salt=SALT)
        ticket = PreviewTicket(int(payload["s"]), payload["v"], payload["p"], payload["m"],
                               float(payload["e"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise PreviewRefused("invalid") from None
    if ticket.stock_mode not in STOCK_MODES:
        raise PreviewRefused("invalid")
    if ticket.expires_at <= time.time():
        raise PreviewRefused("expired")
    return ticket
