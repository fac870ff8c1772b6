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
    percent: int | None  # None: fewer than 5 people on one side (peers.shown_share)


@dataclass(frozen=True)
class PeerFigures:
    """Everyone's results on a quiz version beside one result, as shown: each person counted
    once (their latest result), every count rounded and None where it would stand for fewer
    than peers.SMALLEST_GROUP people (peers.shown_count, peers.shown_share). Until
    settings.PEERS_MIN_RESULTS people are counted, only `people_needed` is set."""

    people_needed: int
    minimum: int  # settings.PEERS_MIN_RESULTS
    people: int | None = None
    toward: str = ""  # the role on the right of the histogram (peers.lean's reference)
    away: str = ""  # the other role(s), on the left
    toward_slug: str = ""  # the same roles by slug
    away_slugs: list[str] = field(default_factory=list)
    you: int = 0  # this result's lean
    same_lean_percent: int | None = None
    histogram: list[peers.Bar] = field(default_factory=list)
    same_choice: list[SameChoice] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return self.people_needed == 0


def peer_figures(*, assessment: Assessment) -> PeerFigures:
    """The figures for a result's page (one query: the version's kept counts). The result is
    one with its scores and reason answers loaded (assessment_get_for_viewer)."""
    counts: dict[tuple[str, str], int] = {
        (kind, key): count
        for kind, key, count in PeerCount.objects.filter(
            version_id=assessment.version_id
        ).values_list("kind", "key", "count")
    }
    people = counts.get((peers.PEOPLE, ""), 0)
    needed = peers.people_needed(people, settings.PEERS_MIN_RESULTS)
    if needed:
        return PeerFigures(people_needed=needed, minimum=settings.PEERS_MIN_RESULTS)
    scores = list(assessment.scores.all())
    reference = peers_reference_role()
    you = peers.lean({score.role.slug: score.percent for score in scores}, reference)
    bands = {
        int(key): count for (kind, key), count in counts.items() if kind == peers.LEAN and count
    }
    return PeerFigures(
        people_needed=0,
        minimum=settings.PEERS_MIN_RESULTS,
        people=peers.shown_count(people),
        toward=next((s.role.name for s in scores if s.role.slug == reference), ""),
        away=" / ".join(s.role.name for s in scores if s.role.slug != reference),
        toward_slug=reference if any(s.role.slug == reference for s in scores) else "",
        away_slugs=[s.role.slug for s in scores if s.role.slug != reference],
        you=you,
        same_lean_percent=peers.shown_share(
            counts.get((peers.TOP_ROLE, assessment.top_role.slug), 0), people
        ),
        histogram=peers.histogram(bands, you=you),
        same_choice=[
            SameChoice(
                question_id=answer.question_id,
                question=answer.question.text,
                choice=answer.choice.text,
                percent=peers.shown_share(
                    counts.get((peers.CHOICE, str(answer.choice_id)), 0), people
                ),
            )
            for answer in assessment.reason_answers  # type: ignore[attr-defined]  # set on load
        ],
    )


@dataclass(frozen=True)
class FeelsRight:
    """Answers to "does this feel right?" among some people (each by their latest result), as
    shown: the counts rounded and None under peers.SMALLEST_GROUP people, and the share who
    said yes None while it is not to be shown (too few answers, or fewer than 5 people on
    either side, could tell on someone)."""

    answers: int | None
    feels_right: int | None
    feels_right_percent: int | None


@dataclass(frozen=True)
class LanguageFigures(FeelsRight):
    """A version's people who took it in one language, and how they received it: the same
    questions and weights in every language, so a gap between languages points at a
    translation (or at different people), never at different scoring."""

    language: str = ""
    results: int | None = None  # people, as shown

    @property
    def name(self) -> str:
        return str(dict(settings.LANGUAGES).get(self.language, self.language))


@dataclass(frozen=True)
class VersionFigures(FeelsRight):
    """How a published version's results were received, each person counted once. Every share
    is None until it may be shown: the version's until settings.PEERS_MIN_RESULTS people
    answered, the split by clear lean and close call until each part has as many (one small
    part could be worked out from the total and the other), and the languages' until every
    language has as many; and any share with fewer than 5 people on a side."""

    version: QuizVersion | None = None
    results: int | None = None  # people counted on it, as shown
    answers_needed: int = 0  # answers still needed before its share is shown (in steps)
    clear: FeelsRight = FeelsRight(None, None, None)
    close_call: FeelsRight = FeelsRight(None, None, None)
    languages: tuple[LanguageFigures, ...] = ()  # the languages it was taken in

    @property
    def shown(self) -> bool:
        return self.answers_needed == 0

    @property
    def split_shown(self) -> bool:
        return self.clear.answers is not None and self.close_call.answers is not None

    @property
    def languages_split_shown(self) -> bool:
        return any(language.answers is not None for language in self.languages)


