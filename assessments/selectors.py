"""Reads of people's results, each with its related rows fetched up front."""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from core import caching
from quizzes import scoring
from quizzes import selectors as quiz_selectors
from quizzes.models import QuizVersion
from roles.models import Role

from . import peers, rescoring
from .models import (
    Answer,
    Assessment,
    AssessmentQuerySet,
    PeerCount,
    RecommendedTool,
    ResultFeedback,
    RoleScore,
    ShareLink,
)

CHART_POINTS = 30
TOOLS_TO_LEARN_FIRST = 3


def tool_ids_to_learn_first(*, role: Role, count: int = TOOLS_TO_LEARN_FIRST) -> list[int]:
    """The role's first tools in catalog order: editors order them by what to learn first."""
    return list(role.tools.order_by("order", "name").values_list("pk", flat=True)[:count])


def peers_reference_role() -> str:
    """The role the lean is measured towards: the first role in catalog order."""
    return caching.catalog_data(
        name="peers:reference-role",
        build=lambda: (
            Role.objects.order_by("order", "name").values_list("slug", flat=True).first() or ""
        ),
    )


def _assessment_detail_queryset() -> AssessmentQuerySet:
    return Assessment.objects.select_related(
        "version__quiz", "top_role", "rescored_from"
    ).prefetch_related(
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
        .select_related("version__quiz", "top_role", "rescored_from")
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
class LanguageFigures:
    """A version's results taken in one language, and how they were received: the same
    questions and weights in every language, so a gap between languages points at a
    translation (or at different people), never at different scoring."""

    language: str
    results: int
    answers: int
    feels_right: int

    @property
    def name(self) -> str:
        return str(dict(settings.LANGUAGES).get(self.language, self.language))

    @property
    def shown(self) -> bool:
        return self.answers >= settings.PEERS_MIN_RESULTS

    @property
    def feels_right_percent(self) -> int:
        return peers.percent_of(self.feels_right, self.answers)


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
    languages: tuple[LanguageFigures, ...] = ()  # the languages it was taken in

    @property
    def shown(self) -> bool:
        return self.answers >= settings.PEERS_MIN_RESULTS

    @property
    def answers_needed(self) -> int:
        return peers.results_needed(self.answers, settings.PEERS_MIN_RESULTS)

    @property
    def split_shown(self) -> bool:
        """Whether the split by clear lean and close call may be shown: only when each part
        has enough answers of its own (one small part could be worked out from the total and
        the other)."""
        least = settings.PEERS_MIN_RESULTS
        return self.shown and min(self.clear_answers, self.close_answers) >= least

    @property
    def languages_split_shown(self) -> bool:
        """Whether how each language's results were received may be shown: only when every
        language has enough answers of its own (as for the clear/close split)."""
        least = settings.PEERS_MIN_RESULTS
        return self.shown and all(language.answers >= least for language in self.languages)

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
    by clear lean and close call, and by the language they were taken in (three queries
    whatever the number of results)."""
    versions = list(
        QuizVersion.objects.published().select_related("quiz").order_by("quiz", "-number")
    )
    results: dict[int, int] = {}
    results_in: dict[int, dict[str, int]] = {}
    for version_id, kind, key, count in PeerCount.objects.filter(
        Q(kind=peers.RESULTS, key="") | Q(kind=peers.LANGUAGE)
    ).values_list("version_id", "kind", "key", "count"):
        if kind == peers.RESULTS:
            results[version_id] = count
        elif count > 0:
            results_in.setdefault(version_id, {})[key] = count
    close = Q(assessment__margin__lt=scoring.CLOSE_CALL_BELOW)
    said_yes = Q(feels_right=True)
    # (answers, yes, close answers, close yes) per version and language
    feedback: dict[int, dict[str, tuple[int, int, int, int]]] = {}
    for version_id, language, *counts in (
        ResultFeedback.objects.filter(assessment__user__isnull=False)
        .values("assessment__version_id", "assessment__language")
        # Named apart from the model's fields, which the filters refer to.
        .annotate(
            n_answers=Count("pk"),
            n_yes=Count("pk", filter=said_yes),
            n_close=Count("pk", filter=close),
            n_close_yes=Count("pk", filter=close & said_yes),
        )
        .values_list(
            "assessment__version_id",
            "assessment__language",
            "n_answers",
            "n_yes",
            "n_close",
            "n_close_yes",
        )
    ):
        feedback.setdefault(version_id, {})[language] = tuple(counts)  # type: ignore[assignment]
    figures = []
    for version in versions:
        by_language = feedback.get(version.pk, {})
        answers, yes, close_answers, close_yes = (
            sum(counts[index] for counts in by_language.values()) for index in range(4)
        )
        taken_in = results_in.get(version.pk, {})
        languages = tuple(
            LanguageFigures(
                language=code,
                results=taken_in.get(code, 0),
                answers=by_language.get(code, (0, 0, 0, 0))[0],
                feels_right=by_language.get(code, (0, 0, 0, 0))[1],
            )
            for code, _name in settings.LANGUAGES
            if taken_in.get(code) or code in by_language
        )
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
                languages=languages,
            )
        )
    return figures


def version_figures_get(*, version_id) -> VersionFigures | None:
    """One version's methodology figures (the admin's "how people received it"); None for a
    version nobody can take."""
    return next((row for row in methodology_figures() if row.version.pk == version_id), None)


# Reading an old result under the current version (rescoring.py) -----------------------------


@dataclass(frozen=True)
class VersionKeys:
    """A version's questions by their keys, as the comparison takes them, and the ids the site
    and the API use for them."""

    questions: list[rescoring.KeyedQuestion]
    question_ids: dict[str, int]  # question key -> id
    choice_ids: dict[str, dict[str, int]]  # question key -> choice key -> id
    choice_keys: dict[int, tuple[str, str]]  # choice id -> (question key, choice key)
    roles: list[str]  # the roles its weights name, in catalog order


def _version_keys(version: QuizVersion) -> VersionKeys:
    questions = quiz_selectors.question_list(version=version, with_weights=True)
    order = {role.slug: index for index, role in enumerate(quiz_selectors.role_list_for_scoring())}
    named: set[str] = set()
    keyed = []
    for question in questions:
        choices = {}
        for choice in question.choices.all():
            choices[choice.key] = {w.role.slug: w.weight for w in choice.weights.all()}
            named.update(choices[choice.key])
        keyed.append(
            rescoring.KeyedQuestion(
                key=question.key,
                text=question.text,
                choices=choices,
                choice_texts={choice.key: choice.text for choice in question.choices.all()},
            )
        )
    return VersionKeys(
        questions=keyed,
        question_ids={question.key: question.pk for question in questions},
        choice_ids={q.key: {c.key: c.pk for c in q.choices.all()} for q in questions},
        choice_keys={c.pk: (q.key, c.key) for q in questions for c in q.choices.all()},
        roles=sorted(named, key=lambda slug: order.get(slug, len(order))),
    )


def version_keys(*, version: QuizVersion) -> VersionKeys:
    """version's questions by key, read once per catalog version."""
    return caching.catalog_data(name=f"keys:{version.pk}", build=lambda: _version_keys(version))


