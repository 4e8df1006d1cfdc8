"""Who may act as a moderator: one rule for the admin, the API and the services."""
from __future__ import annotations

from django.utils.translation import gettext as _
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


def acts_for_store_brand(*, user, store_id: int) -> bool:
    """Whether `user` is a member of the account owning the Store's brand, or of an agency
    representing it (one query)."""
    from catalog.selectors import brands_for_user

    return brands_for_user(user=user).filter(stores__pk=store_id).exists()


def require_independent(*, user, store_id: int) -> None:
    """Separation of duties: raises Forbidden (403, "own_brand") when `user` acts for the
    brand of the Store whose submission is to be decided."""
    from config.api import Forbidden

    if acts_for_store_brand(user=user, store_id=store_id):
        raise Forbidden(_("You act for this brand: another moderator must decide its "
                          "submissions."), code="own_brand")


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
