"""Mounted at /builder/stores/<int:store_id>/insights/."""
from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="insights-dashboard"),
    path("export.csv", views.export_csv, name="insights-export"),
]
