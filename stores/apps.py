from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoresConfig(AppConfig):
    name = "stores"
    verbose_name = _("Stores")

    def ready(self):
        from django.db import transaction
        from django.db.models.signals import post_delete, post_save

        from .models import Store, StoreVersion
        from .selectors import stores_changed

        # Publishing, scheduling or renaming changes what shoppers see: every process
        # drops its cached Store routes (see stores.selectors.store_route). After commit,
        # so that no view can cache the old state under the new token. Robust: a cache
        # that is down must not turn a committed change into an error answer.
        def forget_routes(sender, **kwargs):
            transaction.on_commit(stores_changed, robust=True)

        for model in (Store, StoreVersion):
            post_save.connect(forget_routes, sender=model, weak=False,
                              dispatch_uid=f"stores-routes-{model.__name__}")
            post_delete.connect(forget_routes, sender=model, weak=False,
                                dispatch_uid=f"stores-routes-delete-{model.__name__}")
