"""Writes of the builder that are more than saving a draft: discarding the draft (back to
the live version), restoring an earlier version into the draft, replacing an image
everywhere the draft uses it, and starting a new Store's home page from a template.
Each goes through `store_draft_save`, so the draft's one rule set (validation, revision
check, who may edit) applies unchanged.
"""
from __future__ import annotations

import copy

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _

from config.api import DomainError

from ..documents import iter_tiles
from ..models import Asset, Store, StoreVersion
from ..page_templates import PAGE_TEMPLATES, page_template_instantiate
from ..selectors import live_version_for
from ..services import store_draft_save
from ..theme import FIELDS as THEME_FIELDS
from ..theme import theme_asset_ids
from ..tiles.fields import get_path, set_path


class NothingLive(DomainError):
    code = "nothing_live"


class UnknownTemplate(DomainError):
    code = "unknown_template"


class WrongStore(DomainError):
    code = "wrong_store"


class AssetNotUsed(DomainError):
    code = "asset_not_used"


def _document_of(version: StoreVersion) -> dict:
    return {key: value for key, value in copy.deepcopy(version.document).items()
            if key != "revision"}


def store_draft_discard(*, store: Store, user: AbstractBaseUser, base_revision: int) -> Store:
    """Reset the draft to what shoppers see now (the live version), as one new revision.

    Raises NothingLive (400) when no version is live, StaleRevision (409) when the draft
    moved past `base_revision`, Forbidden when the user may not edit; nothing is written then.
    """
    version = live_version_for(store=store)
    if version is None:
        raise NothingLive(_("Nothing is live yet, so there is no live version to go back to."))
    return store_draft_save(store=store, user=user, document=_document_of(version),
                            base_revision=base_revision)


def store_draft_restore(*, store: Store, version: StoreVersion, user: AbstractBaseUser,
                        base_revision: int) -> Store:
    """Copy an earlier version of this Store into the draft (a new revision; the version
    itself is untouched and nothing goes live until the draft is submitted and approved)."""
    if version.store_id != store.pk:
        raise WrongStore(_("This version belongs to another Store."))
    return store_draft_save(store=store, user=user, document=_document_of(version),
                            base_revision=base_revision)


def store_start_from_template(*, store: Store, user: AbstractBaseUser, template: str) -> Store:
    """Replace a new Store's empty home page by one built from a page template, filled
    with the brand's own products (see stores.page_templates)."""
    if template not in PAGE_TEMPLATES:
        raise UnknownTemplate(_("There is no such page template."),
                              details={"template": [_("Choose one of the templates.")]})
    document = copy.deepcopy(store.draft)
    pages = document.get("pages") or []
    home = next((page for page in pages if page.get("parent") is None), None)
    home_key = home.get("key") if home else "home"
    title = home.get("title") if home else _("Home")
    page = page_template_instantiate(template=template, brand=store.brand, page_key=home_key,
                                     parent=None, slug="", title=title or _("Home"))
    document["pages"] = [page] + [p for p in pages if p is not home]
    return store_draft_save(store=store, user=user, document=document,
                            base_revision=store.revision)


def asset_usage(document: dict) -> dict[int, dict]:
    """Where the document uses each image: `{asset id: {"tiles": n, "pages": m, "design":
    bool}}` (design: the Store's logo or banner). The tile registry says which fields hold
    images (image, gallery, shoppable image, poster); the theme's fields say the same."""
    tiles: dict[int, set[str]] = {}
    pages: dict[int, set[str]] = {}
    for at in iter_tiles(document):
        tile_type = at.tile_type
        if tile_type is None:
            continue
        for asset_id in tile_type.asset_ids(at.config):
            tiles.setdefault(asset_id, set()).add(at.key)
            pages.setdefault(asset_id, set()).add(at.page_key)
    design = set(theme_asset_ids(document.get("theme") if isinstance(document, dict) else None))
    return {asset_id: {"tiles": len(tiles.get(asset_id, ())),
                       "pages": len(pages.get(asset_id, ())), "design": asset_id in design}
            for asset_id in set(tiles) | design}


def _theme_replace_asset(theme: dict, old: int, new: int) -> bool:
    """Replace image `old` in the theme's image fields (logo, banner); True if it did."""
    changed = False
    for f in THEME_FIELDS:
        value = get_path(theme, f.name)
        replaced = f.replace_asset(value, old, new)
        if replaced is not value:
            set_path(theme, f.name, replaced)
            changed = True
    return changed


def store_draft_replace_asset(*, store: Store, user: AbstractBaseUser, old: Asset, new: Asset,
                              base_revision: int) -> tuple[Store, int]:
    """Replace image `old` by `new` in every tile of the draft that uses it (and in the
    Store's design: logo, banner), as one new revision; returns the Store and how many
    tiles changed.

    Both images must be the Store's brand's (WrongStore otherwise); AssetNotUsed (400)
    when the draft does not use `old`; StaleRevision (409) and Forbidden as for any save.
    Nothing is written on any refusal.
    """
    if old.brand_id != store.brand_id or new.brand_id != store.brand_id:
        raise WrongStore(_("This image belongs to another brand."))
    document = copy.deepcopy(store.draft)
    changed = 0
    for at in iter_tiles(document):
        tile_type = at.tile_type
        if tile_type is None or old.pk not in tile_type.asset_ids(at.config):
            continue
        at.tile["config"] = tile_type.replace_asset(at.config, old.pk, new.pk)
        changed += 1
    in_design = isinstance(document.get("theme"), dict) and _theme_replace_asset(
        document["theme"], old.pk, new.pk)
    if not changed and not in_design:
        raise AssetNotUsed(_("The draft does not use this image."),
                           details={"asset": [_("No tile of the draft uses this image.")]})
    store = store_draft_save(store=store, user=user, document=document,
                             base_revision=base_revision)
    return store, changed
