"""People's results, taken over from the quizzes app (quizzes.0010): the tables keep their
names and rows, so only Django's record of the models changes, and the content types (with the
permissions and admin history that point at them) are relabelled rather than made anew."""

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models

MOVED = [
    "assessment",
    "rolescore",
    "answer",
    "recommendedtool",
    "assessmentprogress",
    "peercount",
    "resultfeedback",
    "sharelink",
]


def relabel_content_types(apps, schema_editor, *, old="quizzes", new="assessments"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def relabel_back(apps, schema_editor):
    relabel_content_types(apps, schema_editor, old="assessments", new="quizzes")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('quizzes', '0010_people_data_moves_to_assessments'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('roles', '0005_texts_per_language'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Assessment',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('client_id', models.UUIDField(help_text='Sent with the answers, so a replayed submission is recognised.', unique=True)),
                        ('margin', models.PositiveSmallIntegerField(help_text='Percentage points between the first two.')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                        ('language', models.CharField(choices=[('en', 'English'), ('es', 'Español')], default='en', max_length=8)),
                        ('rescored_from', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='rescores', to='assessments.assessment')),
                        ('top_role', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='roles.role')),
                        ('user', models.ForeignKey(blank=True, help_text='Empty while the person who took it has not signed up or logged in.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='assessments', to=settings.AUTH_USER_MODEL)),
                        ('version', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assessments', to='quizzes.quizversion')),
                    ],
                    options={
                        'db_table': 'quizzes_assessment',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='Answer',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('reason_rank', models.PositiveSmallIntegerField(blank=True, help_text='1 to 3 for the answers that counted most.', null=True)),
                        ('choice', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='quizzes.choice')),
                        ('question', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='quizzes.question')),
                        ('assessment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='answers', to='assessments.assessment')),
                    ],
                    options={
                        'db_table': 'quizzes_answer',
                        'ordering': ['question__order', 'question_id'],
                    },
                ),
                migrations.CreateModel(
                    name='AssessmentProgress',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('client_id', models.UUIDField(default=uuid.uuid4)),
                        ('answers', models.JSONField(default=dict, help_text='Question id to choice id.')),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='assessment_progress', to=settings.AUTH_USER_MODEL)),
                        ('version', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='quizzes.quizversion')),
                    ],
                    options={
                        'verbose_name_plural': 'assessment progress',
                        'db_table': 'quizzes_assessmentprogress',
                    },
                ),
                migrations.CreateModel(
                    name='PeerCount',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('results', 'results'), ('lean', 'lean'), ('top', 'top'), ('choice', 'choice'), ('language', 'language')], max_length=10)),
                        ('key', models.CharField(blank=True, max_length=100)),
                        ('count', models.IntegerField(default=0)),
                        ('version', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='peer_counts', to='quizzes.quizversion')),
                    ],
                    options={
                        'db_table': 'quizzes_peercount',
                    },
                ),
                migrations.CreateModel(
                    name='RecommendedTool',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('rank', models.PositiveSmallIntegerField()),
                        ('assessment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='recommended_tools', to='assessments.assessment')),
                        ('tool', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='roles.tool')),
                    ],
                    options={
                        'db_table': 'quizzes_recommendedtool',
                        'ordering': ['rank'],
                    },
                ),
                migrations.CreateModel(
                    name='ResultFeedback',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('feels_right', models.BooleanField()),
                        ('comment', models.TextField(blank=True, max_length=500)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('assessment', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='feedback', to='assessments.assessment')),
                    ],
                    options={
                        'verbose_name_plural': 'result feedback',
                        'db_table': 'quizzes_resultfeedback',
                    },
                ),
                migrations.CreateModel(
                    name='RoleScore',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('rank', models.PositiveSmallIntegerField()),
                        ('percent', models.PositiveSmallIntegerField()),
                        ('points', models.PositiveIntegerField()),
                        ('max_points', models.PositiveIntegerField()),
                        ('assessment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scores', to='assessments.assessment')),
                        ('role', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='roles.role')),
                    ],
                    options={
                        'db_table': 'quizzes_rolescore',
                        'ordering': ['rank'],
                    },
                ),
                migrations.CreateModel(
                    name='ShareLink',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('token', models.CharField(editable=False, max_length=64, unique=True)),
                        ('show_name', models.BooleanField(default=False)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('revoked_at', models.DateTimeField(blank=True, null=True)),
                        ('assessment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='share_links', to='assessments.assessment')),
                    ],
                    options={
                        'db_table': 'quizzes_sharelink',
                        'ordering': ['-created_at', 'pk'],
                    },
                ),
                migrations.AddIndex(
                    model_name='assessment',
                    index=models.Index(fields=['user', '-created_at'], name='assessment_user_recent'),
                ),
                migrations.AddConstraint(
                    model_name='answer',
                    constraint=models.UniqueConstraint(fields=('assessment', 'question'), name='unique_answer'),
                ),
                migrations.AddConstraint(
                    model_name='peercount',
                    constraint=models.UniqueConstraint(fields=('version', 'kind', 'key'), name='one_peer_count'),
                ),
                migrations.AddConstraint(
                    model_name='recommendedtool',
                    constraint=models.UniqueConstraint(fields=('assessment', 'tool'), name='unique_recommended_tool'),
                ),
                migrations.AddConstraint(
                    model_name='rolescore',
                    constraint=models.UniqueConstraint(fields=('assessment', 'role'), name='unique_score_per_role'),
                ),
                migrations.AddIndex(
                    model_name='sharelink',
                    index=models.Index(fields=['assessment', 'revoked_at'], name='share_live_per_result'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel_content_types, relabel_back),
    ]
