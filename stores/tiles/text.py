"""Text tile: a short rich text (see stores.tiles.richtext for what is kept)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from .base import TileType
from .fields import ChoiceField, RichTextField
from .richtext import sanitise

if TYPE_CHECKING:
    from stores.rendering import PageCatalog


class TextTile(TileType):
    name = "text"
    label = _("Text")
    description = _("A heading and a few paragraphs, lists or quotes.")
    keeps_hero = True
    fields = (
        RichTextField("html", label=_("Text"), required=True,
                      default=_("<h2>Our story</h2><p>Tell shoppers what your brand stands "
                                "for.</p>"),
                      help=_("Headings, bold, italics, lists and links to pages of this Store "
                             "or to products are kept; pasted text loses any other "
                             "formatting.")),
        ChoiceField("align", label=_("Alignment"),
                    choices=(("start", _("Left")), ("center", _("Centred")))),
    )

    def context(self, config: dict, catalog: PageCatalog) -> dict:
        # Sanitised again at render time: a document stored before a rule change stays safe.
        html = sanitise(config.get("html") or "")
        return {"html": html, "empty": not html}
