"""Before usernames become unique ignoring case (0004): in each group of usernames that differ
only in case (`Mallory`, `mallory`, made through the API before it normalised them), the
oldest account keeps its name and each other one gets `-<its id>` appended. Each rename is
printed, so those people can be told their new username."""

from django.db import migrations
from django.db.models import Count, Value
from django.db.models.functions import Lower

USERNAME_LENGTH = 150


def rename_case_duplicates(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    folded = User.objects.annotate(folded=Lower("username"))
    clashes = list(
        folded.values("folded").annotate(count=Count("id")).filter(count__gt=1).values_list(
            "folded", flat=True
        )
    )
    for name in clashes:
        for user in list(folded.filter(folded=name).order_by("date_joined", "pk"))[1:]:
            old = user.username
            attempt = 1
            while True:
                suffix = f"-{user.pk}" if attempt == 1 else f"-{user.pk}-{attempt}"
                new = old[: USERNAME_LENGTH - len(suffix)] + suffix
                if not folded.filter(folded=Lower(Value(new))).exists():
                    break
                attempt += 1
            User.objects.filter(pk=user.pk).update(username=new)
            print(f"\n  accounts: renamed user {user.pk} from {old!r} to {new!r}", end="")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_editors_group"),
    ]

    operations = [
        migrations.RunPython(rename_case_duplicates, migrations.RunPython.noop, elidable=True),
    ]
