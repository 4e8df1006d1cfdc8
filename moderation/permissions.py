"""Who may act as a moderator: one rule for the admin, the API and the services."""
from __future__ import annotations

from rest_framework.permissions import BasePermission

DECIDE_PERMISSION = "moderation.decide_submission"
VIEW_PERMISSION = "moderation.view_submission"


def is_moderator(user) -> bool:
    """Staff users holding the decide permission (the Moderators group, or superusers)."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm(DECIDE_PERMISSION)
    )


class IsModerator(BasePermission):
    message = "Only moderators may do this."

    def has_permission(self, request, view) -> bool:
        return is_moderator(request.user)


MODERATOR_PERMISSIONS = [
    ("moderation", "view_submission"),
    ("moderation", "change_submission"),
    ("moderation", "decide_submission"),
    ("moderation", "view_checkfinding"),
    ("moderation", "view_rejectionreason"),
    ("moderation", "view_submissionevent"),
    ("stores", "view_store"),
    ("stores", "view_storeversion"),
]


def moderators_group_ensure(*, using: str = "default") -> None:
    """The Moderators group holds exactly MODERATOR_PERMISSIONS (idempotent)."""
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.using(using).get_or_create(name="Moderators")
    wanted = [
        Permission.objects.using(using).filter(content_type__app_label=app, codename=codename)
        .first()
        for app, codename in MODERATOR_PERMISSIONS
    ]
    if all(wanted):
        group.permissions.set(wanted)
