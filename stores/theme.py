"""A Store's theme: its brand identity on every shopper page, in one place.

The theme is the document's `"theme"` object: `logo` and `banner` (images of the brand,
by Asset id, like image tiles), `accent_color` and `background_color` (`#rrggbb`) and
`font_pairing` (one of FONT_PAIRINGS: system font stacks only, nothing is downloaded).
Only `accent_color` existed at first: a document without the others reads as the defaults.

From the fields follow the theme's validation (`theme_clean`, called by
stores.documents), the builder's form (`theme_describe`) and what the shopper pages use
(`theme_look`): colours derived so that every text stays readable (WCAG 2.x AA, 4.5:1)
whatever the brand picked, and the contrast report the builder shows as warnings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .tiles.base import Checker, ConfigReader, Place
from .tiles.fields import ChoiceField, ColorField, ImageField, get_path, set_path

DEFAULT_ACCENT = "#0a7d5a"
DEFAULT_BACKGROUND = "#ffffff"
DEFAULT_FONTS = "system"
# WCAG 2.x level AA for normal text.
AA_MINIMUM = 4.5
INK = "#0f1111"  # the Store pages' text colour on light surfaces
MUTED = "#565959"  # secondary text on light surfaces
MUTED_ON_DARK = "#d5d9d9"
WHITE = "#ffffff"
BLACK = "#000000"
HEX_RE = re.compile(r"^#?([0-9a-fA-F]{6})$")


@dataclass(frozen=True)
class FontPairing:
    """Headings and body text as CSS font stacks of fonts computers already have."""

    key: str
    label: Any
    heading: str
    body: str


FONT_PAIRINGS: dict[str, FontPairing] = {p.key: p for p in (
    FontPairing("system", gettext_lazy("Clean (the device's own font)"),
                'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
                'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'),
    FontPairing("classic", gettext_lazy("Classic (serif headings, clean text)"),
                'Georgia, "Times New Roman", Times, serif',
                'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'),
    FontPairing("editorial", gettext_lazy("Editorial (serif throughout)"),
                '"Palatino Linotype", Palatino, "Book Antiqua", Georgia, serif',
                'Georgia, Cambria, "Times New Roman", Times, serif'),
    FontPairing("modern", gettext_lazy("Modern (geometric headings)"),
                '"Trebuchet MS", "Avenir Next", Avenir, "Segoe UI", Arial, sans-serif',
                '"Helvetica Neue", Helvetica, Arial, sans-serif'),
)}

# The theme's fields: the same field kinds as tiles, so the builder draws them with the
# same widgets (the image library, the colour input) and references resolve the same way.
FIELDS = (
    ImageField("logo", label=gettext_lazy("Logo"), alt=None, decorative=True,
               help=gettext_lazy("Shown in the Store's header, linked to its home page, and "
                                 "as the browser tab's icon. Its alt text is the Store's "
                                 "name.")),
    ImageField("banner", label=gettext_lazy("Banner image"), alt=None, decorative=True,
               help=gettext_lazy("A wide image across the top of the Store's home page.")),
    ColorField("accent_color", label=gettext_lazy("Accent colour"), default=DEFAULT_ACCENT,
               help=gettext_lazy("Buttons, links and highlights.")),
    ColorField("background_color", label=gettext_lazy("Background colour"),
               default=DEFAULT_BACKGROUND,
               help=gettext_lazy("Behind the Store's pages.")),
    ChoiceField("font_pairing", label=gettext_lazy("Fonts"), default=DEFAULT_FONTS,
                choices=tuple((p.key, p.label) for p in FONT_PAIRINGS.values())),
)
KNOWN_KEYS = frozenset(f.name for f in FIELDS)


def default_theme() -> dict:
    return {"accent_color": DEFAULT_ACCENT}


class _ThemeReader(ConfigReader):
    """Errors of the theme sit at `theme.<field>` (no tile, no `config`)."""

    def __init__(self, theme: dict, checker: Checker):
        self.place = Place("theme")
        self.checker = checker
        self.config = theme


def theme_clean(theme: Any, checker: Checker) -> dict:
    """The normal form of a document's theme: known fields only, colours lower-case, unset
    optional values left out (an old document with its accent only stays as it was).
    Wrong values and unknown keys are errors at `theme.<field>`; images are checked to be
    the brand's with the rest of the document's references."""
    if theme is None:
        return default_theme()
    if not isinstance(theme, dict):
        checker.error(Place("theme"), "theme", "invalid_theme", _("theme must be an object."))
        return default_theme()
    for key in sorted(set(theme) - KNOWN_KEYS, key=str):
        checker.error(Place(f"theme.{key}"), str(key), "unknown_field", _(
            "The theme has no setting %(name)s; its settings are: %(known)s.")
            % {"name": repr(key), "known": ", ".join(f.name for f in FIELDS)})
    reader = _ThemeReader(theme, checker)
    cleaned: dict = {}
    for f in FIELDS:
        value = get_path(theme, f.name)
        if value in (None, "") and f.name != "accent_color":
            continue  # not chosen: the default applies, and the document stays small
        set_path(cleaned, f.name, f.clean(value, reader, reader.place.child(f.name)))
    if not cleaned.get("accent_color"):
        cleaned["accent_color"] = DEFAULT_ACCENT
    # Defaults are not stored: a theme equal to the defaults is `{"accent_color": …}`.
    if cleaned.get("background_color") == DEFAULT_BACKGROUND:
        del cleaned["background_color"]
    if cleaned.get("font_pairing") == DEFAULT_FONTS:
        del cleaned["font_pairing"]
    return {k: v for k, v in cleaned.items() if v is not None}


def theme_describe() -> list[dict]:
    """The theme's fields for the builder's form (as GET /api/v1/tile-types/ does)."""
    return [f.describe() for f in FIELDS]


def theme_asset_ids(theme: Any) -> list[int]:
    """The images the theme shows (logo, banner)."""
    theme = theme if isinstance(theme, dict) else {}
    return [v for v in (theme.get("logo"), theme.get("banner"))
            if isinstance(v, int) and not isinstance(v, bool)]


# --- colour maths (WCAG 2.x) ---------------------------------------------------------------


def parse_hex(value: Any) -> tuple[int, int, int] | None:
    """`#rrggbb` or `rrggbb` -> (r, g, b) in 0..255; None when it is not a colour."""
    match = HEX_RE.match(value) if isinstance(value, str) else None
    if match is None:
        return None
    digits = match.group(1)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def to_hex(rgb: tuple[int, int, int]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def relative_luminance(color: str) -> float:
    """Relative luminance of an sRGB colour, 0 (black) to 1 (white), per WCAG 2.x."""
    rgb = parse_hex(color)
    if rgb is None:
        raise ValueError(f"Not a colour: {color!r}")

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two colours, 1 (none) to 21 (black on white); symmetric."""
    a, b = relative_luminance(first), relative_luminance(second)
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)


