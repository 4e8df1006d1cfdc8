"""The fields a tile's configuration is made of, one class per kind.

A tile type lists its fields; from that list come its validation (`clean`), its starting
configuration (`default_config`), the builder's settings form (`describe`, exported by
GET /api/v1/tile-types/) and what moderation reads (`texts`, `images`, `products`,
`links`). A field's `name` may be a dotted path into the config (`rule.keyword`).

A *missing* required value (no product, no image, no alt text yet) is reported as
incomplete: the draft is still saved. A *wrong* value is an error: nothing is saved.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stores import content_policy as policy

from .richtext import refused_tags, sanitise

if TYPE_CHECKING:
    from .base import ConfigReader, Place


# --- what a tile tells moderation ------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A text shoppers read, with the field it is in and its length limit."""

    field: str
    value: str
    limit: int
    html: bool = False


@dataclass(frozen=True)
class ImageSlot:
    """An image a tile shows: its asset id, its alt text and whether it may be the page's
    full-width (hero) image, which needs a larger width."""

    field: str
    asset: Any
    alt: str = ""
    decorative: bool = False  # needs no alt text (e.g. a poster under a written title)
    may_be_hero: bool = False


@dataclass(frozen=True)
class Link:
    """Where a tile sends shoppers: kind "page", "product", "url" (in text) or "video"."""

    field: str
    kind: str
    target: str


# --- dotted paths ------------------------------------------------------------------------


def get_path(config: Any, name: str) -> Any:
    value = config
    for part in name.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def set_path(config: dict, name: str, value: Any) -> None:
    *parents, last = name.split(".")
    for part in parents:
        config = config.setdefault(part, {})
    config[last] = value


# --- the field kinds ---------------------------------------------------------------------


class Field:
    """One value of a tile's configuration."""

    kind: ClassVar[str] = ""

    def __init__(self, name: str, *, label, help="", required: bool = False,  # noqa: A002
                 default: Any = None, show_if: dict | None = None):
        self.name = name
        self.label = label
        self.help = help
        self.required = required
        self.default = default
        self.show_if = show_if or {}

    # The field's part of the builder's form schema.
    def describe(self) -> dict:
        return {
            "name": self.name, "kind": self.kind, "label": str(self.label),
            "help": str(self.help), "required": self.required, "default": self.initial(),
            "choices": [], "min": None, "max": None, "max_length": None, "max_items": None,
            "show_if": dict(self.show_if),
        }

    def initial(self) -> Any:
        """The value a new tile starts with (a fresh copy each time)."""
        return _fresh(self.default)

    def shown(self, values: dict) -> bool:
        """Whether the field applies, given the values of the fields before it."""
        return all(get_path(values, k) == v for k, v in self.show_if.items())

    def clean(self, value: Any, reader: ConfigReader, place: Place) -> Any:
        return value

    # What moderation asks of a cleaned value (`config` is the whole tile config).
    def texts(self, value: Any, config: dict) -> list[Text]:
        return []

    def images(self, value: Any, config: dict) -> list[ImageSlot]:
        return []

    def products(self, value: Any, config: dict) -> list[str]:
        return []

    def links(self, value: Any, config: dict) -> list[Link]:
        return []

    def replace_asset(self, value: Any, old: int, new: int) -> Any:
        """The value with image `old` replaced by `new` (fields that hold images only)."""
        return value

    # Helpers shared by the kinds.
    def missing(self, reader: ConfigReader, place: Place, message: str | None = None,
                code: str = "required") -> None:
        reader.checker.missing(place, self.name, code,
                               message or _("%(label)s is required.") % {"label": self.label})

    def error(self, reader: ConfigReader, place: Place, code: str, message: str) -> None:
        reader.checker.error(place, self.name, code, message)