@dataclass(frozen=True)
class RescorePreview:
    """An old result beside the current version: what carries over, what is still to answer,
    and (once everything is answered) the comparison."""

    assessment: Assessment
    to_version: QuizVersion
    carried: dict[str, str]  # question key -> choice key
    fresh: dict[str, str]  # answers given for the new questions
    missing: list[str]  # keys of new questions still to answer, in order
    new_keys: VersionKeys
    comparison: rescoring.Comparison | None

    @property
    def missing_ids(self) -> list[int]:
        return [self.new_keys.question_ids[key] for key in self.missing]

    @property
    def to_answer(self) -> int:
        """How many questions the person answers afresh in all."""
        return len(self.missing) + len(self.fresh)


def rescore_preview(
    *, assessment: Assessment, answers: Iterable[tuple[object, object]] = ()
) -> RescorePreview:
    """The current version's reading of `assessment` with `answers` ((question id, choice id)
    for new questions only). ValidationError naming the problem for a result already on the
    current version or an answer that is not for a new question."""
    try:
        to_version = quiz_selectors.current_version_get(quiz_slug=assessment.version.quiz.slug)
    except QuizVersion.DoesNotExist:
        raise ValidationError({"detail": _("No quiz version is open to read it under.")}) from None
    if to_version.pk == assessment.version_id:
        raise ValidationError({"detail": _("This result is already on the current questions.")})
    old_keys = version_keys(version=assessment.version)
    new_keys = version_keys(version=to_version)
    old_answers = dict(
        old_keys.choice_keys[answer.choice_id]
        for answer in assessment.answers.all()
        if answer.choice_id in old_keys.choice_keys
    )
    carried, still = rescoring.carried_answers(old_answers, new_keys.questions)
    key_of_id = {pk: key for key, pk in new_keys.question_ids.items()}
    fresh: dict[str, str] = {}
    problems: list[str] = []
    for question_id, choice_id in answers:
        key = key_of_id.get(question_id) if isinstance(question_id, int) else None
        if key is None:
            problems.append(
                _("Question %(id)s is not in the current questions.")
                % {"id": str(question_id)[:20]}
            )
        elif key not in still:
            problems.append(
                _("Question %(id)s is not new: your answer to it carries over.")
                % {"id": question_id}
            )
        elif key in fresh:
            problems.append(_("Question %(id)s is answered more than once.") % {"id": question_id})
        elif not isinstance(choice_id, int) or new_keys.choice_keys.get(choice_id, ("",))[0] != key:
            problems.append(
                _("That choice does not belong to question %(id)s.") % {"id": question_id}
            )
        else:
            fresh[key] = new_keys.choice_keys[choice_id][1]
    if problems:
        raise ValidationError({"answers": problems})
    missing = [key for key in still if key not in fresh]
    comparison = None
    if not missing:
        comparison = rescoring.compare(
            old_questions=old_keys.questions,
            old_answers=old_answers,
            old_roles=[score.role.slug for score in assessment.scores.all()] or old_keys.roles,
            new_questions=new_keys.questions,
            new_answers={**carried, **fresh},
            new_roles=[role.slug for role in quiz_selectors.role_list_for_scoring()],
        )
    return RescorePreview(
        assessment=assessment,
        to_version=to_version,
        carried=carried,
        fresh=fresh,
        missing=missing,
        new_keys=new_keys,
        comparison=comparison,
    )


