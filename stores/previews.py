"""Share links: opaque, expiring, revocable addresses that show a draft or a version.

The link is the permission (it works without an account, so a brand can share it). Its
address holds a random token and nothing else: the Store, the version (none: the draft as
it is when the link is opened), the page and the stock mode are kept in the database, so
a link cannot be forged or edited, and the brand can list and revoke its links.

Previews answer `Cache-Control: private, no-store` and `X-Robots-Tag: noindex`, never
count as page views, and are compiled once per draft revision (or version) and page:
repeated views of one link only apply stock.
"""
from __future__ import annotations

import secrets
from datetime import timedelta
from urllib.parse import urlencode

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from .models import ShareLink, Store, StoreVersion
from .rendering import STOCK_MODES

DEFAULT_LIFETIME = timedelta(hours=24)
MAX_LIFETIME = timedelta(days=30)
TOKEN_BYTES = 32


class PreviewRefused(Exception):
    """The link does not show anything: `reason` is "invalid", "expired" or "revoked"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def share_link_status(link: ShareLink, *, now=None) -> str:
    """"active", "expired" or "revoked"."""
    if link.revoked_at is not None:
        return "revoked"
    if link.expires_at <= (now or timezone.now()):
        return "expired"
    return "active"


def share_link_create(*, store: Store, user: AbstractBaseUser | None = None,
                      version: StoreVersion | None = None, page_key: str | None = None,
                      stock_mode: str = "live", expires_in: timedelta = DEFAULT_LIFETIME,
                      purpose: str = ShareLink.Purpose.SHARE, label: str = "") -> ShareLink:
    """A new link to `version` (None: the draft) of `store`.

    A preview frame (purpose "preview") reuses the caller's own unexpired link to the same
    target, so reopening a preview does not pile up links. Raises ValueError for a stock
    mode, lifetime or version that does not fit.
    """
    if stock_mode not in STOCK_MODES:
        raise ValueError(f"stock_mode must be one of {STOCK_MODES}")
    if version is not None and version.store_id != store.pk:
        raise ValueError("the version belongs to another Store")
    if not timedelta(0) < expires_in <= MAX_LIFETIME:
        raise ValueError("a link lives between a second and 30 days")
    now = timezone.now()
    if purpose == ShareLink.Purpose.PREVIEW:
        reusable = ShareLink.objects.filter(
            store=store, version=version, page_key=page_key or "", stock_mode=stock_mode,
            purpose=purpose, created_by=user if user is not None else None,
            revoked_at__isnull=True, expires_at__gt=now + expires_in / 2,
        ).order_by("-expires_at").first()
        if reusable is not None:
            return reusable
    return ShareLink.objects.create(
        store=store, version=version, page_key=page_key or "", stock_mode=stock_mode,
        purpose=purpose, label=label, created_by=user, expires_at=now + expires_in,
        token=secrets.token_urlsafe(TOKEN_BYTES),
    )


def share_link_revoke(*, link: ShareLink, user: AbstractBaseUser | None) -> ShareLink:
    """Stops `link` from showing anything, at once. Revoking twice changes nothing."""
    if link.revoked_at is None:
        updated = ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=user)
        if updated:
            link.refresh_from_db(fields=["revoked_at", "revoked_by"])
    return link


def share_links_for_store(*, store: Store) -> QuerySet[ShareLink]:
    """The links the brand shared (not the preview frames), newest first."""
    return (ShareLink.objects.filter(store=store, purpose=ShareLink.Purpose.SHARE)
            .select_related("created_by", "version").order_by("-created_at", "-id"))


def share_link_resolve(token: str) -> ShareLink:
    """The link behind `token`, if it may show its target now; raises PreviewRefused."""
    if not token or len(token) > 64:
        raise PreviewRefused("invalid")
    link = (ShareLink.objects.select_related("store", "store__brand", "version")
            .filter(token=token).first())
    if link is None:
        raise PreviewRefused("invalid")
    status = share_link_status(link)
    if status != "active":
        raise PreviewRefused(status)
    return link


def share_link_path(link: ShareLink, page_key: str | None = None) -> str:
    """The relative address of `link`, on `page_key` (default: the link's own page)."""
    path = reverse("store-preview", kwargs={"token": link.token})
    if page_key and page_key != link.page_key:
        path += "?" + urlencode({"page": page_key})
    return path


def preview_url(*, store: Store, version: StoreVersion | None = None,
                page_key: str | None = None, stock_mode: str = "live",
                expires_in: timedelta = DEFAULT_LIFETIME,
                user: AbstractBaseUser | None = None) -> str:
    """A relative URL that shows `version` (None: the draft) of `store` until it expires:
    a preview frame's link (not listed among the brand's share links)."""
    link = share_link_create(store=store, user=user, version=version, page_key=page_key,
                             stock_mode=stock_mode, expires_in=expires_in,
                             purpose=ShareLink.Purpose.PREVIEW)
    return share_link_path(link)