class TextField(Field):
    """A line of text. `public=False`: shoppers never read it (a search keyword)."""

    kind = "text"

    def __init__(self, name: str, *, max_length: int, public: bool = True,
                 pattern: re.Pattern | None = None, pattern_message: Any = "",
                 pattern_code: str = "invalid_text", fallback: Any = "", **kwargs):
        kwargs.setdefault("default", "")
        super().__init__(name, **kwargs)
        self.max_length = max_length
        self.public = public
        self.pattern = pattern
        self.pattern_message = pattern_message
        self.pattern_code = pattern_code
        self.fallback = fallback  # what an empty value becomes

    def describe(self) -> dict:
        return {**super().describe(), "max_length": self.max_length}

    def clean(self, value, reader, place):
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.error(reader, place, "invalid_text", _("%(label)s must be text.")
                       % {"label": self.label})
            return _fresh(self.fallback)
        value = value.strip()
        if not value:
            if self.required:
                self.missing(reader, place)
            return _fresh(self.fallback)
        if len(value) > self.max_length:
            self.error(reader, place, "too_long",
                       _("%(label)s is at most %(max)s characters.")
                       % {"label": self.label, "max": self.max_length})
            return value[: self.max_length]
        if self.pattern is not None and not self.pattern.match(value):
            self.error(reader, place, self.pattern_code, str(self.pattern_message))
            return _fresh(self.fallback)
        if self.public:
            refusal = policy.text_refusal(value)
            if refusal:
                self.error(reader, place, refusal.code, refusal.message)
        return value

    def texts(self, value, config):
        if not self.public or not isinstance(value, str) or not value.strip():
            return []
        return [Text(self.name, value, self.max_length)]


class AltTextField(TextField):
    """An image's alt text: required on every image (screen readers read it)."""

    def __init__(self, name: str = "alt", **kwargs):
        kwargs.setdefault("label", gettext_lazy("Alt text (describe the image)"))
        kwargs.setdefault("help", gettext_lazy(
            "What the image shows, for shoppers who cannot see it."))
        kwargs.setdefault("required", True)
        super().__init__(name, max_length=policy.ALT_TEXT_MAX, **kwargs)

    def missing(self, reader, place, message=None, code="required"):
        super().missing(reader, place, _("Describe the image in alt text (it is required)."),
                        code="missing_alt")


class RichTextField(Field):
    """Formatted text (headings, paragraphs, emphasis, lists, quotes, links), stored as
    sanitised HTML. Links may only point inside the marketplace."""

    kind = "rich_text"

    def __init__(self, name: str, **kwargs):
        kwargs.setdefault("default", "")
        super().__init__(name, **kwargs)

    def describe(self) -> dict:
        return {**super().describe(), "max_length": policy.RICH_TEXT_HTML_MAX}

    def clean(self, value, reader, place):
        if value is None or (isinstance(value, str) and not value.strip()):
            if self.required:
                self.missing(reader, place, _("Write some text."))
            return ""
        if not isinstance(value, str):
            self.error(reader, place, "invalid_text", _("%(label)s must be text.")
                       % {"label": self.label})
            return ""
        if len(value) > policy.RICH_TEXT_HTML_MAX:
            self.error(reader, place, "too_long",
                       _("Text is at most %(max)s characters of HTML.")
                       % {"max": policy.RICH_TEXT_HTML_MAX})
            return ""
        refused = refused_tags(value)
        if refused:
            names = ", ".join(f"<{tag}>" for tag in refused)
            self.error(reader, place, "unsafe_html",
                       _("Text may not contain %(tags)s: only headings, paragraphs, emphasis, "
                         "lists, quotes and links are allowed.") % {"tags": names})
            return ""
        cleaned = sanitise(value)
        if not cleaned:
            if self.required:
                self.missing(reader, place, _("Write some text."))
            return ""
        refusal = policy.text_refusal(cleaned, html=True, limit=policy.BODY_TEXT_MAX)
        if refusal:
            self.error(reader, place, refusal.code, refusal.message)
        return cleaned

    def texts(self, value, config):
        if not isinstance(value, str) or not value.strip():
            return []
        return [Text(self.name, value, policy.BODY_TEXT_MAX, html=True)]

    def links(self, value, config):
        if not isinstance(value, str):
            return []
        return [Link(self.name, "url", href) for href in policy.hrefs(value)]


class IntegerField(Field):
    kind = "integer"

    def __init__(self, name: str, *, min: int, max: int, **kwargs):  # noqa: A002
        super().__init__(name, **kwargs)
        self.min = min
        self.max = max

    def describe(self) -> dict:
        return {**super().describe(), "min": self.min, "max": self.max}

    def clean(self, value, reader, place):
        if value is None:
            if self.required and self.default is None:
                self.missing(reader, place)
            return self.default
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(reader, place, "invalid_integer", _("%(label)s must be a whole number.")
                       % {"label": self.label})
            return self.default
        if not self.min <= value <= self.max:
            self.error(reader, place, "out_of_range",
                       _("%(label)s must be between %(min)s and %(max)s.")
                       % {"label": self.label, "min": self.min, "max": self.max})
            return self.default
        return value


