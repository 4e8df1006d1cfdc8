"""/api/v1/: each app contributes its own routes."""
from django.urls import include, path

from config.security import TokenObtain, TokenRevoke

urlpatterns = [
    path("auth/token/", TokenObtain.as_view(), name="api-token"),
    path("auth/token/revoke/", TokenRevoke.as_view(), name="api-token-revoke"),
    path("", include("catalog.api_urls")),
    path("", include("stores.api_urls")),
    path("", include("stores.builder.api_urls")),
    path("", include("stores.insights.api_urls")),
    path("", include("moderation.api_urls")),
]
