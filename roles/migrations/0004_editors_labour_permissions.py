"""Editors curate the labour-market figures: add, change, delete and view on the new content
models, granted to the "Editors" group (made by accounts' 0002_editors_group, whose list is
frozen, as migrations must be)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# The same name as accounts.models.EDITORS_GROUP, spelled here because a migration must not
# change when the app's code does.
EDITORS_GROUP = "Editors"
MODELS = ["laboursource", "occupation", "roleproxy", "wagedistribution", "outlook"]
ACTIONS = ["add", "change", "delete", "view"]


def _permissions(apps, db_alias):
    # On a fresh database permissions only appear in post_migrate; make them now.
    app_config = apps.get_app_config("roles")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    create_permissions(app_config, apps=apps, verbosity=0, using=db_alias)
    app_config.models_module = models_module
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.using(db_alias).filter(
        content_type__app_label="roles",
        codename__in=[f"{action}_{model}" for model in MODELS for action in ACTIONS],
    )


def grant(apps, schema_editor):
    db_alias = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    group = Group.objects.using(db_alias).filter(name=EDITORS_GROUP).first()
    if group is not None:
        group.permissions.add(*_permissions(apps, db_alias))


def revoke(apps, schema_editor):
    db_alias = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    group = Group.objects.using(db_alias).filter(name=EDITORS_GROUP).first()
    if group is not None:
        group.permissions.remove(*_permissions(apps, db_alias))


class Migration(migrations.Migration):
    dependencies = [
        ("roles", "0003_labour_figures"),
        ("accounts", "0002_editors_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
