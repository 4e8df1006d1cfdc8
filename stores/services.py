"""Writes of Stores: creating one and saving its draft."""
from __future__ import annotations

import re

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from catalog.models import Brand
from catalog.selectors import store_eligibility
from config.errors import Forbidden

from . import content_policy as policy
from .documents import document_validate, empty_document
from .errors import InvalidStore, SlugTaken, StaleRevision
from .models import Store

STORE_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

__all__ = ["InvalidStore", "StaleRevision", "store_create", "store_draft_save",
           "store_draft_save_report"]


def _require_eligible(user: AbstractBaseUser, brand: Brand) -> None:
    eligibility = store_eligibility(user=user, brand=brand)
    if not eligibility:
        raise Forbidden(eligibility.reason, code=eligibility.code)


def _free_slug(base: str) -> str:
    base = base[:100].strip("-") or "store"
    taken = set(Store.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def store_create(*, user: AbstractBaseUser, brand: Brand, name: str,
                 slug: str | None = None) -> Store:
    """A new Store of `brand` whose draft is an empty home page (revision 0).

    Raises Forbidden (with the eligibility reason) when the user may not build a Store for
    the brand, InvalidStore (400) for a bad name or slug, Conflict when the slug is taken.
    Without a slug, one is made from the name (made unique with -2, -3…).
    """
    _require_eligible(user, brand)
    name = (name or "").strip()
    if not name or len(name) > policy.STORE_NAME_MAX:
        message = _("A Store needs a name of 1 to %(max)s characters.") % {
            "max": policy.STORE_NAME_MAX}
        raise InvalidStore(message, details={"name": [message]})
    if slug:
        if not STORE_SLUG_RE.match(slug) or len(slug) > 120:
            message = "The address is lowercase letters and digits separated by single hyphens."
            raise InvalidStore(message, details={"slug": [message]})
        if Store.objects.filter(slug=slug).exists():
            raise SlugTaken(f"The address {slug!r} is taken by another Store.",
                            details={"slug": ["This address is taken."]})
    else:
        slug = _free_slug(slugify(name))
    try:
        with transaction.atomic():
            return Store.objects.create(
                brand=brand, name=name, slug=slug, draft=empty_document(name=name),
                revision=0, created_by=user, draft_updated_by=user,
            )
    except IntegrityError:
        raise SlugTaken(f"The address {slug!r} is taken by another Store.",
                        details={"slug": ["This address is taken."]}) from None


def store_draft_save(*, store: Store, user: AbstractBaseUser, document: dict,
                     base_revision: int) -> Store:
    """`store_draft_save_report` without the incomplete list."""
    return store_draft_save_report(store=store, user=user, document=document,
                                   base_revision=base_revision)[0]


def store_draft_save_report(*, store: Store, user: AbstractBaseUser, document: dict,
                            base_revision: int) -> tuple[Store, list[dict]]:
    """Replace the draft with the validated `document` and bump `revision` by one.

    Guarantees: the write happens only if the draft is still at `base_revision` (one
    conditional UPDATE, so two editors can never both win); nothing is written when the
    user may not edit (Forbidden), the document is invalid (DocumentInvalid, 400, every
    error with its place) or the revision is stale (StaleRevision, 409). A draft missing
    required values (no product, image or alt text yet) is saved. Returns the Store as
    saved and those missing values, each with its place.
    """
    _require_eligible(user, store.brand)
    validated = document_validate(document, brand=store.brand)
    normalised = validated.document
    updated = Store.objects.filter(pk=store.pk, revision=base_revision).update(
        draft=normalised,
        name=normalised["name"],
        revision=F("revision") + 1,
        draft_updated_at=timezone.now(),
        draft_updated_by=user,
    )
    if not updated:
        current = Store.objects.filter(pk=store.pk).values_list("revision", flat=True).first()
        raise StaleRevision(current if current is not None else 0)
    store.refresh_from_db()
    return store, validated.incomplete
