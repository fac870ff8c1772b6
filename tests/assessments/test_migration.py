"""The move of people's results from the quizzes app to the assessments app: a database at the
schema before it (quizzes.0008) migrates forward with every row intact, the versions it
answered frozen, and the permissions on results still where they were."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from assessments.models import Assessment, PeerCount, ResultFeedback, ShareLink
from quizzes.models import QuizVersion, is_frozen
from tests.factories import RoleFactory, UserFactory

BEFORE = [("quizzes", "0008_peer_counts_per_language")]


def _old_apps():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    return executor.loader.project_state(BEFORE).apps


def _migrate_to_the_latest():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _results_saved_before_the_move(old_apps, person, role):
    """A version answered twice and a draft, with everything a result holds, made with the
    models as they were."""
    quiz = old_apps.get_model("quizzes", "Quiz").objects.create(name="Fit", slug="fit")
    QuizVersion_ = old_apps.get_model("quizzes", "QuizVersion")
    answered = QuizVersion_.objects.create(
        quiz=quiz, number=1, status="published", is_current=True, published_at="2026-01-01T00:00Z"
    )
    draft = QuizVersion_.objects.create(quiz=quiz, number=2)
    # bulk_create: the historical models keep the frozen guard's base class but not the
    # methods it calls, so their save() can't run.
    Question_ = old_apps.get_model("quizzes", "Question")
    [question] = Question_.objects.bulk_create(
        [Question_(version=answered, key="work", text_en="What do you enjoy?")]
    )
    Choice_ = old_apps.get_model("quizzes", "Choice")
    [choice] = Choice_.objects.bulk_create(
        [Choice_(question=question, key="models", text_en="Models")]
    )
    Old = old_apps.get_model("quizzes", "Assessment")
    first = Old.objects.create(
        user_id=person.pk,
        version=answered,
        client_id="00000000-0000-4000-8000-000000000001",
        top_role_id=role.pk,
        margin=12,
        language="es",
    )
    second = Old.objects.create(
        version=answered,
        client_id="00000000-0000-4000-8000-000000000002",
        top_role_id=role.pk,
        margin=3,
        rescored_from=first,
    )
    old_apps.get_model("quizzes", "RoleScore").objects.create(
        assessment=first, role_id=role.pk, rank=1, percent=60, points=6, max_points=10
    )
    old_apps.get_model("quizzes", "Answer").objects.create(
        assessment=first, question=question, choice=choice, reason_rank=1
    )
    old_apps.get_model("quizzes", "ResultFeedback").objects.create(
        assessment=first, feels_right=True, comment="Sí, ¡eso es!"
    )
    old_apps.get_model("quizzes", "ShareLink").objects.create(assessment=first, token="t" * 32)
    old_apps.get_model("quizzes", "PeerCount").objects.create(
        version=answered, kind="results", key="", count=1
    )
    return first, second, answered, draft


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_move_migrates_forward_with_its_results_intact():
    person, role = UserFactory(), RoleFactory()
    old_apps = _old_apps()
    first, second, answered, draft = _results_saved_before_the_move(old_apps, person, role)
    result_type = ContentType.objects.get_or_create(app_label="quizzes", model="assessment")[0]
    view_results = Permission.objects.get_or_create(
        content_type=result_type, codename="view_assessment", defaults={"name": "Can view"}
    )[0]
    Group.objects.create(name="Support").permissions.add(view_results)

    _migrate_to_the_latest()

    kept = Assessment.objects.get(pk=first.pk)
    assert (kept.user_id, kept.version_id, kept.margin, kept.language) == (
        person.pk,
        answered.pk,
        12,
        "es",
    )
    assert Assessment.objects.get(pk=second.pk).rescored_from_id == first.pk
    assert [(s.percent, s.rank) for s in kept.scores.all()] == [(60, 1)]
    assert [a.choice.key for a in kept.answers.all()] == ["models"]
    assert ResultFeedback.objects.get(assessment=kept).comment == "Sí, ¡eso es!"
    assert ShareLink.objects.get(assessment=kept).token == "t" * 32
    # Recounted by person (assessments.0002): the one kept result, with what it adds.
    assert PeerCount.objects.get(version_id=answered.pk, kind="people").count == 1
    assert PeerCount.objects.get(version_id=answered.pk, kind="language").key == "es"
    # The answered version knows it from its own row, stamped with its first result's time.
    version = QuizVersion.objects.get(pk=answered.pk)
    assert version.first_answered_at == min(
        Assessment.objects.filter(version=version).values_list("created_at", flat=True)
    )
    assert is_frozen(version)
    assert not is_frozen(QuizVersion.objects.get(pk=draft.pk))
    # The content type was relabelled, not made anew: permissions granted on results hold.
    result_type.refresh_from_db()
    assert result_type.app_label == "assessments"
    assert Group.objects.get(name="Support").permissions.get() == view_results
    assert Permission.objects.get(pk=view_results.pk).content_type.model_class() is Assessment
