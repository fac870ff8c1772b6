"""Figures about everyone's assessments: where one stands among everyone's on its quiz version
(peers.py), and how each version's results were received ("does this feel right?"), the one
presenter of the methodology's figures for its page, the API and the editors' admin."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q

from core import caching
from quizzes import scoring
from quizzes.models import QuizVersion
from roles.models import Role

from .. import peers
from ..models import FEEDBACK_COMMENT_MAX, Assessment, PeerCount, ResultFeedback


def peers_reference_role() -> str:
    """The role the lean is measured towards: the first role in catalog order."""
    return caching.catalog_data(
        name="peers:reference-role",
        build=lambda: (
            Role.objects.order_by("order", "name").values_list("slug", flat=True).first() or ""
        ),
    )


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
class FeelsRight:
    """Answers to "does this feel right?" among some results, and the share who said yes:
    `percent` is None while it is not to be shown (too few answers could tell on someone)."""

    answers: int
    feels_right: int
    feels_right_percent: int | None


@dataclass(frozen=True)
class LanguageFigures(FeelsRight):
    """A version's results taken in one language, and how they were received: the same
    questions and weights in every language, so a gap between languages points at a
    translation (or at different people), never at different scoring."""

    language: str = ""
    results: int = 0

    @property
    def name(self) -> str:
        return str(dict(settings.LANGUAGES).get(self.language, self.language))


@dataclass(frozen=True)
class VersionFigures(FeelsRight):
    """How a published version's results were received. Every share is None until it may be
    shown: the version's until it has settings.PEERS_MIN_RESULTS answers, the split by clear
    lean and close call until each part has as many (one small part could be worked out from
    the total and the other), and the languages' until every language has as many."""

    version: QuizVersion | None = None
    results: int = 0  # results counted on it
    answers_needed: int = 0  # answers still needed before its share is shown
    clear: FeelsRight = FeelsRight(0, 0, None)
    close_call: FeelsRight = FeelsRight(0, 0, None)
    languages: tuple[LanguageFigures, ...] = ()  # the languages it was taken in

    @property
    def shown(self) -> bool:
        return self.feels_right_percent is not None

    @property
    def split_shown(self) -> bool:
        return self.clear.feels_right_percent is not None

    @property
    def languages_split_shown(self) -> bool:
        return any(language.feels_right_percent is not None for language in self.languages)


@dataclass(frozen=True)
class Methodology:
    """The methodology's numbers (its rules) and each published version's figures, newest
    first."""

    versions: list[VersionFigures]
    close_call_below: int = scoring.CLOSE_CALL_BELOW
    reason_count: int = scoring.REASON_COUNT
    band_width: int = peers.LEAN_BAND_WIDTH
    smallest_bar: int = peers.SMALLEST_BAR
    comment_max: int = FEEDBACK_COMMENT_MAX
    min_results: int = field(default_factory=lambda: settings.PEERS_MIN_RESULTS)


def _feels_right(answers: int, yes: int, *, shown: bool) -> FeelsRight:
    return FeelsRight(answers, yes, peers.percent_of(yes, answers) if shown else None)


def _version_figures(
    version: QuizVersion,
    results: int,
    feedback: dict[str, tuple[int, int, int, int]],
    taken_in: dict[str, int],
) -> VersionFigures:
    """`feedback`: (answers, yes, close answers, close yes) per language; `taken_in`: results
    kept per language."""
    least = settings.PEERS_MIN_RESULTS
    answers, yes, close_answers, close_yes = (
        sum(counts[index] for counts in feedback.values()) for index in range(4)
    )
    shown = answers >= least
    split_shown = shown and min(answers - close_answers, close_answers) >= least
    by_language = [
        (code, taken_in.get(code, 0), *feedback.get(code, (0, 0))[:2])
        for code, _name in settings.LANGUAGES
        if taken_in.get(code) or code in feedback
    ]
    languages_shown = shown and all(row[2] >= least for row in by_language)
    return VersionFigures(
        version=version,
        results=results,
        answers=answers,
        feels_right=yes,
        feels_right_percent=peers.percent_of(yes, answers) if shown else None,
        answers_needed=peers.results_needed(answers, least),
        clear=_feels_right(answers - close_answers, yes - close_yes, shown=split_shown),
        close_call=_feels_right(close_answers, close_yes, shown=split_shown),
        languages=tuple(
            LanguageFigures(
                language=code,
                results=language_results,
                answers=language_answers,
                feels_right=language_yes,
                feels_right_percent=(
                    peers.percent_of(language_yes, language_answers) if languages_shown else None
                ),
            )
            for code, language_results, language_answers, language_yes in by_language
        ),
    )


def _versions_figures(versions: list[QuizVersion]) -> list[VersionFigures]:
    """The figures of `versions` (three queries whatever the number of results)."""
    results: dict[int, int] = {}
    results_in: dict[int, dict[str, int]] = {}
    for version_id, kind, key, count in PeerCount.objects.filter(
        Q(kind=peers.RESULTS, key="") | Q(kind=peers.LANGUAGE),
        version_id__in=[version.pk for version in versions],
    ).values_list("version_id", "kind", "key", "count"):
        if kind == peers.RESULTS:
            results[version_id] = count
        elif count > 0:
            results_in.setdefault(version_id, {})[key] = count
    close = Q(assessment__margin__lt=scoring.CLOSE_CALL_BELOW)  # scoring.is_close_call
    said_yes = Q(feels_right=True)
    # (answers, yes, close answers, close yes) per version and language
    feedback: dict[int, dict[str, tuple[int, int, int, int]]] = {}
    for version_id, language, *counts in (
        ResultFeedback.objects.filter(
            assessment__user__isnull=False,
            assessment__version_id__in=[version.pk for version in versions],
        )
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
    return [
        _version_figures(
            version,
            results.get(version.pk, 0),
            feedback.get(version.pk, {}),
            results_in.get(version.pk, {}),
        )
        for version in versions
    ]


def methodology_get() -> Methodology:
    """The methodology: its rules' numbers and, per published version, newest first, results
    counted and the feedback on them, split by clear lean and close call and by the language
    they were taken in (three queries whatever the number of results)."""
    versions = list(
        QuizVersion.objects.published().select_related("quiz").order_by("quiz", "-number")
    )
    return Methodology(versions=_versions_figures(versions))


def version_figures_get(*, version_id) -> VersionFigures | None:
    """One version's figures as the methodology shows them (the admin's "how people received
    it", through settings.QUIZ_VERSION_FIGURES); None for a version nobody can take."""
    version = QuizVersion.objects.published().select_related("quiz").filter(pk=version_id).first()
    return None if version is None else _versions_figures([version])[0]
