"""What every tile type is: configuration schema and validation, product choice,
out-of-stock policy and template. A new tile type is one subclass (in its own module,
listed in stores.tiles.registry) and one template `templates/stores/tiles/<name>.html`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from catalog.models import ASIN_RE

if TYPE_CHECKING:
    from stores.rendering import PageCatalog

MAX_PRODUCTS = 48
TITLE_MAX = 120


class OutOfStock(Enum):
    """What a tile does with a product that cannot be bought right now."""

    HIDE = "hide"  # the card is not shown
    SHOW_UNBUYABLE = "show_unbuyable"  # image, title, link; no price, no Prime badge


@dataclass
class Place:
    """Where in the document an error is: the path and the page/section/tile keys."""

    path: str
    page: str | None = None
    section: str | None = None
    tile: str | None = None

    def child(self, suffix: str) -> Place:
        sep = "" if suffix.startswith("[") else "."
        return Place(f"{self.path}{sep}{suffix}", self.page, self.section, self.tile)


@dataclass
class Reference:
    """A product or asset a tile names; resolved in bulk after the whole document is read."""

    kind: str  # "asin" or "asset"
    value: Any
    place: Place
    field: str


@dataclass
class Checker:
    """Collects errors and references while a document is validated."""

    errors: list[dict] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    page_keys: set[str] = field(default_factory=set)

    def error(self, place: Place, field: str | None, code: str, message: str) -> None:
        self.errors.append({
            "path": place.path,
            "page": place.page,
            "section": place.section,
            "tile": place.tile,
            "field": field,
            "code": code,
            "message": message,
        })


class ConfigReader:
    """Typed reads of one tile's `config`, reporting errors at `config.<field>`."""

    def __init__(self, config: Any, place: Place, checker: Checker):
        self.place = place.child("config")
        self.checker = checker
        if not isinstance(config, dict):
            checker.error(self.place, None, "invalid_config",
                          "The tile's config must be an object.")
            config = {}
        self.config = config

    def error(self, name: str, code: str, message: str, place: Place | None = None) -> None:
        self.checker.error(place or self.place.child(name), name, code, message)

    def has(self, name: str) -> bool:
        return name in self.config and self.config[name] is not None

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self.config.get(name, default)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(name, "invalid_boolean", f"{name} must be true or false.")
            return default
        return value

    def integer(self, name: str, *, default: int | None, low: int, high: int,
                required: bool = False) -> int | None:
        value = self.config.get(name, default)
        if value is None:
            if required:
                self.error(name, "required", f"{name} is required.")
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(name, "invalid_integer", f"{name} must be a whole number.")
            return default
        if not low <= value <= high:
            self.error(name, "out_of_range", f"{name} must be between {low} and {high}.")
            return default
        return value

    def choice(self, name: str, choices: tuple[str, ...], default: str) -> str:
        value = self.config.get(name, default)
        if value is None:
            return default
        if value not in choices:
            self.error(name, "invalid_choice",
                       f"{name} must be one of: {', '.join(choices)}.")
            return default
        return value

    def text(self, name: str, *, max_length: int, required: bool = False,
             default: str = "") -> str:
        value = self.config.get(name, default)
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.error(name, "invalid_text", f"{name} must be text.")
            return default
        value = value.strip()
        if required and not value:
            self.error(name, "required", f"{name} is required.")
        elif len(value) > max_length:
            self.error(name, "too_long", f"{name} is at most {max_length} characters.")
            return value[:max_length]
        return value

    def asin(self, value: Any, place: Place, field: str) -> str | None:
        if not isinstance(value, str) or not ASIN_RE.match(value):
            self.checker.error(place, field, "invalid_asin",
                               "An ASIN is 10 capital letters or digits.")
            return None
        self.checker.references.append(Reference("asin", value, place, field))
        return value

    def asset(self, name: str, *, required: bool, value: Any = ..., place: Place | None = None,
              field: str | None = None) -> int | None:
        if value is ...:
            value = self.config.get(name)
        place = place or self.place.child(name)
        field = field or name
        if value is None:
            if required:
                self.checker.error(place, field, "required", f"{field} is required: pick an image.")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.checker.error(place, field, "invalid_asset", f"{field} must be an image id.")
            return None
        self.checker.references.append(Reference("asset", value, place, field))
        return value

    def alt(self, name: str = "alt", *, value: Any = ..., place: Place | None = None) -> str:
        """Alt text is required on every image: shoppers using screen readers need it."""
        if value is ...:
            value = self.config.get(name)
        place = place or self.place.child(name)
        if not isinstance(value, str) or not value.strip():
            self.checker.error(place, name, "missing_alt",
                               "Describe the image in alt text (it is required).")
            return ""
        value = value.strip()
        if len(value) > 250:
            self.checker.error(place, name, "too_long", "Alt text is at most 250 characters.")
        return value[:250]


