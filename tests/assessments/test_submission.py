import uuid

import pytest
from django.db import connection
from django.db.models import ProtectedError
from django.utils.html import escape

from assessments.answers import InvalidAnswers
from assessments.models import Assessment
from assessments.services.assessment import ClientIdTaken, assessment_submit
from quizzes import authoring
from quizzes import selectors as quiz_selectors
from quizzes.models import Choice, FrozenVersionError, Question, QuizVersion
from roles.models import Role, Tool
from tests.factories import UserFactory, make_quiz_version, site_content_create
from tests.helpers import answers_leaning_to, at_once, committed

pytestmark = pytest.mark.django_db


def _submit(version, answers, user=None, client_id=None):
    return assessment_submit(
        version=version, answers=answers.items(), client_id=client_id or uuid.uuid4(), user=user
    )


def test_submission_stores_scores_answers_and_reasons(site_content, version):
    person = UserFactory()
    assessment, created = _submit(version, answers_leaning_to(version, ["data-engineer"]), person)

    assert created
    assert assessment.top_role.slug == "data-engineer"
    assert assessment.margin == 100
    assert [(s.role.slug, s.rank, s.percent) for s in assessment.scores.all()] == [
        ("data-engineer", 1, 100),
        ("mlops-engineer", 2, 0),
    ]
    assert assessment.answers.count() == len(site_content.questions)
    assert sorted(a.reason_rank for a in assessment.answers.exclude(reason_rank=None)) == [1, 2, 3]


def test_the_same_client_id_twice_creates_one_assessment(version):
    person = UserFactory()
    client_id = uuid.uuid4()
    answers = answers_leaning_to(version, ["data-engineer"])

    first, created_first = _submit(version, answers, person, client_id)
    second, created_second = _submit(version, answers, person, client_id)

    assert (created_first, created_second) == (True, False)
    assert first.pk == second.pk
    assert Assessment.objects.count() == 1


def test_another_persons_client_id_is_refused(version):
    client_id = uuid.uuid4()
    answers = answers_leaning_to(version, ["data-engineer"])
    _submit(version, answers, UserFactory(), client_id)

    with pytest.raises(ClientIdTaken):
        _submit(version, answers, UserFactory(), client_id)


@pytest.mark.parametrize(
    "broken",
    ["missing", "duplicated", "foreign_choice"],
)
def test_incomplete_or_wrong_answers_save_nothing(version, broken):
    answers = list(answers_leaning_to(version, ["mlops-engineer"]).items())
    questions = quiz_selectors.question_list(version=version)
    if broken == "missing":
        answers = answers[1:]
    elif broken == "duplicated":
        answers.append(answers[0])
    elif broken == "foreign_choice":
        answers[0] = (answers[0][0], questions[1].choices.first().pk)

    with pytest.raises(InvalidAnswers) as error:
        assessment_submit(version=version, answers=answers, client_id=uuid.uuid4())

    assert questions[0].pk in error.value.by_question
    assert Assessment.objects.count() == 0


def test_a_draft_version_cannot_be_answered(version):
    draft = authoring.version_copy_as_draft(version=version)
    answers = answers_leaning_to(draft, ["mlops-engineer"])

    with pytest.raises(InvalidAnswers):
        _submit(draft, answers)


@pytest.mark.parametrize("question_count", [5, 50])
def test_submission_runs_a_fixed_number_of_queries(
    django_assert_num_queries, question_count, site_content
):
    version = make_quiz_version(roles=site_content.roles, question_count=question_count)
    answers = answers_leaning_to(version, ["mlops-engineer"])
    person = UserFactory()

    # replay check; the version's stamp as answered (an UPDATE that matches only the first
    # time); questions, choices, weights; roles; savepoint, insert, release; scores and answers in
    # bulk; the role's first tools and their bulk insert; progress delete; one upsert of
    # everyone's counts (assessments.peers); the UPDATE of the person's history version, in
    # the same transaction so that it can't be lost, and the one of the counts' version just
    # after the commit (core.caching.versions); and the outer savepoint pair (the test's
    # transaction). Counting
    # people, not results, adds 6: the person's row locked, their counted result on the
    # version before (none here) and after (it, its scores, answers). The scoring table's
    # catalog version costs nothing here: this test's transaction made the catalog, so it
    # knows the token; on a live site it is the once-a-second read of the shared versions.
    with django_assert_num_queries(25), committed():
        _submit(version, answers, person)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_identical_submissions_create_one_row():
    site_content_create()  # committed, so that both threads' connections see it
    version = quiz_selectors.current_version_get()
    person = UserFactory()
    answers = answers_leaning_to(version, ["mlops-engineer"])
    client_id = uuid.uuid4()
    race = at_once(*[lambda: _submit(version, answers, person, client_id)] * 2)

    assert race.errors == []
    assert Assessment.objects.filter(client_id=client_id).count() == 1
    assert sorted(created for _, created in race.returned) == [False, True]
    assert len({assessment.pk for assessment, _ in race.returned}) == 1
    assert connection.vendor in {"sqlite", "postgresql"}


