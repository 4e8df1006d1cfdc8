"""The Store document: validation and normal form.

A document is `{"name", "theme": {...}, "pages": [...]}` (the theme: stores.theme); a page is
`{"key", "parent", "slug", "title", "sections": [...]}`; a section is
`{"key", "layout", "tiles": [...]}`; a tile is `{"key", "type", "visibility", "config"}`.

Rules: exactly one home page (parent null, slug ""); other pages hang below it, at most
3 levels deep (home, its sub-pages, theirs); sibling slugs unique; at most 20 sections a
page and 12 tiles a section; keys unique across the whole document (pages, sections and
tiles share one namespace, so a key names one place); every tile's config is checked by
its tile type; every ASIN names a product of the Store's brand, every image an Asset of
the brand. Each error says where: path, page, section, tile and field.

Layouts: full (1 column), halves (2), thirds (3), quarters (4) on desktop; tiles fill the
columns left to right and wrap to a new row, so a section may hold more tiles than it has
columns. On phones every section is one column.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.models import Brand, Category, Product

from . import content_policy as policy
from .errors import DocumentInvalid
from .models import Asset
from .theme import DEFAULT_ACCENT, theme_clean
from .tiles.base import VISIBILITY, Checker, ConfigReader, Place, TileType
from .tiles.registry import UnknownTileType, get_tile_type, tile_type_names

MAX_DEPTH = 3
MAX_PAGES = 50
MAX_SECTIONS = 20
MAX_TILES_PER_SECTION = 12
LAYOUTS = {"full": 1, "halves": 2, "thirds": 3, "quarters": 4}
LAYOUT_LABELS = {"full": gettext_lazy("Full width"), "halves": gettext_lazy("Two columns"),
                 "thirds": gettext_lazy("Three columns"),
                 "quarters": gettext_lazy("Four columns")}
KEY_RE = re.compile(rf"^[A-Za-z0-9][A-Za-z0-9_-]{{0,{policy.KEY_MAX - 1}}}$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = policy.PAGE_SLUG_MAX
HOME_KEY_DEFAULT = "home"

__all__ = ["DocumentInvalid", "document_validate", "iter_tiles", "validate_store_document"]


def empty_document(*, name: str) -> dict:
    """A new Store's draft: a home page with no sections yet."""
    return {
        "name": name,
        "theme": {"accent_color": DEFAULT_ACCENT},
        "pages": [{"key": HOME_KEY_DEFAULT, "parent": None, "slug": "", "title": "Home",
                   "sections": []}],
    }


@dataclass(frozen=True)
class ValidatedDocument:
    """A document that may be saved, and what it still lacks before it can be submitted."""

    document: dict
    incomplete: list[dict]


def validate_store_document(document: Any, *, brand: Brand) -> dict:
    """The normal form of `document` (see `document_validate`)."""
    return document_validate(document, brand=brand).document


def document_validate(document: Any, *, brand: Brand) -> ValidatedDocument:
    """The normal form of `document` (defaults filled in, text trimmed, text tiles'
    HTML sanitised, unknown fields dropped) with the required values it does not have yet
    (`incomplete`, each with its place); raises DocumentInvalid listing every error."""
    checker = Checker()
    root = Place("")
    if not isinstance(document, dict):
        checker.error(root, None, "invalid_document", "The document must be a JSON object.")
        raise DocumentInvalid(checker.errors)

    name = document.get("name")
    if not isinstance(name, str) or not name.strip():
        checker.error(Place("name"), "name", "required", "The Store needs a name.")
        name = ""
    elif len(name.strip()) > policy.STORE_NAME_MAX:
        checker.error(Place("name"), "name", "too_long", _(
            "The name is at most %(max)s characters.") % {"max": policy.STORE_NAME_MAX})
    elif refusal := policy.text_refusal(name):
        checker.error(Place("name"), "name", refusal.code, refusal.message)
    name = name.strip()[:policy.STORE_NAME_MAX]

    theme = _clean_theme(document.get("theme"), checker)
    pages = _clean_pages(document.get("pages"), checker)
    _resolve_references(checker, brand=brand)
    if checker.errors:
        raise DocumentInvalid(checker.errors)
    cleaned = {"name": name, "theme": theme, "pages": pages}
    return ValidatedDocument(cleaned, checker.incomplete + _empty_pages(cleaned))


def _empty_pages(document: dict) -> list[dict]:
    """Pages without a tile yet: fine in a draft, never in a submission."""
    return [
        Place(f"pages[{index}]", page["key"]).entry(
            "sections", "empty_page",
            _("The page “%(title)s” has no tiles yet: shoppers would see an empty page.")
            % {"title": page["title"]})
        for index, page in enumerate(document["pages"])
        if next(iter_tiles({"pages": [page]}), None) is None
    ]


