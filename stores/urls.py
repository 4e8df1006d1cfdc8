"""/stores/…: shopper pages, previews and theme stylesheets.

Names starting with "_" cannot be Store slugs (store_create allows [a-z0-9-] only).
"""
from django.urls import path, re_path

from . import public, views

urlpatterns = [
    path("", public.store_search, name="store-search"),
    # Before the initial icons: "logo-12-180.png" would match their pattern too.
    path("_icon/logo-<int:asset_id>-<int:size>.png", public.store_logo_icon,
         name="store-logo-icon"),
    path("_icon/<str:accent>-<str:letter>.svg", public.store_icon, name="store-icon"),
    path("_icon/<str:accent>-<str:letter>-180.png", public.store_touch_icon,
         name="store-touch-icon"),
    path("_theme/<str:token>.css", views.theme_css, name="store-theme"),
    path("_preview/<str:token>/", views.preview_page, name="store-preview"),
    path("<slug:slug>/", views.store_page, name="store-home"),
    re_path(r"^(?P<slug>[-a-zA-Z0-9_]+)/(?P<page_path>[a-z0-9-]+(?:/[a-z0-9-]+)?)/$",
            views.store_page, name="store-page"),
]
