from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_out
from django.core import checks
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        # The data migration makes the group; this keeps it whole after a database flush
        # (flush re-creates permissions but not groups).
        post_migrate.connect(_ensure_group, sender=self, dispatch_uid="moderators_group")
        user_logged_out.connect(_release_claims, dispatch_uid="moderation_release_on_logout")
        checks.register(escalation_check, checks.Tags.security, deploy=True)


def _ensure_group(sender, using="default", **kwargs) -> None:
    from .permissions import moderators_group_ensure

    moderators_group_ensure(using=using)


def _release_claims(sender, request, user, **kwargs) -> None:
    """A moderator who signs out gives their claims back to the queue at once."""
    from .permissions import is_moderator
    from .services import claims_release_for

    if user is not None and is_moderator(user):
        claims_release_for(moderator=user)


def escalation_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """`check --deploy`: SLA alerts and forecast warnings that would reach nobody."""
    from django.db import DatabaseError

    from .notifications import lead_emails

    try:
        if lead_emails():
            return []
    except DatabaseError:  # no database yet (before migrate): nothing to say
        return []
    return [checks.Warning(
        "SLA alerts would reach nobody: MODERATION_LEADS is empty, no moderator team has a "
        "lead with an e-mail address and no superuser has one.",
        hint="Set MODERATION_LEADS or add a lead to a moderator team in the admin.",
        id="moderation.W001",
    )]