def _clean_theme(theme: Any, checker: Checker) -> dict:
    return theme_clean(theme, checker)


def _claim_key(key: Any, place: Place, checker: Checker, seen: set[str]) -> str:
    if not isinstance(key, str) or not KEY_RE.match(key):
        checker.error(place.child("key"), "key", "invalid_key",
                      "A key is 1 to 40 letters, digits, - or _, starting with a letter or digit.")
        return ""
    if key in seen:
        checker.error(place.child("key"), "key", "duplicate_key",
                      f"The key {key!r} is used twice; keys are unique in the whole document.")
    seen.add(key)
    return key


def _clean_pages(pages: Any, checker: Checker) -> list[dict]:
    if not isinstance(pages, list) or not pages:
        checker.error(Place("pages"), "pages", "required", "A Store has at least a home page.")
        return []
    if len(pages) > MAX_PAGES:
        checker.error(Place("pages"), "pages", "too_many",
                      f"A Store has at most {MAX_PAGES} pages.")
        return []
    seen_keys: set[str] = set()
    # Page keys first: image links may point at any page, even a later one.
    checker.page_keys = {p.get("key") for p in pages if isinstance(p, dict)
                         and isinstance(p.get("key"), str)}
    cleaned: list[dict] = []
    for index, page in enumerate(pages):
        place = Place(f"pages[{index}]")
        if not isinstance(page, dict):
            checker.error(place, None, "invalid_page", "A page must be an object.")
            continue
        key = _claim_key(page.get("key"), place, checker, seen_keys)
        place.page = key or None
        parent = page.get("parent")
        if parent is not None and not isinstance(parent, str):
            checker.error(place.child("parent"), "parent", "invalid_parent",
                          "parent is a page key or null.")
            parent = None
        slug = page.get("slug")
        slug = "" if slug is None else slug
        if not isinstance(slug, str):
            checker.error(place.child("slug"), "slug", "invalid_slug", "slug must be text.")
            slug = ""
        title = page.get("title")
        if not isinstance(title, str) or not title.strip():
            checker.error(place.child("title"), "title", "required", "The page needs a title.")
            title = ""
        elif len(title.strip()) > policy.PAGE_TITLE_MAX:
            checker.error(place.child("title"), "title", "too_long", _(
                "A page title is at most %(max)s characters.") % {"max": policy.PAGE_TITLE_MAX})
        elif refusal := policy.text_refusal(title):
            checker.error(place.child("title"), "title", refusal.code, refusal.message)
        description = page.get("description")
        if description is not None and not isinstance(description, str):
            checker.error(place.child("description"), "description", "invalid",
                          _("description must be text."))
            description = None
        elif description and len(description.strip()) > policy.PAGE_DESCRIPTION_MAX:
            checker.error(place.child("description"), "description", "too_long", _(
                "A page description is at most %(max)s characters.") % {
                    "max": policy.PAGE_DESCRIPTION_MAX})
        elif description and (refusal := policy.text_refusal(description)):
            checker.error(place.child("description"), "description", refusal.code,
                          refusal.message)
        sections = _clean_sections(page.get("sections"), place, checker, seen_keys)
        cleaned_page = {"key": key, "parent": parent, "slug": slug,
                        "title": title.strip()[:policy.PAGE_TITLE_MAX], "sections": sections}
        if description and description.strip():
            # What search results and shared links show; optional, a default is used.
            cleaned_page["description"] = description.strip()[:policy.PAGE_DESCRIPTION_MAX]
        cleaned.append(cleaned_page)
    _check_tree(cleaned, checker)
    return cleaned


