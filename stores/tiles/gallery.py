"""Gallery: several brand images, each with alt text."""
from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from .base import TileType
from .fields import ImagesField

if TYPE_CHECKING:
    from stores.rendering import PageCatalog

MAX_IMAGES = 12


class GalleryTile(TileType):
    name = "gallery"
    label = _("Gallery")
    large_image = True
    description = _("Up to 12 images in a row that scrolls on phones.")
    fields = (ImagesField("images", label=_("Images"), required=True, max_items=MAX_IMAGES,
                          help=_("Each image needs alt text.")),)

    def context(self, config: dict, catalog: PageCatalog) -> dict:
        images = [
            {"asset": catalog.assets[item["asset"]], "alt": item["alt"]}
            for item in config.get("images") or []
            if item.get("asset") in catalog.assets
        ]
        return {"images": images, "empty": not images}
