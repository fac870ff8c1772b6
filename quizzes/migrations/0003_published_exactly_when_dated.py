"""A version's status and its publication date can no longer disagree.

Rows that disagree today are mended first: a published version without a date gets its
creation time, a draft loses a stray date.
"""

from django.db import migrations, models
from django.db.models import F


def mend_disagreeing_rows(apps, schema_editor):
    QuizVersion = apps.get_model("quizzes", "QuizVersion")
    versions = QuizVersion.objects.using(schema_editor.connection.alias)
    versions.filter(status="published", published_at__isnull=True).update(
        published_at=F("created_at")
    )
    versions.filter(status="draft", published_at__isnull=False).update(published_at=None)


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0002_recommended_tools"),
    ]

    operations = [
        migrations.RunPython(mend_disagreeing_rows, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="quizversion",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("published_at__isnull", False), ("status", "published")),
                    models.Q(("published_at__isnull", True), ("status", "draft")),
                    _connector="OR",
                ),
                name="published_exactly_when_dated",
            ),
        ),
    ]
