"""The one builder of Store documents for every test: pages, sections, tiles, and the
helpers that turn a document into a published version."""
from __future__ import annotations

import re

from django.utils import timezone

from stores.models import Store, StoreVersion

NAME = "Acme Outdoor"
ACCENT = "#0a7d5a"


def tile(key: str, type_: str, *, visibility: str | None = None, **config) -> dict:
    made = {"key": key, "type": type_, "config": config}
    if visibility is not None:
        made["visibility"] = visibility
    return made


def section(key: str, *tiles, layout: str = "full") -> dict:
    return {"key": key, "layout": layout, "tiles": list(tiles)}


def page(key: str, *sections, parent: str | None = "home", slug: str | None = None,
         title: str | None = None) -> dict:
    return {"key": key, "parent": parent, "slug": "" if parent is None else (slug or key),
            "title": title or key.title(), "sections": list(sections)}


def home_document(*sections, pages=None, name: str = NAME) -> dict:
    """A Store whose home page holds `sections`, with `pages` below it."""
    return {
        "name": name,
        "theme": {"accent_color": ACCENT},
        "pages": [page("home", *sections, parent=None, title="Home"), *(pages or [])],
    }


def grid_document(asins: list[str], *, name: str = NAME) -> dict:
    """A valid Store document: a home page with one manual product grid."""
    return home_document(section("s1", tile("t1", "product_grid", visibility="all",
                                            mode="manual", title="", asins=asins,
                                            hide_out_of_stock=False)), name=name)


def store_document(asins: list[str], *, text: str = "<p>Built for the trail.</p>") -> dict:
    """Two pages: a manual grid and a text on the home page, best sellers below it."""
    return home_document(
        section("s1",
                tile("t1", "product_grid", mode="manual", asins=asins, hide_out_of_stock=False),
                tile("t2", "text", html=text)),
        pages=[page("p2", section("s2", tile("t3", "best_sellers", limit=8)),
                    slug="tents", title="Tents")],
    )


def publish(store: Store, document: dict, **version_fields) -> StoreVersion:
    """Make `document` a version of `store` and publish it (what moderation does)."""
    number = store.versions.count() + 1
    version = StoreVersion.objects.create(
        store=store, number=number, document=document, source_revision=store.revision,
        approved_at=timezone.now(), **version_fields,
    )
    if not version_fields.get("schedule_starts_at"):
        store.published_version = version
        store.save(update_fields=["published_version"])
    return version


def published_document(store_brand, document: dict) -> dict:
    """The normal form, as a version holds it."""
    from stores.documents import validate_store_document

    return validate_store_document(document, brand=store_brand)


def card_html(html: str, asin: str) -> str | None:
    """The HTML of the first card of `asin` on the page (None when absent)."""
    at = html.find(f'data-asin="{asin}"')
    if at == -1:
        return None
    start = html.rfind("<", 0, at)
    tag = re.match(r"<(\w+)", html[start:]).group(1)
    end = html.find(f"</{tag}>", at)
    return html[start:end + len(tag) + 3]


def tile_present(html: str, key: str) -> bool:
    return f'data-tile="{key}"' in html


# --- configs from a tile type's field schema ------------------------------------------

# A value per field kind that the content policy accepts and moderation passes.
SAMPLE_TEXT = "Tents for every trail"
SAMPLE_HTML = "<h2>Our story</h2><p>We make tents for every trail.</p>"
SAMPLE_VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
SAMPLE_MOMENT = "2026-12-24T18:00:00+01:00"


def filled_config(tile_type, *, asins: list[str], asset: int, category: str | None = None,
                  page: str = "home", **choices) -> dict:
    """Every field of `tile_type` given a good value, read from its schema only (so a new
    tile type needs nothing here). `choices` picks a value for choice fields by name."""
    from stores.tiles.fields import set_path

    config: dict = {}
    for field in tile_type.describe()["fields"]:
        if not all(config_value(config, k) == v for k, v in field["show_if"].items()):
            continue
        set_path(config, field["name"], _sample(field, asins=asins, asset=asset,
                                                 category=category, page=page,
                                                 choices=choices))
    return config


def config_value(config: dict, name: str):
    from stores.tiles.fields import get_path

    return get_path(config, name)


def _sample(field: dict, *, asins, asset, category, page, choices):
    kind = field["kind"]
    if field["name"] in choices:
        return choices[field["name"]]
    if kind == "text":
        # A field shoppers never read (a search keyword) still gets a word it accepts.
        return "tent" if field["name"].endswith("keyword") else SAMPLE_TEXT[
            : field["max_length"] or None]
    if kind == "integer":
        return min(field["max"], max(field["min"], 4))
    return {
        "rich_text": SAMPLE_HTML,
        "choice": field["default"],
        "boolean": False,
        "color": "#0a7d5a",
        "datetime": SAMPLE_MOMENT,
        "image": asset,
        "images": [{"asset": asset, "alt": "A tent at dusk"}],
        "product": asins[0],
        "products": asins[:3],
        "hotspots": [{"x": 30, "y": 40, "asin": asins[0]}, {"x": 70, "y": 60, "asin": asins[1]}],
        "link": {"page": page},
        "video_url": SAMPLE_VIDEO,
        "category": category,
    }[kind]
