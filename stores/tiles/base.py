"""What every tile type is: its fields (from which validation, the starting config, the
builder's form and moderation's reading follow), its flags, product choice, out-of-stock
policy and template. A new tile type is one subclass (in its own module, listed in
stores.tiles.registry) and one template `templates/stores/tiles/<name>.html`.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.models import ASIN_RE

from .fields import ChoiceField, Field, ImageSlot, Link, Text, get_path, set_path

if TYPE_CHECKING:
    from stores.rendering import PageCatalog



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

    def entry(self, field: str | None, code: str, message: str) -> dict:
        """An error (or an incomplete value) at this place, as the API reports it."""
        return {"path": self.path, "page": self.page, "section": self.section,
                "tile": self.tile, "field": field, "code": code, "message": str(message)}


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
    # Required values not given yet: the draft is saved, submitting it is refused.
    incomplete: list[dict] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    page_keys: set[str] = field(default_factory=set)

    def error(self, place: Place, field: str | None, code: str, message: str) -> None:
        self.errors.append(place.entry(field, code, message))

    def missing(self, place: Place, field: str | None, code: str, message: str) -> None:
        self.incomplete.append(place.entry(field, code, message))


class ConfigReader:
    """One tile's `config` while it is validated: where errors go (`config.<field>`) and
    the typed reads the field kinds share."""

    def __init__(self, config: Any, place: Place, checker: Checker):
        self.place = place.child("config")
        self.checker = checker
        if not isinstance(config, dict):
            checker.error(self.place, None, "invalid_config",
                          _("The tile's config must be an object."))
            config = {}
        self.config = config

    def error(self, name: str, code: str, message: str, place: Place | None = None) -> None:
        self.checker.error(place or self.place.child(name), name, code, message)

    def reference(self, kind: str, value: Any, place: Place, field: str) -> None:
        """A product, image or category to look up once the whole document is read."""
        self.checker.references.append(Reference(kind, value, place, field))

    def asin(self, value: Any, place: Place, field: str) -> str | None:
        if not isinstance(value, str) or not ASIN_RE.match(value):
            self.checker.error(place, field, "invalid_asin",
                               _("An ASIN is 10 capital letters or digits."))
            return None
        self.reference("asin", value, place, field)
        return value

    def datetime(self, value: Any, *, place: Place, field: str, label: Any = "") -> datetime | None:
        """An ISO 8601 moment with its time zone (None when absent or wrong: wrong ones
        are reported)."""
        if value in (None, ""):
            return None
        try:
            moment = datetime.fromisoformat(value.strip()) if isinstance(value, str) else None
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            self.checker.error(place, field, "invalid_datetime", _(
                "%(label)s is a date and time with its time zone, e.g. "
                "2026-11-27T09:00:00+01:00.") % {"label": label or field})
            return None
        return moment


# Automatic tiles read this many candidates beyond their limit, so that live stock can
# skip out-of-stock ones at request time without a query. A few, not many: a tile whose
# candidates run out at a view reads more once (stores.rendering.page_data `grow`), so
# the spares cover ordinary stock churn and the rare tile that needs more pays for it.
CANDIDATE_EXTRA = 12

# The template of every tile that shows a heading and a list of product cards.
PRODUCT_LIST = "stores/tiles/_product_list.html"

# Where a tile shows: a property of the tile itself, not of its config.
VISIBILITY = ChoiceField("visibility", label=gettext_lazy("Show on"), choices=(
    ("all", gettext_lazy("Phones and desktops")),
    ("desktop", gettext_lazy("Desktops only")),
    ("phone", gettext_lazy("Phones only")),
))


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
    # Rows read for reference (e.g. a ranking's scale), not spare candidates: never
    # read in greater number when the tile's candidates run out.
    fixed: bool = False


class TileType:
    """Base of every tile type. A subclass sets its name, label, description, flags and
    `fields`; validation, the starting config, the builder's form and what moderation reads
    all follow from the fields. Product tiles also override `choose`; tiles whose template
    needs more than the config override `context`."""

    name: str = ""
    label: Any = ""
    description: Any = ""
    fields: tuple[Field, ...] = ()
    # --- flags (what the rest of the system asks instead of a tile's name) ---
    shows_products: bool = False
    automatic: bool = False  # chooses its own products: out-of-stock ones are hidden
    # Shows a product only while one of its deals runs (else: always, with the deal price
    # while a deal runs).
    deals_only: bool = False
    # Holds a large image: in the first section of a page it loads at once (see rendering).
    large_image: bool = False
    # Short enough to sit above the page's hero image without pushing it below the fold.
    keeps_hero: bool = False
    # A static script the tile needs on the shopper page (e.g. "stores/video.js"): the page
    # includes it once, and only when such a tile is shown.
    script: str = ""
    # Per-item template for product tiles: each product is rendered once in stock and
    # once out of stock; live stock picks one per request.
    item_template: str = "stores/cards/product_card.html"

    # The tile's template; by default templates/stores/tiles/<name>.html.
    template: str = ""

    @property
    def template_name(self) -> str:
        return self.template or f"stores/tiles/{self.name}.html"

    def flags(self) -> dict[str, bool]:
        return {"shows_products": self.shows_products, "automatic": self.automatic,
                "deals_only": self.deals_only, "large_image": self.large_image,
                "keeps_hero": self.keeps_hero}

    def describe(self) -> dict:
        """This type for the builder: GET /api/v1/tile-types/."""
        return {"name": self.name, "label": str(self.label),
                "description": str(self.description), "flags": self.flags(),
                "default_config": self.default_config(),
                "fields": [f.describe() for f in self.fields],
                "tile_fields": [VISIBILITY.describe()]}

    def shown_fields(self, config: dict) -> list[Field]:
        """The fields that apply to `config` (a field may depend on an earlier one)."""
        return [f for f in self.fields if f.shown(config)]

    def default_config(self) -> dict:
        config: dict = {}
        for f in self.fields:
            if f.shown(config):
                set_path(config, f.name, f.initial())
        return config

    def clean(self, reader: ConfigReader) -> dict:
        """Validate `reader.config` field by field, report errors and missing values
        through `reader`, return the normal form (fields that do not apply are dropped)."""
        cleaned: dict = {}
        for f in self.fields:
            if not f.shown(cleaned):
                continue
            value = get_path(reader.config, f.name)
            set_path(cleaned, f.name, f.clean(value, reader, reader.place.child(f.name)))
        return self.finish(cleaned, reader)

    def finish(self, cleaned: dict, reader: ConfigReader) -> dict:
        """After the fields: values derived from several of them."""
        return cleaned

    # --- what the tile shows (asked by moderation and the renderer) ---------------------

    def _ask(self, config: dict, question: str) -> list:
        config = config if isinstance(config, dict) else {}
        return [answer for f in self.shown_fields(config)
                for answer in getattr(f, question)(get_path(config, f.name), config)]

    def texts(self, config: dict) -> list[Text]:
        """Each text shoppers read, with its field and its limit."""
        return self._ask(config, "texts")

    def images(self, config: dict) -> list[ImageSlot]:
        """Each image slot, with its alt text and whether it may be a full-width image."""
        return self._ask(config, "images")

    def products(self, config: dict) -> list[str]:
        """Each ASIN the brand chose for this tile (in order, once each)."""
        return list(dict.fromkeys(self._ask(config, "products")))

    def links(self, config: dict) -> list[Link]:
        """Each place a click on this tile may lead."""
        return self._ask(config, "links")

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
        if self.chooses_from_brand(config):
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
        return self.products(config)

    def asset_ids(self, config: dict) -> list[int]:
        return [slot.asset for slot in self.images(config) if isinstance(slot.asset, int)]

    def replace_asset(self, config: dict, old: int, new: int) -> dict:
        """`config` with image `old` replaced by `new` in every field that holds images
        (each field kind knows its own shape); other values are left as they are."""
        config = copy.deepcopy(config) if isinstance(config, dict) else {}
        for f in self.fields:
            value = get_path(config, f.name)
            replaced = f.replace_asset(value, old, new)
            if replaced is not value:
                set_path(config, f.name, replaced)
        return config

    def candidate_queries(self, config: dict, *, page_products: int) -> list[CandidateQuery]:
        """Automatic tiles: the queries their candidates come from (`page_products`: how
        many products the page's tiles may show at most, curated ones and automatic tiles'
        limits, for tiles that skip those)."""
        return []

    def choose(self, config: dict, catalog: PageCatalog) -> Choice:
        return Choice(catalog.ids_for_asins(self.curated_asins(config))
                      if self.shows_products else [])

    def context(self, config: dict, catalog: PageCatalog) -> dict:
        """Extra template context (assets, embed URLs, text)."""
        return {}

    def item_context(self, config: dict, product_id: int, catalog: PageCatalog) -> dict:
        """Extra context of one product's card (e.g. where its hot-spot sits)."""
        return {}
