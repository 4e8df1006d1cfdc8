from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        # The data migration makes the group; this keeps it whole after a database flush
        # (flush re-creates permissions but not groups).
        post_migrate.connect(_ensure_group, sender=self, dispatch_uid="moderators_group")


def _ensure_group(sender, using="default", **kwargs) -> None:
    from .permissions import moderators_group_ensure

    moderators_group_ensure(using=using)
