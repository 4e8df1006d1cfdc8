"""Tile types: one module per type, collected in stores.tiles.registry."""
