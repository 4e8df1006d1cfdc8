from django.urls import path

from . import api

urlpatterns = [
    path("products/", api.ProductListView.as_view(), name="api-products"),
    path("marketplaces/", api.MarketplaceListView.as_view(), name="api-marketplaces"),
    path("inventory/", api.InventoryView.as_view(), name="api-inventory"),
]