def test_an_answered_version_is_frozen(version):
    _submit(version, answers_leaning_to(version, ["mlops-engineer"]))
    question = Question.objects.filter(version=version).first()
    choice = question.choices.first()
    weight = choice.weights.first()

    for row in (question, choice, weight):
        with pytest.raises(FrozenVersionError):
            row.save()


def test_deleting_what_an_assessment_used_is_refused(version):
    assessment, _ = _submit(version, answers_leaning_to(version, ["mlops-engineer"]))
    recommended = assessment.recommended_tools.order_by("rank")[0].tool

    with pytest.raises(ProtectedError):
        Question.objects.filter(version=version).first().delete()
    with pytest.raises(ProtectedError):
        Choice.objects.filter(question__version=version).first().delete()
    with pytest.raises(ProtectedError):
        Role.objects.get(slug="data-engineer").delete()
    with pytest.raises(ProtectedError):
        QuizVersion.objects.get(pk=version.pk).delete()
    with pytest.raises(ProtectedError):
        Tool.objects.get(pk=recommended.pk).delete()
    assert Assessment.objects.count() == 1


def test_publishing_a_new_version_leaves_old_results_as_they_were(client, version):
    person = UserFactory()
    client.force_login(person)
    old, _ = _submit(version, answers_leaning_to(version, ["mlops-engineer"]), person)
    old_questions = list(Question.objects.filter(version=version).values_list("text", flat=True))

    draft = authoring.version_copy_as_draft(version=version)
    changed = Question.objects.filter(version=draft).order_by("order").first()
    changed.text = "A brand new question text?"
    changed.save()
    authoring.version_publish(version=draft)

    assert quiz_selectors.current_version_get().pk == draft.pk
    page = client.get(old.get_absolute_url())
    html = page.content.decode()
    assert "A brand new question text?" not in html
    assert escape(old_questions[0]) in html
    assert [s.percent for s in page.context["scores"]] == [100, 0]


def test_publish_refuses_a_version_with_a_question_of_one_choice(version):
    draft = authoring.version_copy_as_draft(version=version)
    question = Question.objects.filter(version=draft).first()
    question.choices.exclude(pk=question.choices.first().pk).delete()

    with pytest.raises(authoring.CannotPublish) as error:
        authoring.version_publish(version=draft)

    assert "needs at least two choices" in str(error.value)
    assert quiz_selectors.current_version_get().pk == version.pk


def test_publish_refuses_a_version_that_cannot_score_a_role(version):
    from tests.factories import RoleFactory

    draft = authoring.version_copy_as_draft(version=version)
    RoleFactory(name="Analytics engineer")

    with pytest.raises(authoring.CannotPublish) as error:
        authoring.version_publish(version=draft)

    assert "Analytics engineer" in str(error.value)


def test_a_new_draft_copies_every_question_choice_and_weight(site_content, version):
    draft = authoring.version_copy_as_draft(version=version)

    assert draft.number == version.number + 1
    assert draft.status == QuizVersion.Status.DRAFT and not draft.is_current
    assert Question.objects.filter(version=draft).count() == len(site_content.questions)
    old = quiz_selectors.scoring_input(
        quiz_selectors.question_list(version=version, with_weights=True)
    )
    new = quiz_selectors.scoring_input(
        quiz_selectors.question_list(version=draft, with_weights=True)
    )
    assert [sorted(q.choices.values(), key=str) for q in old] == [
        sorted(q.choices.values(), key=str) for q in new
    ]


def test_an_answered_versions_spanish_can_still_be_written_but_nothing_else(version):
    _submit(version, answers_leaning_to(version, ["mlops-engineer"]))
    question = Question.objects.filter(version=version).first()
    choice = question.choices.first()

    # A translated question is the same question: its Spanish may come later.
    question.text_es, question.help_text_es = "¿Qué prefieres?", "Elige una."
    question.save()
    choice.text_es = "Esta"
    choice.save()
    assert Question.objects.get(pk=question.pk).text_es == "¿Qué prefieres?"

    for field, value in [("text_en", "Changed"), ("key", "changed"), ("order", 99)]:
        row = Question.objects.get(pk=question.pk)
        row.text_es = "Otra"
        setattr(row, field, value)
        with pytest.raises(FrozenVersionError):
            row.save()
    assert Question.objects.get(pk=question.pk).text_es == "¿Qué prefieres?"
