from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config.media import serve_media
from stores import public

urlpatterns = [
    path("", RedirectView.as_view(url="/builder/", permanent=False)),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("dp/<str:asin>/", public.product_page, name="product-detail"),
    path("robots.txt", public.robots, name="robots-txt"),
    path("sitemap.xml", public.sitemap, name="sitemap"),
    path("favicon.ico", public.favicon),
    path("stores/", include("stores.urls")),
    path("builder/stores/<int:store_id>/insights/", include("stores.insights.urls")),
    path("builder/", include("stores.builder.urls")),
    path("media/<path:path>", serve_media, name="media"),
]

handler404 = "stores.public.page_not_found"
handler500 = "stores.public.server_error"