# Share links ---------------------------------------------------------------------------------

SHARE_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


def share_get_live(*, token: str) -> ShareLink:
    """A live link with its result, the result's version and scores (and the owner for the
    name); ShareLink.DoesNotExist for a revoked, unknown or malformed token. Never cached: a
    revoked link answers 404 at once on every instance."""
    if not SHARE_TOKEN.fullmatch(token):
        raise ShareLink.DoesNotExist
    return (
        ShareLink.objects.live()
        .select_related("assessment__version__quiz", "assessment__top_role", "assessment__user")
        .prefetch_related(
            Prefetch("assessment__scores", queryset=RoleScore.objects.select_related("role"))
        )
        .get(token=token)
    )


def share_list(*, assessment_id, user) -> list[ShareLink]:
    """The live links of one of the person's results, newest first; Assessment.DoesNotExist
    for anyone else's."""
    assessment = Assessment.objects.owned_by(user).only("pk").get(pk=assessment_id)
    return list(ShareLink.objects.live().filter(assessment=assessment))


def share_links_of(*, user) -> list[ShareLink]:
    """Every live link of the person, with its result, for the profile."""
    return list(
        ShareLink.objects.live()
        .filter(assessment__user=user)
        .select_related("assessment__top_role", "assessment__version")
    )