def readable_on(background: str, candidates: tuple[str, ...] = (INK, WHITE, BLACK)) -> str:
    """The first candidate that reaches AA on `background`, else the one with the most
    contrast (black or white always reaches 4.5:1 against any colour)."""
    for colour in candidates:
        if contrast_ratio(colour, background) >= AA_MINIMUM:
            return colour
    return max(candidates, key=lambda c: contrast_ratio(c, background))


def _mix(colour: str, toward: str, share: float) -> str:
    a, b = parse_hex(colour), parse_hex(toward)
    assert a is not None and b is not None
    return to_hex(tuple(x + (y - x) * share for x, y in zip(a, b, strict=True)))


def readable_shade(colour: str, background: str) -> str:
    """`colour` itself when it reads on `background` (AA), else the nearest shade of it
    toward black or white that does: links keep the brand's hue and stay legible."""
    if contrast_ratio(colour, background) >= AA_MINIMUM:
        return colour.lower()
    toward = readable_on(background, (BLACK, WHITE))
    for step in range(1, 21):
        shade = _mix(colour, toward, step / 20)
        if contrast_ratio(shade, background) >= AA_MINIMUM:
            return shade
    return toward


# --- what the shopper pages use ------------------------------------------------------------


@dataclass(frozen=True)
class Look:
    """A theme as the shopper pages apply it (all colours `#rrggbb`)."""

    accent: str
    background: str
    fonts: FontPairing
    logo: int | None
    banner: int | None

    @property
    def on_accent(self) -> str:
        """Text on accent-coloured buttons."""
        return readable_on(self.accent, (WHITE, INK, BLACK))

    @property
    def ink(self) -> str:
        """Text directly on the page background."""
        return readable_on(self.background)

    @property
    def muted(self) -> str:
        """Secondary text on the page background."""
        return readable_on(self.background, (MUTED, MUTED_ON_DARK, self.ink))

    @property
    def accent_text(self) -> str:
        """The accent where it is text on the page background (links)."""
        return readable_shade(self.accent, self.background)

    @property
    def accent_on_white(self) -> str:
        """The accent where it is text on white cards."""
        return readable_shade(self.accent, WHITE)

    @property
    def token(self) -> str:
        """The stylesheet's name: what its content depends on, so it is cached for ever.
        An accent-only theme keeps the old short name."""
        if self.background == DEFAULT_BACKGROUND and self.fonts.key == DEFAULT_FONTS:
            return self.accent.lstrip("#")
        return f"{self.accent.lstrip('#')}-{self.background.lstrip('#')}-{self.fonts.key}"

    def css_variables(self) -> dict[str, str]:
        return {
            "--sf-accent": self.accent, "--sf-on-accent": self.on_accent,
            "--sf-accent-text": self.accent_text, "--sf-accent-on-white": self.accent_on_white,
            "--sf-page-bg": self.background, "--sf-page-ink": self.ink,
            "--sf-page-muted": self.muted,
            "--sf-font-heading": self.fonts.heading, "--sf-font-body": self.fonts.body,
        }


