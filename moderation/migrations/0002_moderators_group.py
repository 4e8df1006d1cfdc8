"""The Moderators group with exactly the permissions a moderator needs."""
from django.db import migrations

MODERATOR_PERMISSIONS = [
    ("moderation", "submission", "view_submission"),
    ("moderation", "submission", "change_submission"),
    ("moderation", "submission", "decide_submission"),
    ("moderation", "checkfinding", "view_checkfinding"),
    ("moderation", "rejectionreason", "view_rejectionreason"),
    ("moderation", "submissionevent", "view_submissionevent"),
    ("stores", "store", "view_store"),
    ("stores", "storeversion", "view_storeversion"),
]


def create_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    # Permissions are normally made after migrate; make them now so the group can hold them.
    for label in ("moderation", "stores"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_contenttypes(app_config, verbosity=0, apps=apps)
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Moderators")
    permissions = [
        Permission.objects.get(content_type__app_label=app, content_type__model=model,
                               codename=codename)
        for app, model, codename in MODERATOR_PERMISSIONS
    ]
    group.permissions.set(permissions)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Moderators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
