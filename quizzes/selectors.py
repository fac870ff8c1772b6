"""Reads of the instrument: the current version, its questions and weights as people and
scoring take them."""

from django.db.models import Prefetch

from core import caching
from roles.models import Role

from . import scoring
from .models import Choice, ChoiceWeight, Question, QuizVersion

DEFAULT_QUIZ_SLUG = "career-fit"


def current_version_get(*, quiz_slug: str = DEFAULT_QUIZ_SLUG) -> QuizVersion:
    """The version people take now; raises QuizVersion.DoesNotExist when none is published.
    Read once per catalog version (publishing is a catalog change)."""
    version = caching.catalog_data(
        name=f"current-version:{quiz_slug}",
        build=lambda: (
            QuizVersion.objects.select_related("quiz")
            .current()
            .filter(quiz__slug=quiz_slug)
            .first()
        ),
    )
    if version is None:
        raise QuizVersion.DoesNotExist
    return version


def published_version_get(*, version_id) -> QuizVersion:
    """A published version by id (people may finish a version that was current when they began)."""
    return QuizVersion.objects.select_related("quiz").published().get(pk=version_id)


def question_list(
    *, version: QuizVersion, with_weights: bool = False, tie_breakers: bool | None = False
) -> list[Question]:
    """The questions of a version in order, with their choices (and weights when scoring):
    the quiz's own (by default), its tie-breakers (`tie_breakers=True`) or all (None)."""
    choices = Choice.objects.order_by("order", "pk")
    if with_weights:
        choices = choices.prefetch_related(
            Prefetch("weights", queryset=ChoiceWeight.objects.select_related("role"))
        )
    questions = Question.objects.filter(version=version)
    if tie_breakers is not None:
        questions = questions.filter(is_tie_breaker=tie_breakers)
    return list(
        questions.order_by("order", "pk").prefetch_related(Prefetch("choices", queryset=choices))
    )


def questions_to_answer(*, version: QuizVersion) -> list[Question]:
    """The questions of a version with their choices, as people are shown them: read once per
    catalog version (editors' screens read question_list, always fresh)."""
    return caching.catalog_data(
        name=f"questions:{version.pk}", build=lambda: question_list(version=version)
    )


def scoring_input(questions: list[Question]) -> list[scoring.QuestionWeights]:
    """The version's weights in the plain shape the pure scoring functions take."""
    return [
        scoring.QuestionWeights(
            question_id=question.pk,
            choices={
                choice.pk: {weight.role.slug: weight.weight for weight in choice.weights.all()}
                for choice in question.choices.all()
            },
        )
        for question in questions
    ]


def scoring_questions(*, version: QuizVersion) -> list[scoring.QuestionWeights]:
    """The version's questions and weights as scoring takes them, read once per catalog
    version (an edit to a not-yet-answered version is seen at once)."""
    return caching.catalog_data(
        name=f"scoring:{version.pk}",
        build=lambda: scoring_input(question_list(version=version, with_weights=True)),
    )


def tie_breakers_to_answer(*, version: QuizVersion) -> list[Question]:
    """A version's tie-breakers with their choices, as people are shown them after a close
    call: read once per catalog version."""
    return caching.catalog_data(
        name=f"tie-breakers:{version.pk}",
        build=lambda: question_list(version=version, tie_breakers=True),
    )


def tie_breaker_scoring_questions(*, version: QuizVersion) -> list[scoring.QuestionWeights]:
    """A version's tie-breakers and their weights as scoring takes them (read once per
    catalog version)."""
    return caching.catalog_data(
        name=f"scoring-tie-breakers:{version.pk}",
        build=lambda: scoring_input(
            question_list(version=version, with_weights=True, tie_breakers=True)
        ),
    )


def role_list_for_scoring() -> list[Role]:
    """Every role, in catalog order: the order that breaks ties."""
    return list(Role.objects.order_by("order", "name"))