def _check_tree(pages: list[dict], checker: Checker) -> None:
    """One home page; parents exist; depth <= 3; slugs valid and unique among siblings."""
    by_key = {p["key"]: p for p in pages if p["key"]}
    homes = [i for i, p in enumerate(pages) if p["parent"] is None]
    if len(homes) != 1:
        checker.error(Place("pages"), "parent", "home_page_count",
                      f"A Store has exactly one home page (parent null); found {len(homes)}.")
    for index, page in enumerate(pages):
        place = Place(f"pages[{index}]", page["key"] or None)
        if page["parent"] is None:
            if page["slug"] != "":
                checker.error(place.child("slug"), "slug", "home_slug",
                              'The home page\'s slug is "" (it lives at the Store\'s address).')
            continue
        if page["parent"] not in by_key:
            checker.error(place.child("parent"), "parent", "unknown_parent",
                          f"There is no page with key {page['parent']!r}.")
            continue
        if not page["slug"]:
            checker.error(place.child("slug"), "slug", "required",
                          "A sub-page needs a slug (its part of the address).")
        elif len(page["slug"]) > SLUG_MAX or not SLUG_RE.match(page["slug"]):
            checker.error(place.child("slug"), "slug", "invalid_slug",
                          "A slug is lowercase letters and digits separated by single hyphens, "
                          f"at most {SLUG_MAX} characters.")
        depth, cursor, visited = 1, page, {page["key"]}
        while cursor["parent"] is not None:
            cursor = by_key.get(cursor["parent"])
            if cursor is None or cursor["key"] in visited:
                depth = -1
                break
            visited.add(cursor["key"])
            depth += 1
        if depth == -1:
            checker.error(place.child("parent"), "parent", "page_cycle",
                          "This page does not lead back to the home page (a cycle).")
        elif depth > MAX_DEPTH:
            checker.error(place.child("parent"), "parent", "too_deep",
                          "Pages go at most 3 levels deep: the home page, its sub-pages and "
                          "theirs.")
    siblings: dict[tuple[str | None, str], int] = {}
    for index, page in enumerate(pages):
        if page["parent"] is None or not page["slug"]:
            continue
        ident = (page["parent"], page["slug"])
        if ident in siblings:
            checker.error(Place(f"pages[{index}].slug", page["key"] or None), "slug",
                          "duplicate_slug",
                          f"Another page under the same parent already uses the slug "
                          f"{page['slug']!r}.")
        siblings.setdefault(ident, index)


def _clean_sections(sections: Any, page_place: Place, checker: Checker,
                    seen_keys: set[str]) -> list[dict]:
    place = page_place.child("sections")
    if sections is None:
        return []
    if not isinstance(sections, list):
        checker.error(place, "sections", "invalid_sections", "sections must be a list.")
        return []
    if len(sections) > MAX_SECTIONS:
        checker.error(place, "sections", "too_many_sections",
                      f"A page holds at most {MAX_SECTIONS} sections; this one has "
                      f"{len(sections)}.")
        return []
    cleaned = []
    for index, section in enumerate(sections):
        s_place = Place(f"{place.path}[{index}]", page_place.page)
        if not isinstance(section, dict):
            checker.error(s_place, None, "invalid_section", "A section must be an object.")
            continue
        key = _claim_key(section.get("key"), s_place, checker, seen_keys)
        s_place.section = key or None
        layout = section.get("layout") or "full"
        if layout not in LAYOUTS:
            checker.error(s_place.child("layout"), "layout", "invalid_layout",
                          f"layout is one of: {', '.join(LAYOUTS)}.")
            layout = "full"
        tiles = section.get("tiles")
        tiles_place = s_place.child("tiles")
        if tiles is None:
            tiles = []
        if not isinstance(tiles, list):
            checker.error(tiles_place, "tiles", "invalid_tiles", "tiles must be a list.")
            tiles = []
        elif len(tiles) > MAX_TILES_PER_SECTION:
            checker.error(tiles_place, "tiles", "too_many_tiles",
                          f"A section holds at most {MAX_TILES_PER_SECTION} tiles.")
            tiles = []
        cleaned.append({
            "key": key,
            "layout": layout,
            "tiles": [t for i, tile in enumerate(tiles)
                      if (t := _clean_tile(tile, Place(f"{tiles_place.path}[{i}]", s_place.page,
                                                        s_place.section), checker, seen_keys))],
        })
    return cleaned


def _clean_tile(tile: Any, place: Place, checker: Checker, seen_keys: set[str]) -> dict | None:
    if not isinstance(tile, dict):
        checker.error(place, None, "invalid_tile", "A tile must be an object.")
        return None
    key = _claim_key(tile.get("key"), place, checker, seen_keys)
    place.tile = key or None
    try:
        tile_type = get_tile_type(tile.get("type"))
    except UnknownTileType:
        checker.error(place.child("type"), "type", "unknown_tile_type",
                      f"Unknown tile type {tile.get('type')!r}; the types are: "
                      f"{', '.join(tile_type_names())}.")
        return None
    visibility = tile.get("visibility") or VISIBILITY.default
    if visibility not in VISIBILITY.values():
        checker.error(place.child("visibility"), "visibility", "invalid_visibility",
                      _("visibility is one of: %(choices)s.")
                      % {"choices": ", ".join(VISIBILITY.values())})
        visibility = VISIBILITY.default
    config = tile_type.clean(ConfigReader(tile.get("config", {}), place, checker))
    return {"key": key, "type": tile_type.name, "visibility": visibility, "config": config}


