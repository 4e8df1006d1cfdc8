"""Stock health per tile: what the builder shows next to each product tile."""
from __future__ import annotations

from catalog.models import Product
from stores.selectors import tile_stock_health
from tests.documents import home_document, published_document, section, tile


def test_stock_health_counts_hidden_and_unbuyable_products_per_tile(make_store, seller,
                                                                    products):
    Product.objects.filter(pk__in=[products[0].pk, products[1].pk]).update(quantity=0)
    document = published_document(seller.brand, home_document(
        section("s1", tile("manual", "product_grid", mode="manual",
                           asins=[p.asin for p in products[:4]])),
        section("s2", tile("hiding", "product_grid", mode="manual", hide_out_of_stock=True,
                           asins=[p.asin for p in products[:4]])),
        section("s3", tile("best", "best_sellers", limit=3),
                tile("words", "text", html="<p>Hi</p>"))))
    store = make_store(document)
    assert tile_stock_health(store=store, document=document) == {
        "manual": {"products": 4, "hidden": 0, "unbuyable": 2},
        "hiding": {"products": 2, "hidden": 2, "unbuyable": 0},
        "best": {"products": 3, "hidden": 2, "unbuyable": 0},
    }
