from django.urls import path

from . import views

urlpatterns = [
    path("", views.builder_home, name="builder-home"),
    path("stores/<int:store_id>/", views.builder_editor, name="builder-editor"),
    path("stores/<int:store_id>/canvas/", views.builder_canvas, name="builder-canvas"),
]