def _resolve_references(checker: Checker, *, brand: Brand) -> None:
    """Products, images and categories named anywhere in the document: three queries."""
    asins = {r.value for r in checker.references if r.kind == "asin"}
    asset_ids = {r.value for r in checker.references if r.kind == "asset"}
    categories = {r.value for r in checker.references if r.kind == "category"}
    owners = dict(Product.objects.filter(asin__in=asins).values_list("asin", "brand_id")
                  ) if asins else {}
    own_assets = set(Asset.objects.filter(brand=brand, pk__in=asset_ids)
                     .values_list("pk", flat=True)) if asset_ids else set()
    known_categories = set(Category.objects.filter(slug__in=categories)
                           .values_list("slug", flat=True)) if categories else set()
    for ref in checker.references:
        if ref.kind == "asin":
            owner = owners.get(ref.value)
            if owner is None:
                checker.error(ref.place, ref.field, "unknown_asin",
                              f"No product has the ASIN {ref.value}.")
            elif owner != brand.pk:
                checker.error(ref.place, ref.field, "not_brand_product",
                              f"{ref.value} is not a product of {brand.name}.")
        elif ref.kind == "asset" and ref.value not in own_assets:
            checker.error(ref.place, ref.field, "unknown_asset",
                          f"Image {ref.value} is not one of {brand.name}'s uploaded images.")
        elif ref.kind == "category" and ref.value not in known_categories:
            checker.error(ref.place, ref.field, "unknown_category",
                          f"There is no category {ref.value!r}.")


# --- reading a (valid) document --------------------------------------------------------


def page_paths(document: dict) -> dict[str, str]:
    """{page key: path} where path is the slugs from the top joined by "/" ("" for home)."""
    by_key = {p["key"]: p for p in document.get("pages", [])}
    paths: dict[str, str] = {}
    for key, page in by_key.items():
        slugs, cursor, guard = [], page, 0
        while cursor is not None and cursor.get("parent") is not None and guard < MAX_DEPTH + 1:
            slugs.append(cursor.get("slug", ""))
            cursor = by_key.get(cursor["parent"])
            guard += 1
        paths[key] = "/".join(reversed(slugs))
    return paths


def home_page_key(document: dict) -> str | None:
    for page in iter_pages(document):
        if page.get("parent") is None:
            return page.get("key")
    return None


def find_page(document: dict, *, key: str | None = None, path: str | None = None) -> dict | None:
    """The page with this key, or at this path ("" = home)."""
    if key is not None:
        return next((p for p in document.get("pages", []) if p.get("key") == key), None)
    wanted = (path or "").strip("/")
    for page_key, page_path in page_paths(document).items():
        if page_path == wanted:
            return find_page(document, key=page_key)
    return None


# --- walking a document ------------------------------------------------------------------


@dataclass(frozen=True)
class TileAt:
    """One tile of a document with where it sits. Tolerates a malformed document (an old
    version, a test fixture): whatever is not a dict reads as empty."""

    page: dict
    section: dict
    tile: dict
    tiles_in_section: int

    @property
    def key(self) -> str:
        return str(self.tile.get("key") or "")

    @property
    def page_key(self) -> str:
        return str(self.page.get("key") or "")

    @property
    def section_key(self) -> str:
        return str(self.section.get("key") or "")

    @property
    def layout(self) -> str:
        return str(self.section.get("layout") or "full")

    @property
    def config(self) -> dict:
        config = self.tile.get("config")
        return config if isinstance(config, dict) else {}

    @property
    def tile_type(self) -> TileType | None:
        """The tile's type, or None when the registry does not know it (any more)."""
        try:
            return get_tile_type(self.tile.get("type"))
        except UnknownTileType:
            return None


def _dicts(value: Any) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def iter_pages(document: Any) -> Iterator[dict]:
    yield from _dicts(document.get("pages") if isinstance(document, dict) else None)


def iter_tiles(document: Any, *, page_key: str | None = None) -> Iterator[TileAt]:
    """Every tile of `document` (of one page when `page_key` is given), in page order."""
    for page in iter_pages(document):
        if page_key is not None and page.get("key") != page_key:
            continue
        for section in _dicts(page.get("sections")):
            tiles = _dicts(section.get("tiles"))
            for tile in tiles:
                yield TileAt(page, section, tile, len(tiles))


def section_layouts() -> list[dict]:
    """The section layouts an editor offers: value, label and column count."""
    return [{"value": value, "label": str(LAYOUT_LABELS[value]), "columns": columns}
            for value, columns in LAYOUTS.items()]