def _colour(value: Any, default: str) -> str:
    return to_hex(rgb) if (rgb := parse_hex(value)) else default


def theme_look(document: Any) -> Look:
    """The look of a (published or draft) document; anything missing or malformed (an old
    version, a fixture) reads as the default."""
    theme = (document or {}).get("theme") if isinstance(document, dict) else None
    theme = theme if isinstance(theme, dict) else {}
    ids = {k: theme.get(k) for k in ("logo", "banner")}
    return Look(
        accent=_colour(theme.get("accent_color"), DEFAULT_ACCENT),
        background=_colour(theme.get("background_color"), DEFAULT_BACKGROUND),
        fonts=FONT_PAIRINGS.get(theme.get("font_pairing"), FONT_PAIRINGS[DEFAULT_FONTS]),
        logo=ids["logo"] if isinstance(ids["logo"], int) and not isinstance(ids["logo"], bool)
        else None,
        banner=ids["banner"] if isinstance(ids["banner"], int)
        and not isinstance(ids["banner"], bool) else None,
    )


def look_from_token(token: str) -> Look | None:
    """The look a stylesheet name stands for (see `Look.token`), or None."""
    parts = token.lower().split("-")
    if len(parts) == 1:
        parts += [DEFAULT_BACKGROUND.lstrip("#"), DEFAULT_FONTS]
    if len(parts) != 3 or parts[2] not in FONT_PAIRINGS:
        return None
    accent, background = parse_hex(parts[0]), parse_hex(parts[1])
    if accent is None or background is None:
        return None
    return Look(to_hex(accent), to_hex(background), FONT_PAIRINGS[parts[2]], None, None)


# --- the builder's contrast report ---------------------------------------------------------


def contrast_report(*, accent: str, background: str) -> list[dict]:
    """Each place a theme colour carries text, its contrast ratio and whether it reaches
    AA (4.5:1); below it, a warning for the brand saying what shoppers will see instead.
    Raises ValueError when a colour is not `#rrggbb`."""
    accent, background = accent.lower(), background.lower()
    if parse_hex(accent) is None or parse_hex(background) is None:
        raise ValueError("Colours are written #rrggbb.")
    look = Look(accent, background, FONT_PAIRINGS[DEFAULT_FONTS], None, None)
    checks = [
        ("text_on_background", _("Text on the background colour"), INK, background,
         _("Dark text is hard to read on this background: shoppers will see the Store's "
           "text in %(colour)s instead.") % {"colour": look.ink}),
        ("links_on_background", _("Links in the accent colour on the background"), accent,
         background,
         _("Links in your accent colour are hard to read on your background: shoppers will "
           "see them in the darker or lighter shade %(colour)s.") % {"colour": look.accent_text}),
        ("accent_on_white", _("Accent colour on white (product cards)"), accent, WHITE,
         _("Your accent colour is hard to read on white: on product cards shoppers will see "
           "the shade %(colour)s instead.") % {"colour": look.accent_on_white}),
        ("button_text", _("Button text on the accent colour"), look.on_accent, accent,
         _("Button labels on your accent colour are hard to read.")),
    ]
    if background == WHITE:
        checks = [c for c in checks if c[0] != "accent_on_white"]  # the same pair twice
    report = []
    for code, label, foreground, behind, warning in checks:
        ratio = contrast_ratio(foreground, behind)
        passes = ratio >= AA_MINIMUM
        report.append({
            "code": code, "label": str(label), "foreground": foreground, "background": behind,
            "ratio": round(ratio, 2), "minimum": AA_MINIMUM, "passes": passes,
            "message": "" if passes else str(warning),
        })
    return report
