from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Catalogue and accounts")

    def ready(self) -> None:
        from . import preferences  # noqa: F401 - connects the login signal
        from .marketplaces import marketplaces_seed
        from .templatetags.images import connect

        connect()
        # After every migrate and every test-database flush: marketplaces always exist.
        post_migrate.connect(marketplaces_seed, sender=self,
                             dispatch_uid="catalog.marketplaces_seed")
