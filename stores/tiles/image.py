"""Image tile: one brand image with alt text, an optional phone image and link."""
from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from .base import TileType
from .fields import AltTextField, ImageField, LinkField

if TYPE_CHECKING:
    from stores.rendering import PageCatalog


class ImageTile(TileType):
    name = "image"
    label = _("Image")
    large_image = True
    description = _("A banner or picture. Alt text is required; a separate phone image may "
                    "replace it on small screens. May link to a page of the Store or a product.")
    fields = (
        ImageField("asset", label=_("Image"), required=True, may_be_hero=True),
        AltTextField(),
        ImageField("phone_asset", label=_("Phone image (optional)"),
                   help=_("Shown instead on small screens; it shares the alt text.")),
        LinkField("link", label=_("Link (optional)"),
                  help=_("A page of this Store or a product's page.")),
    )

    def context(self, config: dict, catalog: PageCatalog) -> dict:
        asset = catalog.assets.get(config.get("asset"))
        return {
            "empty": asset is None,
            "asset": asset,
            "phone_asset": catalog.assets.get(config.get("phone_asset")),
            "href": catalog.link_href(config.get("link")),
        }
