from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "stores.insights"
    label = "insights"
    verbose_name = _("Store insights")

    def ready(self) -> None:
        from .transport import connect

        connect()
