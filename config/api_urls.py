"""/api/v1/: each app contributes its own routes."""
from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("", include("catalog.api_urls")),
    path("", include("stores.api_urls")),
    path("", include("stores.builder.api_urls")),
    path("", include("stores.insights.api_urls")),
    path("", include("moderation.api_urls")),
]
