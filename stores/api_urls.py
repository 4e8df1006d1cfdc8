"""/api/v1/ routes of the Store builder (see stores.api)."""
from django.urls import path

from . import api

urlpatterns = [
    path("stores/", api.StoreListCreate.as_view(), name="api-stores"),
    path("stores/<int:store_id>/", api.StoreDetail.as_view(), name="api-store"),
    path("stores/<int:store_id>/draft/", api.StoreDraft.as_view(), name="api-store-draft"),
    path("stores/<int:store_id>/assets/", api.StoreAssets.as_view(), name="api-store-assets"),
    path("stores/<int:store_id>/assets/<int:asset_id>/", api.StoreAsset.as_view(),
         name="api-store-asset"),
    path("stores/<int:store_id>/versions/", api.StoreVersions.as_view(),
         name="api-store-versions"),
    path("stores/<int:store_id>/previews/", api.StorePreviews.as_view(),
         name="api-store-previews"),
    path("stores/<int:store_id>/previews/<int:link_id>/revoke/",
         api.StorePreviewRevoke.as_view(), name="api-store-preview-revoke"),
    path("stores/<int:store_id>/stock-health/", api.StoreStockHealth.as_view(),
         name="api-store-stock-health"),
    path("stores/<int:store_id>/page-from-template/", api.StorePageFromTemplate.as_view(),
         name="api-store-page-from-template"),
    path("page-templates/", api.PageTemplates.as_view(), name="api-page-templates"),
    path("tile-types/", api.TileTypes.as_view(), name="api-tile-types"),
    path("store-theme/", api.StoreTheme.as_view(), name="api-store-theme"),
]
