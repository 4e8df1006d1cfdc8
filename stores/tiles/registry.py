"""The tile registry: every tile type by name. Add a type here and give it a template."""
from __future__ import annotations

from .base import TileType
from .best_sellers import BestSellers
from .featured_deals import FeaturedDeals
from .gallery import GalleryTile
from .image import ImageTile
from .product import ProductTile
from .product_grid import ProductGrid
from .recommended_products import RecommendedProducts
from .shoppable_image import ShoppableImage
from .text import TextTile
from .video import VideoTile

_TYPES: dict[str, TileType] = {
    tile.name: tile
    for tile in (
        ProductGrid(), FeaturedDeals(), BestSellers(), RecommendedProducts(), ProductTile(),
        ImageTile(), TextTile(), VideoTile(), GalleryTile(), ShoppableImage(),
    )
}


class UnknownTileType(LookupError):
    """No tile type has this name."""


def get_tile_type(name: str) -> TileType:
    """The tile type called `name`; raises UnknownTileType."""
    try:
        return _TYPES[name]
    except (KeyError, TypeError):
        raise UnknownTileType(name) from None


def register(tile_type: TileType) -> TileType:
    """Adds a tile type (one class, one template) to the registry; a type of the same name
    is replaced. Everything else (validation, the builder's form, rendering, moderation)
    asks the registry, so nothing more is needed."""
    _TYPES[tile_type.name] = tile_type
    return tile_type


def unregister(name: str) -> None:
    _TYPES.pop(name, None)


def all_tile_types() -> list[TileType]:
    return list(_TYPES.values())


def tile_type_names() -> tuple[str, ...]:
    return tuple(_TYPES)