class ChoiceField(Field):
    kind = "choice"

    def __init__(self, name: str, *, choices: tuple[tuple[str, Any], ...], **kwargs):
        kwargs.setdefault("default", choices[0][0])
        super().__init__(name, **kwargs)
        self.choices = choices

    def values(self) -> tuple[str, ...]:
        return tuple(value for value, _label in self.choices)

    def describe(self) -> dict:
        return {**super().describe(),
                "choices": [{"value": v, "label": str(label)} for v, label in self.choices]}

    def clean(self, value, reader, place):
        if value is None:
            return self.default
        if value not in self.values():
            self.error(reader, place, "invalid_choice",
                       _("%(label)s must be one of: %(choices)s.")
                       % {"label": self.label, "choices": ", ".join(self.values())})
            return self.default
        return value


class BooleanField(Field):
    kind = "boolean"

    def __init__(self, name: str, **kwargs):
        kwargs.setdefault("default", False)
        super().__init__(name, **kwargs)

    def clean(self, value, reader, place):
        if value is None:
            return self.default
        if not isinstance(value, bool):
            self.error(reader, place, "invalid_boolean", _("%(label)s must be true or false.")
                       % {"label": self.label})
            return self.default
        return value


class ColorField(Field):
    kind = "color"

    def clean(self, value, reader, place):
        if value in (None, ""):
            if self.required:
                self.missing(reader, place)
            return self.default
        if not isinstance(value, str) or not COLOR_RE.match(value):
            self.error(reader, place, "invalid_color",
                       _("A colour is written #rrggbb, e.g. #0a7d5a."))
            return self.default
        return value.lower()


COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


class DateTimeField(Field):
    """A moment, written ISO 8601 with its time zone; stored in that form."""

    kind = "datetime"

    def clean(self, value, reader, place):
        moment = reader.datetime(value, place=place, field=self.name, label=self.label)
        if moment is None:
            if value in (None, "") and self.required:
                self.missing(reader, place)
            return None
        return moment.isoformat()


class ImageField(Field):
    """One uploaded image of the brand (an Asset id). `alt`: the field holding its alt
    text; `decorative`: needs none. `may_be_hero`: it can be a page's full-width image."""

    kind = "image"

    def __init__(self, name: str, *, alt: str | None = "alt", decorative: bool = False,
                 may_be_hero: bool = False, **kwargs):
        super().__init__(name, **kwargs)
        self.alt = alt
        self.decorative = decorative
        self.may_be_hero = may_be_hero

    def describe(self) -> dict:
        return {**super().describe(), "alt_field": self.alt}

    def clean(self, value, reader, place):
        return clean_asset(self, value, reader, place)

    def replace_asset(self, value, old, new):
        return new if _same_asset(value, old) else value

    def images(self, value, config):
        if value is None:
            return []
        alt = get_path(config, self.alt) if self.alt else ""
        return [ImageSlot(self.name, value, alt if isinstance(alt, str) else "",
                          decorative=self.decorative, may_be_hero=self.may_be_hero)]