@dataclass
class Choice:
    """The products a tile may show, best first, before live stock is applied.

    `limit` None: show all (curated). Automatic tiles keep more candidates than their
    limit so that live stock can skip the ones out of stock at request time.
    """

    product_ids: list[int]
    limit: int | None = None
    exclude_shown: bool = False  # skip products other tiles of the page show


@dataclass(frozen=True)
class CandidateQuery:
    """The top `count` of the brand's products an automatic tile may choose from, as one
    query: `filter` (besides the brand) ordered by `order_by`. `deals` ranks products by
    the end of their first deal not yet over (only products with one). The page's loader
    runs every tile's queries in one statement (stores.rendering.page_data), so a tile's
    cost does not grow with the brand's catalogue."""

    filter: Q
    order_by: tuple[str, ...]
    count: int
    deals: bool = False


class TileType:
    """Base of every tile type. Subclasses set the class attributes and override
    `clean` (and `choose` for product tiles, `context` for the template)."""

    name: str = ""
    label: str = ""
    description: str = ""
    shows_products: bool = False
    automatic: bool = False  # chooses its own products: out-of-stock ones are hidden
    # Shows a product only while one of its deals runs (else: always, with the deal price
    # while a deal runs).
    deals_only: bool = False
    # Holds a large image: in the first section of a page it loads at once (see rendering).
    large_image: bool = False
    # A static script the tile needs on the shopper page (e.g. "stores/video.js"): the page
    # includes it once, and only when such a tile is shown.
    script: str = ""
    # Per-item template for product tiles: each product is rendered once in stock and
    # once out of stock; live stock picks one per request.
    item_template: str = "stores/cards/product_card.html"

    @property
    def template_name(self) -> str:
        return f"stores/tiles/{self.name}.html"

    def default_config(self) -> dict:
        return {}

    def clean(self, reader: ConfigReader) -> dict:
        """Validate `reader.config`, report errors through `reader`, return the normal form."""
        return {}

    # --- products and stock -------------------------------------------------------

    def out_of_stock_policy(self, config: dict) -> OutOfStock | None:
        """The out-of-stock table of the product brief, in one place.

        Automatic tiles (featured deals, best sellers, recommended, automated grid) always
        hide what cannot be bought. Curated tiles (manual grid, product, shoppable image)
        show it without price and Prime badge, unless the brand suppresses it per tile.
        Tiles without products: None.
        """
        if not self.shows_products:
            return None
        if self.automatic:
            return OutOfStock.HIDE
        if config.get("hide_out_of_stock"):
            return OutOfStock.HIDE
        return OutOfStock.SHOW_UNBUYABLE

    def collapses_when_empty(self, config: dict) -> bool:
        """A product tile with nothing to show disappears rather than leaving an empty box."""
        return self.shows_products

    def chooses_from_brand(self, config: dict) -> bool:
        """Whether its products come from the brand's catalogue (not a curated list)."""
        return self.automatic

    def curated_asins(self, config: dict) -> list[str]:
        return []

    def asset_ids(self, config: dict) -> list[int]:
        return []

    def candidate_queries(self, config: dict, *, page_products: int) -> list[CandidateQuery]:
        """Automatic tiles: the queries their candidates come from (`page_products`: how
        many curated products the page shows, for tiles that skip those)."""
        return []

    def choose(self, config: dict, catalog: PageCatalog) -> Choice:
        return Choice([])

    def context(self, config: dict, catalog: PageCatalog) -> dict:
        """Extra template context (assets, embed URLs, text)."""
        return {}


def limit_field(reader: ConfigReader, default: int = 8) -> int:
    return reader.integer("limit", default=default, low=1, high=MAX_PRODUCTS) or default


def heading_field(reader: ConfigReader) -> str:
    return reader.text("title", max_length=TITLE_MAX)


KEYWORD_RE = re.compile(r"^[\w\s'&.-]{1,60}$", re.UNICODE)
