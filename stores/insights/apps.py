from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "stores.insights"
    label = "insights"
    verbose_name = "Store insights"

    def ready(self) -> None:
        from .capture import connect

        connect()