def _same_asset(value: Any, asset: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value == asset


def clean_asset(field: Field, value: Any, reader: ConfigReader, place: Place) -> int | None:
    if value is None:
        if field.required:
            field.missing(reader, place, _("%(label)s is required: pick an image.")
                          % {"label": field.label})
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        field.error(reader, place, "invalid_asset", _("%(label)s must be an image id.")
                    % {"label": field.label})
        return None
    reader.reference("asset", value, place, field.name)
    return value


class ImagesField(Field):
    """A list of images, each `{"asset": id, "alt": "…"}` (a gallery)."""

    kind = "images"

    def __init__(self, name: str, *, max_items: int, **kwargs):
        kwargs.setdefault("default", [])
        super().__init__(name, **kwargs)
        self.max_items = max_items

    def describe(self) -> dict:
        return {**super().describe(), "max_items": self.max_items,
                "max_length": policy.ALT_TEXT_MAX}

    def clean(self, value, reader, place):
        if value is None or value == []:
            if self.required:
                self.missing(reader, place, _("Add at least one image."))
            return []
        if not isinstance(value, list):
            self.error(reader, place, "invalid_images", _("%(label)s must be a list.")
                       % {"label": self.label})
            return []
        if len(value) > self.max_items:
            self.error(reader, place, "too_many", _("At most %(max)s images.")
                       % {"max": self.max_items})
            return []
        alt = AltTextField(self.name)
        cleaned = []
        for index, item in enumerate(value):
            item_place = place.child(f"[{index}]")
            if not isinstance(item, dict):
                self.error(reader, item_place, "invalid_image",
                           _('Each image is {"asset": id, "alt": "…"}.'))
                continue
            image = ImageField(self.name, label=self.label, required=True)
            cleaned.append({
                "asset": image.clean(item.get("asset"), reader, item_place.child("asset")),
                "alt": alt.clean(item.get("alt"), reader, item_place.child("alt")),
            })
        return cleaned

    def _items(self, value) -> list[dict]:
        return [i for i in value if isinstance(i, dict)] if isinstance(value, list) else []

    def texts(self, value, config):
        return [Text(self.name, i["alt"], policy.ALT_TEXT_MAX)
                for i in self._items(value) if isinstance(i.get("alt"), str) and i["alt"]]

    def images(self, value, config):
        return [ImageSlot(self.name, i.get("asset"), str(i.get("alt") or ""))
                for i in self._items(value)]

    def replace_asset(self, value, old, new):
        if not isinstance(value, list):
            return value
        return [{**item, "asset": new} if isinstance(item, dict)
                and _same_asset(item.get("asset"), old) else item for item in value]


class ProductField(Field):
    """One product of the brand, by ASIN."""

    kind = "product"

    def __init__(self, name: str, **kwargs):
        kwargs.setdefault("default", "")
        super().__init__(name, **kwargs)

    def clean(self, value, reader, place):
        if value in (None, ""):
            if self.required:
                self.missing(reader, place, _("Pick a product."))
            return ""
        return reader.asin(value, place, self.name) or ""

    def products(self, value, config):
        return [value] if isinstance(value, str) and value else []


class ProductsField(Field):
    """A curated list of the brand's products, by ASIN, in the order shown."""

    kind = "products"

    def __init__(self, name: str, *, max_items: int, **kwargs):
        kwargs.setdefault("default", [])
        super().__init__(name, **kwargs)
        self.max_items = max_items

    def describe(self) -> dict:
        return {**super().describe(), "max_items": self.max_items}

    def clean(self, value, reader, place):
        if value is None or value == []:
            if self.required:
                self.missing(reader, place, _("Pick at least one product."))
            return []
        if not isinstance(value, list):
            self.error(reader, place, "invalid_products", _("%(label)s must be a list of ASINs.")
                       % {"label": self.label})
            return []
        if len(value) > self.max_items:
            self.error(reader, place, "too_many", _("At most %(max)s products.")
                       % {"max": self.max_items})
            return []
        cleaned: list[str] = []
        for index, item in enumerate(value):
            item_place = place.child(f"[{index}]")
            asin = reader.asin(item, item_place, self.name)
            if asin is None:
                continue
            if asin in cleaned:
                self.error(reader, item_place, "duplicate_asin",
                           _("%(asin)s is already in this list.") % {"asin": asin})
                continue
            cleaned.append(asin)
        return cleaned

    def products(self, value, config):
        return [a for a in value if isinstance(a, str)] if isinstance(value, list) else []


class HotspotsField(Field):
    """Points on an image, each `{"x": 0-100, "y": 0-100, "asin": "…"}` (percent)."""

    kind = "hotspots"

    def __init__(self, name: str, *, max_items: int, **kwargs):
        kwargs.setdefault("default", [])
        super().__init__(name, **kwargs)
        self.max_items = max_items

    def describe(self) -> dict:
        return {**super().describe(), "max_items": self.max_items, "min": 0, "max": 100}

    def clean(self, value, reader, place):
        if value is None or value == []:
            if self.required:
                self.missing(reader, place, _("Add at least one hot-spot on a product."))
            return []
        if not isinstance(value, list):
            self.error(reader, place, "invalid_hotspot", _("%(label)s must be a list.")
                       % {"label": self.label})
            return []
        if len(value) > self.max_items:
            self.error(reader, place, "too_many", _("At most %(max)s hot-spots.")
                       % {"max": self.max_items})
            return []
        cleaned, seen = [], set()
        for index, spot in enumerate(value):
            spot_place = place.child(f"[{index}]")
            if not isinstance(spot, dict):
                self.error(reader, spot_place, "invalid_hotspot",
                           _('A hot-spot is {"x": 0-100, "y": 0-100, "asin": "…"}.'))
                continue
            point = {}
            for axis in ("x", "y"):
                number = spot.get(axis)
                if isinstance(number, bool) or not isinstance(number, int | float) or not (
                        0 <= number <= 100):
                    self.error(reader, spot_place.child(axis), "out_of_range",
                               _("%(axis)s is a percentage from 0 to 100.") % {"axis": axis})
                    number = 0
                point[axis] = round(float(number), 2)
            asin = spot.get("asin")
            if asin in (None, ""):
                self.missing(reader, spot_place.child("asin"),
                             _("Pick the product of this hot-spot."))
                continue
            asin = reader.asin(asin, spot_place.child("asin"), self.name)
            if asin and asin in seen:
                self.error(reader, spot_place.child("asin"), "duplicate_asin",
                           _("%(asin)s already has a hot-spot.") % {"asin": asin})
                continue
            if asin:
                seen.add(asin)
                cleaned.append({**point, "asin": asin})
        return cleaned

    def products(self, value, config):
        if not isinstance(value, list):
            return []
        return [s["asin"] for s in value if isinstance(s, dict) and isinstance(s.get("asin"), str)]


class LinkField(Field):
    """Where a click goes, inside the marketplace only: `{"page": "<page key>"}` (a page of
    this Store) or `{"asin": "<ASIN>"}` (a product's page)."""

    kind = "link"

    def clean(self, value, reader, place):
        if value in (None, "", {}):
            if self.required:
                self.missing(reader, place)
            return None
        if not isinstance(value, dict) or len([k for k in ("page", "asin") if value.get(k)]) != 1:
            self.error(reader, place, "invalid_link",
                       _('A link is {"page": "<page key>"} or {"asin": "<ASIN>"}; links to '
                         "other sites are not allowed."))
            return None
        if value.get("page"):
            page = value["page"]
            if not isinstance(page, str) or page not in reader.checker.page_keys:
                self.error(reader, place.child("page"), "unknown_page",
                           _("There is no page with key %(key)r.") % {"key": page})
                return None
            return {"page": page}
        asin = reader.asin(value["asin"], place.child("asin"), self.name)
        return {"asin": asin} if asin else None

    def products(self, value, config):
        return [value["asin"]] if isinstance(value, dict) and value.get("asin") else []

    def links(self, value, config):
        if not isinstance(value, dict):
            return []
        if value.get("page"):
            return [Link(self.name, "page", value["page"])]
        if value.get("asin"):
            return [Link(self.name, "product", value["asin"])]
        return []


class VideoUrlField(Field):
    """A video's address on a host whose player the shopper page embeds."""

    kind = "video_url"

    def __init__(self, name: str, **kwargs):
        kwargs.setdefault("default", "")
        super().__init__(name, **kwargs)

    def describe(self) -> dict:
        return {**super().describe(), "max_length": policy.URL_MAX}

    def clean(self, value, reader, place):
        if value in (None, "") or (isinstance(value, str) and not value.strip()):
            if self.required:
                self.missing(reader, place)
            return ""
        if not isinstance(value, str) or len(value.strip()) > policy.URL_MAX:
            self.error(reader, place, "unsupported_video",
                       _("Use an https link to a YouTube or Vimeo video."))
            return ""
        value = value.strip()
        if policy.parse_video_url(value) is None:
            self.error(reader, place, "unsupported_video",
                       _("Use an https link to a YouTube or Vimeo video."))
            return ""
        return value

    def links(self, value, config):
        return [Link(self.name, "video", value)] if isinstance(value, str) and value else []


class CategoryField(Field):
    """A catalogue category, by slug."""

    kind = "category"

    def clean(self, value, reader, place):
        if value in (None, ""):
            if self.required:
                self.missing(reader, place)
            return None
        if not isinstance(value, str):
            self.error(reader, place, "invalid_category", _("Pick a category."))
            return None
        reader.reference("category", value, place, self.name)
        return value


def _fresh(value: Any) -> Any:
    """A default as stored: a new list each time, lazy translations as text."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, list | tuple):
        return list(value)
    return value


# --- fields several tile types share ---------------------------------------------------


def heading_field(default: Any = "") -> TextField:
    return TextField("title", label=gettext_lazy("Heading"), max_length=policy.HEADING_MAX,
                     default=default,
                     help=gettext_lazy("Shown above the tile; leave empty for none."))


def limit_field(default: int = 8, **kwargs) -> IntegerField:
    return IntegerField("limit", label=gettext_lazy("How many products (at most)"), min=1,
                        max=MAX_PRODUCTS, default=default, **kwargs)


MAX_PRODUCTS = 48


def parse_datetime_value(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None
