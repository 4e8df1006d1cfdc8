"""Image tile: one brand image with alt text, an optional phone image and link."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .base import ConfigReader, TileType

if TYPE_CHECKING:
    from stores.rendering import PageCatalog


class ImageTile(TileType):
    name = "image"
    label = "Image"
    large_image = True
    description = ("A banner or picture. Alt text is required; a separate phone image may "
                   "replace it on small screens. May link to a page of the Store or a product.")

    def default_config(self) -> dict:
        return {"asset": None, "alt": "", "phone_asset": None, "link": None}

    def clean(self, reader: ConfigReader) -> dict:
        config = {
            "asset": reader.asset("asset", required=True),
            "alt": reader.alt(),
            "phone_asset": reader.asset("phone_asset", required=False),
            "link": clean_link(reader),
        }
        return config

    def asset_ids(self, config: dict) -> list[int]:
        return [a for a in (config.get("asset"), config.get("phone_asset")) if a]

    def curated_asins(self, config: dict) -> list[str]:
        link = config.get("link") or {}
        return [link["asin"]] if link.get("asin") else []

    def context(self, config: dict, catalog: PageCatalog) -> dict:
        asset = catalog.assets.get(config.get("asset"))
        return {
            "empty": asset is None,
            "asset": asset,
            "phone_asset": catalog.assets.get(config.get("phone_asset")),
            "href": catalog.link_href(config.get("link")),
        }


def clean_link(reader: ConfigReader) -> dict | None:
    """A link stays inside the marketplace: a page of this Store or a product's page.
    (Outside links are contact details, which the content policy refuses.)"""
    link = reader.config.get("link")
    if link in (None, "", {}):
        return None
    place = reader.place.child("link")
    if not isinstance(link, dict) or len([k for k in ("page", "asin") if link.get(k)]) != 1:
        reader.error("link", "invalid_link",
                     'A link is {"page": "<page key>"} or {"asin": "<ASIN>"}.')
        return None
    if link.get("page"):
        page = link["page"]
        if not isinstance(page, str) or page not in reader.checker.page_keys:
            reader.error("link", "unknown_page", f"There is no page with key {page!r}.",
                         place.child("page"))
            return None
        return {"page": page}
    asin = reader.asin(link["asin"], place.child("asin"), "link")
    return {"asin": asin} if asin else None
