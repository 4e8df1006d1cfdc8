"""/api/v1/ routes used only by the builder (see stores.builder.api)."""
from django.urls import path

from . import api

urlpatterns = [
    path("stores/<int:store_id>/draft/discard/", api.StoreDraftDiscard.as_view(),
         name="api-store-draft-discard"),
    path("stores/<int:store_id>/draft/replace-asset/", api.StoreDraftReplaceAsset.as_view(),
         name="api-store-draft-replace-asset"),
    path("stores/<int:store_id>/draft/asset-usage/", api.StoreDraftAssetUsage.as_view(),
         name="api-store-draft-asset-usage"),
    path("stores/<int:store_id>/versions/<int:version_id>/restore/",
         api.StoreVersionRestore.as_view(), name="api-store-version-restore"),
]
