"""The "Editors" group: staff who curate the catalog and the quiz in the admin.

Exactly add, change, delete and view on the content models; nothing on users, groups,
permissions, tokens or assessments. The list is frozen here, as migrations must be: a content
model added later gets its permissions granted by a migration of its own.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# The same name as accounts.models.EDITORS_GROUP, spelled here because a migration must not
# change when the app's code does.
EDITORS_GROUP = "Editors"

EDITOR_MODELS = {
    "roles": [
        "role",
        "focusarea",
        "focuspoint",
        "toolcategory",
        "tool",
        "salaryfigure",
        "careeraspect",
        "aspecttext",
    ],
    "quizzes": ["quiz", "quizversion", "question", "choice", "choiceweight"],
}
ACTIONS = ["add", "change", "delete", "view"]


def create_editors_group(apps, schema_editor):
    db_alias = schema_editor.connection.alias
    # On a fresh database the permissions only appear in post_migrate, after every migration;
    # create them now so the group can be given them.
    for app_config in apps.get_app_configs():
        # create_permissions skips app configs without a models module, which the migration
        # state's app configs lack; pretend they have one, just for the call.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0, using=db_alias)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = [
        (app_label, f"{action}_{model}")
        for app_label, models in EDITOR_MODELS.items()
        for model in models
        for action in ACTIONS
    ]
    permissions = []
    for app_label, codename in wanted:
        permissions.append(
            Permission.objects.using(db_alias).get(
                content_type__app_label=app_label, codename=codename
            )
        )
    group, _ = Group.objects.using(db_alias).get_or_create(name=EDITORS_GROUP)
    group.permissions.set(permissions)


def remove_editors_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=EDITORS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("roles", "0001_initial"),
        ("quizzes", "0002_recommended_tools"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
