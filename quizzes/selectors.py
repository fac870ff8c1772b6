"""Reads of quizzes and assessments, each with its related rows fetched up front."""

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet

from core import caching
from roles.models import Role

from . import peers, scoring
from .models import (
    Answer,
    Assessment,
    AssessmentQuerySet,
    Choice,
    ChoiceWeight,
    PeerCount,
    Question,
    QuizVersion,
    RecommendedTool,
    ResultFeedback,
    RoleScore,
)

DEFAULT_QUIZ_SLUG = "career-fit"
CHART_POINTS = 30
TOOLS_TO_LEARN_FIRST = 3


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


def question_list(*, version: QuizVersion, with_weights: bool = False) -> list[Question]:
    """The questions of a version in order, with their choices (and weights when scoring)."""
    choices = Choice.objects.order_by("order", "pk")
    if with_weights:
        choices = choices.prefetch_related(
            Prefetch("weights", queryset=ChoiceWeight.objects.select_related("role"))
        )
    return list(
        Question.objects.filter(version=version)
        .order_by("order", "pk")
        .prefetch_related(Prefetch("choices", queryset=choices))
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


def tool_ids_to_learn_first(*, role: Role, count: int = TOOLS_TO_LEARN_FIRST) -> list[int]:
    """The role's first tools in catalog order: editors order them by what to learn first."""
    return list(role.tools.order_by("order", "name").values_list("pk", flat=True)[:count])


def scoring_questions(*, version: QuizVersion) -> list[scoring.QuestionWeights]:
    """The version's questions and weights as scoring takes them, read once per catalog
    version (an edit to a not-yet-answered version is seen at once)."""
    return caching.catalog_data(
        name=f"scoring:{version.pk}",
        build=lambda: scoring_input(question_list(version=version, with_weights=True)),
    )


def peers_reference_role() -> str:
    """The role the lean is measured towards: the first role in catalog order."""
    return caching.catalog_data(
        name="peers:reference-role",
        build=lambda: (
            Role.objects.order_by("order", "name").values_list("slug", flat=True).first() or ""
        ),
    )


def role_list_for_scoring() -> list[Role]:
    """Every role, in catalog order: the order that breaks ties."""
    return list(Role.objects.order_by("order", "name"))


def _assessment_detail_queryset() -> AssessmentQuerySet:
    return Assessment.objects.select_related("version__quiz", "top_role").prefetch_related(
        Prefetch("scores", queryset=RoleScore.objects.select_related("role")),
        Prefetch(
            "answers",
            queryset=Answer.objects.select_related("question", "choice").order_by(
                "question__order", "question_id"
            ),
        ),
        Prefetch(
            "recommended_tools",
            queryset=RecommendedTool.objects.select_related("tool__category"),
        ),
    )


def _viewer_may_see(assessment, user, session_assessment_ids) -> bool:
    """Their own, or one this browser took before logging in: nobody else's."""
    if user.is_authenticated and assessment.user_id == user.pk:
        return True
    return assessment.user_id is None and str(assessment.pk) in session_assessment_ids


def assessment_get_for_viewer(*, assessment_id, user, session_assessment_ids) -> Assessment:
    """An assessment the viewer may see, with everything its page shows, its deciding answers
    in `reason_answers` as the API has them.

    Raises Assessment.DoesNotExist otherwise, so another person's result is a 404.
    """
    assessment = _assessment_detail_queryset().get(pk=assessment_id)
    if not _viewer_may_see(assessment, user, session_assessment_ids):
        raise Assessment.DoesNotExist
    # From the answers already fetched: the same list the API prefetches, without a query.
    assessment.reason_answers = sorted(
        (answer for answer in assessment.answers.all() if answer.reason_rank),
        key=lambda answer: answer.reason_rank,
    )
    return assessment


def assessment_for_replay(*, client_id, user, session_assessment_ids) -> Assessment | None:
    """The assessment a replayed submission made, if the viewer may see it; else None."""
    assessment = Assessment.objects.filter(client_id=client_id).first()
    if assessment is None or not _viewer_may_see(assessment, user, session_assessment_ids):
        return None
    return assessment


def assessment_count(*, user) -> int:
    """How many assessments the user has."""
    return Assessment.objects.owned_by(user).count()


def latest_top_role_slug(*, user) -> str | None:
    """The top role of the person's latest result (the learning plan's default role)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Assessment.objects.owned_by(user)
        .order_by("-created_at")
        .values_list("top_role__slug", flat=True)
        .first()
    )


def client_id_taken(*, client_id) -> bool:
    """Whether an assessment was already saved under this client_id (anyone's)."""
    return Assessment.objects.filter(client_id=client_id).exists()


def assessment_export_list(*, user) -> QuerySet[Assessment]:
    """Every assessment of the user, oldest first, with scores, answers and tools."""
    return _assessment_detail_queryset().owned_by(user).order_by("created_at")


def assessment_summaries(*, user) -> QuerySet[Assessment]:
    """The user's assessments, newest first, with what the API shows of each (scores, the
    reasons only, tools), in a fixed number of queries whatever their number."""
    return (
        Assessment.objects.owned_by(user)
        .order_by("-created_at", "pk")
        .select_related("version", "top_role")
        .prefetch_related(
            Prefetch("scores", queryset=RoleScore.objects.select_related("role")),
            Prefetch(
                "answers",
                queryset=Answer.objects.filter(reason_rank__isnull=False)
                .select_related("question", "choice")
                .order_by("reason_rank"),
                to_attr="reason_answers",
            ),
            Prefetch(
                "recommended_tools",
                queryset=RecommendedTool.objects.select_related("tool__category"),
            ),
        )
    )


def assessment_get_owned(*, assessment_id, user) -> Assessment:
    """One of the user's own assessments with scores and answers; else Assessment.DoesNotExist."""
    return _assessment_detail_queryset().owned_by(user).get(pk=assessment_id)


def assessment_list(*, user) -> QuerySet[Assessment]:
    """The user's assessments, newest first, with their scores."""
    return (
        Assessment.objects.owned_by(user)
        .select_related("version__quiz", "top_role")
        .prefetch_related(Prefetch("scores", queryset=RoleScore.objects.select_related("role")))
        .order_by("-created_at", "pk")
    )


def fit_history(*, user, limit: int = CHART_POINTS) -> list[dict[str, Any]]:
    """Each role's fit over the user's latest `limit` assessments, oldest first, in one query."""
    recent_ids = Assessment.objects.owned_by(user).order_by("-created_at").values("pk")[:limit]
    rows = (
        RoleScore.objects.filter(assessment__in=recent_ids)
        .order_by("assessment__created_at", "role__order")
        .values("assessment_id", "assessment__created_at", "role__name", "role__slug", "percent")
    )
    return [dict(row) for row in rows]


# Where a result stands among everyone's (peers.py) -------------------------------------------


@dataclass(frozen=True)
class SameChoice:
    question_id: int
    question: str
    choice: str
    percent: int


@dataclass(frozen=True)
class PeerFigures:
    """Everyone's results on a quiz version beside one result. When fewer than
    settings.PEERS_MIN_RESULTS are counted, only `results` and `results_needed` are set."""

    results: int
    results_needed: int
    toward: str = ""  # the role on the right of the histogram (peers.lean's reference)
    away: str = ""  # the other role(s), on the left
    you: int = 0  # this result's lean
    same_lean_percent: int = 0
    histogram: list[peers.Bar] = field(default_factory=list)
    same_choice: list[SameChoice] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return self.results_needed == 0

    @property
    def tallest(self) -> int:
        return max((bar.count for bar in self.histogram), default=0)


def peer_figures(*, assessment: Assessment) -> PeerFigures:
    """The figures for a result's page (one query: the version's kept counts). The result is
    one with its scores and reason answers loaded (assessment_get_for_viewer)."""
    counts: dict[tuple[str, str], int] = {
        (kind, key): count
        for kind, key, count in PeerCount.objects.filter(
            version_id=assessment.version_id
        ).values_list("kind", "key", "count")
    }
    results = counts.get((peers.RESULTS, ""), 0)
    needed = peers.results_needed(results, settings.PEERS_MIN_RESULTS)
    if needed:
        return PeerFigures(results=results, results_needed=needed)
    scores = list(assessment.scores.all())
    reference = peers_reference_role()
    you = peers.lean({score.role.slug: score.percent for score in scores}, reference)
    bands = {
        int(key): count for (kind, key), count in counts.items() if kind == peers.LEAN and count
    }
    return PeerFigures(
        results=results,
        results_needed=0,
        toward=next((s.role.name for s in scores if s.role.slug == reference), ""),
        away=" / ".join(s.role.name for s in scores if s.role.slug != reference),
        you=you,
        same_lean_percent=peers.percent_of(
            counts.get((peers.TOP_ROLE, assessment.top_role.slug), 0), results
        ),
        histogram=peers.histogram(bands, you=you),
        same_choice=[
            SameChoice(
                question_id=answer.question_id,
                question=answer.question.text,
                choice=answer.choice.text,
                percent=peers.percent_of(
                    counts.get((peers.CHOICE, str(answer.choice_id)), 0), results
                ),
            )
            for answer in assessment.reason_answers  # type: ignore[attr-defined]  # set on load
        ],
    )


@dataclass(frozen=True)
class VersionFigures:
    """How a published version's results were received ("does this feel right?")."""

    version: QuizVersion
    results: int
    answers: int  # people who said whether their result felt right
    feels_right: int
    clear_answers: int
    clear_feels_right: int
    close_answers: int
    close_feels_right: int

    @property
    def shown(self) -> bool:
        return self.answers >= settings.PEERS_MIN_RESULTS

    @property
    def answers_needed(self) -> int:
        return peers.results_needed(self.answers, settings.PEERS_MIN_RESULTS)

    @property
    def feels_right_percent(self) -> int:
        return peers.percent_of(self.feels_right, self.answers)

    @property
    def clear_percent(self) -> int:
        return peers.percent_of(self.clear_feels_right, self.clear_answers)

    @property
    def close_percent(self) -> int:
        return peers.percent_of(self.close_feels_right, self.close_answers)


def methodology_figures() -> list[VersionFigures]:
    """Per published version, newest first: results counted and the feedback on them, split
    by clear lean and close call (three queries whatever the number of results)."""
    versions = list(
        QuizVersion.objects.published().select_related("quiz").order_by("quiz", "-number")
    )
    results = dict(
        PeerCount.objects.filter(kind=peers.RESULTS, key="").values_list("version_id", "count")
    )
    close = Q(assessment__margin__lt=scoring.CLOSE_CALL_BELOW)
    said_yes = Q(feels_right=True)
    feedback = {
        version_id: (answers, yes, close_answers, close_yes)
        for version_id, answers, yes, close_answers, close_yes in ResultFeedback.objects.filter(
            assessment__user__isnull=False
        )
        .values("assessment__version_id")
        # Named apart from the model's fields, which the filters refer to.
        .annotate(
            n_answers=Count("pk"),
            n_yes=Count("pk", filter=said_yes),
            n_close=Count("pk", filter=close),
            n_close_yes=Count("pk", filter=close & said_yes),
        )
        .values_list("assessment__version_id", "n_answers", "n_yes", "n_close", "n_close_yes")
    }
    figures = []
    for version in versions:
        answers, yes, close_answers, close_yes = feedback.get(version.pk, (0, 0, 0, 0))
        figures.append(
            VersionFigures(
                version=version,
                results=results.get(version.pk, 0),
                answers=answers,
                feels_right=yes,
                clear_answers=answers - close_answers,
                clear_feels_right=yes - close_yes,
                close_answers=close_answers,
                close_feels_right=close_yes,
            )
        )
    return figures
