"""Mounted at /dp/ by config/urls.py."""
from django.urls import path

from . import views

urlpatterns = [
    path("<str:asin>/", views.product_detail, name="product-detail"),
]
