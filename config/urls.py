from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from catalog.preferences import preferences_view
from config import health
from config.media import serve_media
from config.throttles import throttle_view
from stores import public

urlpatterns = [
    # Shoppers' pages first: most requests are theirs, and patterns are tried in order.
    path("stores/", include("stores.urls")),
    path("dp/<str:asin>/", public.product_page, name="product-detail"),
    path("robots.txt", public.robots, name="robots-txt"),
    path("sitemap.xml", public.sitemap, name="sitemap"),
    path("favicon.ico", public.favicon),
    path("health/live/", health.live, name="health-live"),
    path("health/ready/", health.ready, name="health-ready"),
    path("", RedirectView.as_view(url="/builder/", permanent=False)),
    path("admin/", admin.site.urls),
    # `gettext()` for the JavaScript of the builder and the admin, in the request's language.
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("preferences/", preferences_view, name="preferences"),
    # Each reset request sends an e-mail: throttled per client address.
    path("accounts/password_reset/",
         throttle_view("password_reset", methods=("POST",))(
             auth_views.PasswordResetView.as_view()),
         name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("builder/stores/<int:store_id>/insights/", include("stores.insights.urls")),
    path("builder/", include("stores.builder.urls")),
    path("media/<path:path>", serve_media, name="media"),
]

handler404 = "stores.public.page_not_found"
handler500 = "stores.public.server_error"
