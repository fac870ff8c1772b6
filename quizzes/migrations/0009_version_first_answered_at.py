"""A quiz version records when it was first answered, so the frozen rule (an answered version
never changes) can be read from the version's own row. Filled in here from the results
already saved on each version."""

from django.db import migrations, models
from django.db.models import Min


def stamp_answered_versions(apps, schema_editor):
    QuizVersion = apps.get_model("quizzes", "QuizVersion")
    Assessment = apps.get_model("quizzes", "Assessment")
    first = Assessment.objects.values("version_id").annotate(first=Min("created_at"))
    for row in first:
        QuizVersion.objects.filter(pk=row["version_id"]).update(first_answered_at=row["first"])


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0008_peer_counts_per_language"),
    ]

    operations = [
        migrations.AddField(
            model_name='quizversion',
            name='first_answered_at',
            field=models.DateTimeField(blank=True, editable=False, help_text='When the first result on this version was saved; from then on it never changes.', null=True),
        ),
        migrations.RunPython(stamp_answered_versions, migrations.RunPython.noop),
    ]
