"""/api/v1/ routes of insights: a Store's figures and the order feed."""
from django.urls import path

from . import api

urlpatterns = [
    path("stores/<int:store_id>/insights/", api.StoreInsights.as_view(), name="api-insights"),
    path("orders/", api.Orders.as_view(), name="api-orders"),
]
