"""People's results move to the assessments app (assessments.0001 takes them over). Only
Django's record of the models changes here: the tables, their rows and their names stay as
they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0009_version_first_answered_at"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.RemoveField(
                model_name='assessment',
                name='rescored_from',
            ),
            migrations.RemoveField(
                model_name='assessment',
                name='top_role',
            ),
            migrations.RemoveField(
                model_name='assessment',
                name='user',
            ),
            migrations.RemoveField(
                model_name='assessment',
                name='version',
            ),
            migrations.RemoveField(
                model_name='rolescore',
                name='assessment',
            ),
            migrations.RemoveField(
                model_name='sharelink',
                name='assessment',
            ),
            migrations.RemoveField(
                model_name='recommendedtool',
                name='assessment',
            ),
            migrations.RemoveField(
                model_name='resultfeedback',
                name='assessment',
            ),
            migrations.RemoveField(
                model_name='assessmentprogress',
                name='user',
            ),
            migrations.RemoveField(
                model_name='assessmentprogress',
                name='version',
            ),
            migrations.RemoveField(
                model_name='peercount',
                name='version',
            ),
            migrations.RemoveField(
                model_name='recommendedtool',
                name='tool',
            ),
            migrations.RemoveField(
                model_name='rolescore',
                name='role',
            ),
            migrations.DeleteModel(
                name='Answer',
            ),
            migrations.DeleteModel(
                name='ShareLink',
            ),
            migrations.DeleteModel(
                name='Assessment',
            ),
            migrations.DeleteModel(
                name='ResultFeedback',
            ),
            migrations.DeleteModel(
                name='AssessmentProgress',
            ),
            migrations.DeleteModel(
                name='PeerCount',
            ),
            migrations.DeleteModel(
                name='RecommendedTool',
            ),
            migrations.DeleteModel(
                name='RoleScore',
            ),
            ],
            database_operations=[],
        ),
    ]