@dataclass(frozen=True)
class Methodology:
    """The methodology's numbers (its rules) and each published version's figures, newest
    first."""

    versions: list[VersionFigures]
    close_call_below: int = scoring.CLOSE_CALL_BELOW
    reason_count: int = scoring.REASON_COUNT
    band_width: int = peers.LEAN_BAND_WIDTH
    smallest_bar: int = peers.SMALLEST_GROUP
    count_step: int = peers.COUNT_STEP
    comment_max: int = FEEDBACK_COMMENT_MAX
    min_results: int = field(default_factory=lambda: settings.PEERS_MIN_RESULTS)


def _feels_right(answers: int, yes: int, *, shown: bool) -> FeelsRight:
    """The answers and yeses as shown; nothing at all while `shown` is false."""
    if not shown:
        return FeelsRight(None, None, None)
    return FeelsRight(
        peers.shown_count(answers), peers.shown_count(yes), peers.shown_share(yes, answers)
    )


def _version_figures(
    version: QuizVersion,
    people: int,
    feedback: dict[str, tuple[int, int, int, int]],
    taken_in: dict[str, int],
) -> VersionFigures:
    """`feedback`: (answers, yes, close answers, close yes) per language; `taken_in`: people
    counted per language."""
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
    whole = _feels_right(answers, yes, shown=shown)
    return VersionFigures(
        version=version,
        results=peers.shown_count(people),
        answers=whole.answers,
        feels_right=whole.feels_right,
        feels_right_percent=whole.feels_right_percent,
        answers_needed=peers.people_needed(answers, least),
        clear=_feels_right(answers - close_answers, yes - close_yes, shown=split_shown),
        close_call=_feels_right(close_answers, close_yes, shown=split_shown),
        languages=tuple(
            LanguageFigures(
                answers=shown.answers,
                feels_right=shown.feels_right,
                feels_right_percent=shown.feels_right_percent,
                language=code,
                results=peers.shown_count(language_people),
            )
            for code, language_people, language_answers, language_yes in by_language
            for shown in [_feels_right(language_answers, language_yes, shown=languages_shown)]
        ),
    )


def _versions_figures(versions: list[QuizVersion]) -> list[VersionFigures]:
    """The figures of `versions` (three queries whatever the number of results)."""
    results: dict[int, int] = {}
    results_in: dict[int, dict[str, int]] = {}
    for version_id, kind, key, count in PeerCount.objects.filter(
        Q(kind=peers.PEOPLE, key="") | Q(kind=peers.LANGUAGE),
        version_id__in=[version.pk for version in versions],
    ).values_list("version_id", "kind", "key", "count"):
        if kind == peers.PEOPLE:
            results[version_id] = count
        elif count > 0:
            results_in.setdefault(version_id, {})[key] = count
    close = Q(assessment__margin__lt=scoring.CLOSE_CALL_BELOW)  # scoring.is_close_call
    said_yes = Q(feels_right=True)
    # (answers, yes, close answers, close yes) per version and language, each person once:
    # the feedback on their counted (latest) result.
    feedback: dict[int, dict[str, tuple[int, int, int, int]]] = {}
    for version_id, language, *counts in (
        ResultFeedback.objects.filter(
            assessment__in=Assessment.objects.counted().filter(
                version_id__in=[version.pk for version in versions]
            ),
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
    """The methodology: its rules' numbers and, per published version, newest first, people
    counted and the feedback on their latest results, as shown (rounded, small counts
    hidden), split by clear lean and close call and by the language they were taken in
    (three queries whatever the number of results)."""
    versions = list(
        QuizVersion.objects.published().select_related("quiz").order_by("quiz", "-number")
    )
    return Methodology(versions=_versions_figures(versions))


def version_figures_get(*, version_id) -> VersionFigures | None:
    """One version's figures as the methodology shows them (the admin's "how people received
    it", through settings.QUIZ_VERSION_FIGURES); None for a version nobody can take."""
    version = QuizVersion.objects.published().select_related("quiz").filter(pk=version_id).first()
    return None if version is None else _versions_figures([version])[0]
