"""The evidence about each published quiz version, for the methodology page and the API (one
presenter for both): agreement with people's own sense by margin band, internal consistency
(Cronbach's alpha with Feldt's interval), retest consistency, and when results were settled.
The arithmetic is quizzes.evidence's (pure); this module reads the rows and applies the
people rule (peers.py): nothing from fewer than settings.PEERS_MIN_RESULTS people, no count
or share standing for fewer than peers.SMALLEST_GROUP, counts rounded to peers.COUNT_STEP and
shares (and their intervals) worked out from the rounded counts."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from quizzes import evidence, scoring
from quizzes.models import ChoiceWeight, QuizVersion
from roles.models import Role

from .. import peers
from ..models import Answer, Assessment, ResultFeedback

# Settled after how much of the quiz: up to a quarter, a half, three quarters, or later.
SETTLED_QUARTERS = (25, 50, 75, 100)


@dataclass(frozen=True)
class ShownShare:
    """A share as shown: the people it is out of and those who said yes (or kept their role),
    rounded, and the share with its Wilson 95% interval in whole percent, all from the rounded
    counts. `percent` None: not shown (fewer than 5 people on one side)."""

    n: int | None
    yes: int | None
    percent: int | None = None
    low: int | None = None
    high: int | None = None


def shown_share(yes: int, n: int) -> ShownShare:
    """The people rule on a share with its interval (see the module's docstring)."""
    shown_n, shown_yes = peers.shown_count(n), peers.shown_count(yes)
    percent = peers.shown_share(yes, n)
    if percent is None or not shown_n:
        return ShownShare(shown_n, shown_yes)
    low, high = evidence.wilson_interval(shown_yes or 0, shown_n)
    return ShownShare(shown_n, shown_yes, percent, round(100 * low), round(100 * high))


@dataclass(frozen=True)
class BandAgreement:
    band: str  # evidence.CLOSE, MIDDLE or CLEAR
    start: int  # margin in points, included
    end: int | None  # excluded; None: no upper end
    share: ShownShare


@dataclass(frozen=True)
class Consistency:
    """Cronbach's alpha over item scores with Feldt's 95% interval, from `people` (rounded)."""

    people: int | None
    questions: int
    alpha: float | None = None
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class SettledSpread:
    """How many results (rounded; None under 5) were settled after more than `from_percent`
    and at most `up_to_percent` of the quiz's questions."""

    from_percent: int
    up_to_percent: int
    results: int | None


@dataclass(frozen=True)
class VersionEvidence:
    version: QuizVersion
    people: int  # counted, not shown: decides what may be shown
    minimum: int
    bands: list[BandAgreement] = field(default_factory=list)  # empty: not shown
    rises: bool | None = None  # agreement never falls from band to band; None: can't tell
    consistency: Consistency | None = None
    retest: ShownShare | None = None
    retest_people: int = 0  # counted, not shown
    settled: list[SettledSpread] = field(default_factory=list)
    settled_median: int | None = None  # the question number, of `questions`
    questions: int = 0

    @property
    def shown(self) -> bool:
        return self.people >= self.minimum

    @property
    def people_shown(self) -> int | None:
        return peers.shown_count(self.people)


def _bands(counts: dict[str, tuple[int, int]], least: int) -> list[BandAgreement]:
    """The bands to show: each with `least` answers or more, and only if the answers left out
    are none or `least` or more (else they could be worked out from the total)."""
    below = scoring.CLOSE_CALL_BELOW
    spans = {
        evidence.CLOSE: (0, below),
        evidence.MIDDLE: (below, 2 * below),
        evidence.CLEAR: (2 * below, None),
    }
    shown = [band for band in evidence.BANDS if counts[band][0] >= least]
    hidden = sum(counts[band][0] for band in evidence.BANDS if band not in shown)
    if not shown or 0 < hidden < least:
        return []
    return [
        BandAgreement(band, *spans[band], shown_share(counts[band][1], counts[band][0]))
        for band in shown
    ]


def _item_scores(
    versions: list[QuizVersion], counted: QuerySet[Assessment]
) -> dict[int, tuple[int, list[list[float]]]]:
    """Per version: its question count and each counted person's item scores (two queries:
    the weights, the answers)."""
    first_two = list(Role.objects.order_by("order", "name").values_list("slug", flat=True)[:2])
    weights: dict[int, dict[int, dict[str, int]]] = {}  # question -> choice -> role -> weight
    question_version: dict[int, int] = {}
    for version_id, question_id, choice_id, role, weight in ChoiceWeight.objects.filter(
        choice__question__version__in=versions, choice__question__is_tie_breaker=False
    ).values_list(
        "choice__question__version_id", "choice__question_id", "choice_id", "role__slug", "weight"
    ):
        weights.setdefault(question_id, {}).setdefault(choice_id, {})[role] = weight
        question_version[question_id] = version_id
    if len(first_two) < 2:
        return {}
    first, second = first_two
    maxima = {question: evidence.question_maxima(choices) for question, choices in weights.items()}
    order: dict[int, list[int]] = {}
    for question_id in sorted(weights):
        order.setdefault(question_version[question_id], []).append(question_id)
    rows: dict[object, dict[int, float]] = {}
    owner: dict[object, int] = {}
    # The quiz's own questions: tie-breakers are answered by close calls only.
    for assessment_id, version_id, question_id, choice_id in Answer.objects.filter(
        assessment__in=counted, question__is_tie_breaker=False
    ).values_list("assessment_id", "assessment__version_id", "question_id", "choice_id"):
        choice = weights.get(question_id, {}).get(choice_id, {})
        rows.setdefault(assessment_id, {})[question_id] = evidence.item_score(
            choice, maxima.get(question_id, {}), first, second
        )
        owner[assessment_id] = version_id
    matrices: dict[int, tuple[int, list[list[float]]]] = {
        version.pk: (len(order.get(version.pk, [])), []) for version in versions
    }
    for result, scores in rows.items():
        questions = order.get(owner[result], [])
        if len(scores) == len(questions):  # a complete set of answers, as every result has
            matrices[owner[result]][1].append([scores[q] for q in questions])
    return matrices


def _consistency(people: int, questions: int, matrix: list[list[float]]) -> Consistency:
    alpha = evidence.cronbach_alpha(matrix)
    if alpha is None:
        return Consistency(peers.shown_count(people), questions)
    interval = evidence.feldt_interval(alpha, people=len(matrix), questions=questions)
    low, high = interval if interval is not None else (None, None)
    return Consistency(
        peers.shown_count(people),
        questions,
        round(alpha, 2),
        None if low is None else round(low, 2),
        None if high is None else round(high, 2),
    )


def _settled(values: list[tuple[int, int]]) -> tuple[list[SettledSpread], int | None]:
    """(settled after, questions) of each counted result -> the spread and the median
    question (None when fewer than peers.SMALLEST_GROUP results say)."""
    if len(values) < peers.SMALLEST_GROUP:
        return [], None
    buckets = dict.fromkeys(SETTLED_QUARTERS, 0)
    for settled, questions in values:
        share = min(100, 100 * settled / questions) if questions else 100
        buckets[next(q for q in SETTLED_QUARTERS if share <= q)] += 1
    ordered = sorted(settled for settled, _questions in values)
    median = ordered[(len(ordered) - 1) // 2]
    starts = (0, *SETTLED_QUARTERS[:-1])
    spread = [
        SettledSpread(start, end, peers.shown_count(buckets[end]))
        for start, end in zip(starts, SETTLED_QUARTERS, strict=True)
    ]
    return spread, median


def evidence_list() -> list[VersionEvidence]:
    """The evidence of every published version, newest first (seven queries whatever the
    number of versions or results: the versions, the counted results, their feedback, the
    roles, the weights, the answers, and everyone's results for the retest)."""
    versions = list(
        QuizVersion.objects.published().select_related("quiz").order_by("quiz", "-number")
    )
    if not versions:
        return []
    least = settings.PEERS_MIN_RESULTS
    counted = Assessment.objects.counted().filter(version__in=versions)
    people: dict[int, int] = {}
    settled_at: dict[int, list[int]] = {}
    for version_id, settled, by_tie_breakers, first_reading in counted.values_list(
        "version_id", "settled_at_question", "settled_by_tie_breakers", "first_reading"
    ):
        people[version_id] = people.get(version_id, 0) + 1
        if by_tie_breakers:
            # The quiz's own reading: the figures are about the quiz, not its tie-breakers.
            settled = (first_reading or {}).get("settled_at_question")
        if settled:  # None on a result saved before it was recorded
            settled_at.setdefault(version_id, []).append(settled)
    feedback: dict[int, list[tuple[int, bool]]] = {}
    for version_id, margin, feels_right in ResultFeedback.objects.filter(
        assessment__in=counted
    ).values_list("assessment__version_id", "assessment__margin", "feels_right"):
        feedback.setdefault(version_id, []).append((margin, feels_right))
    matrices = _item_scores(versions, counted)
    retest = evidence.retest_pairs(
        evidence.Taken(person=user_id, version=version_id, at=at, top_role=str(top_role_id))
        for user_id, version_id, at, top_role_id in Assessment.objects.filter(
            user__isnull=False, rescored_from__isnull=True, version__in=versions
        ).values_list("user_id", "version_id", "created_at", "top_role_id")
    )
    result = []
    for version in versions:
        count = people.get(version.pk, 0)
        if count < least:
            result.append(VersionEvidence(version=version, people=count, minimum=least))
            continue
        bands = _bands(
            evidence.agreement_by_band(feedback.get(version.pk, []), scoring.CLOSE_CALL_BELOW),
            least,
        )
        questions, matrix = matrices.get(version.pk, (0, []))
        retest_people, retest_same = retest.get(version.pk, (0, 0))
        spread, median = _settled([(at, questions) for at in settled_at.get(version.pk, [])])
        result.append(
            VersionEvidence(
                version=version,
                people=count,
                minimum=least,
                bands=bands,
                rises=evidence.rises([band.share.percent for band in bands]),
                consistency=_consistency(count, questions, matrix),
                retest=(
                    shown_share(retest_same, retest_people) if retest_people >= least else None
                ),
                retest_people=retest_people,
                settled=spread,
                settled_median=median,
                questions=questions,
            )
        )
    return result


def definitions() -> dict[str, str]:
    """Each figure in plain words, the one text for the page and the API (in the active
    language)."""
    below = scoring.CLOSE_CALL_BELOW
    return {
        "agreement": _(
            "Of the people who answered “does this feel right?” about their latest result, the "
            "share who said yes, for close calls (under %(below)s points between the top two "
            "roles), for margins of %(below)s to %(twice)s points, and for %(twice_plus)s "
            "points or more. If the quiz tells people apart well, the share should rise with "
            "the margin."
        )
        % {"below": below, "twice": 2 * below - 1, "twice_plus": 2 * below},
        "interval": _(
            "The range in brackets is a 95%% interval (Wilson's): with this many answers, "
            "shares outside it would be unlikely to give what we saw. Few answers, wide range."
        ),
        "consistency": _(
            "Whether the questions pull the same way. Each answer gets a score from -1 to 1: "
            "how much of the first role's best answer in that question it is, minus the same "
            "for the second role. Cronbach's alpha is near 1 when people who lean one way on "
            "some questions lean the same way on the others, and near 0 when the questions "
            "have little to do with each other. The range is Feldt's 95%% interval."
        ),
        "retest": _(
            "Of the people who took the same version twice, between %(min)s and %(max)s days "
            "apart, the share whose top role stayed the same (their first two results that "
            "far apart)."
        )
        % {"min": evidence.RETEST_MIN_DAYS, "max": evidence.RETEST_MAX_DAYS},
        "settled": _(
            "The question after which no answers to the rest could have changed your top "
            "role: the lead so far was larger than the most the questions still to come could "
            "move it. How the latest results spread over the quiz."
        ),
    }
