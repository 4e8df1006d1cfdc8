"""A tile type that exists only in the test suite: one class here and one template in
tests/templates/, registered by the `countdown_tile` fixture. It proves that a tile type
needs nothing else to be validated, drawn by the builder, rendered and moderated."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from stores.tiles.base import TileType
from stores.tiles.fields import AltTextField, DateTimeField, ImageField, LinkField, TextField


class CountdownTile(TileType):
    name = "countdown"
    label = _("Countdown")
    description = _("A headline with the moment a sale ends, over an image.")
    keeps_hero = True
    fields = (
        TextField("headline", label=_("Headline"), max_length=80, required=True),
        DateTimeField("ends_at", label=_("Ends at"), required=True),
        ImageField("image", label=_("Background image"), required=True),
        AltTextField(),
        LinkField("link", label=_("Link (optional)")),
    )
