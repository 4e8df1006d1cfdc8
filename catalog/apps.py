from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "Catalogue and accounts"

    def ready(self) -> None:
        from .templatetags.images import connect

        connect()
