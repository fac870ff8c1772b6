"""Evidence about the instrument: pure functions, no ORM, no Django, no I/O.

What a quiz version's results say about the quiz itself, for the methodology page and the
editors' item analysis:

- a share with its Wilson 95% interval (agreement by margin band, retest consistency);
- internal consistency: Cronbach's alpha with Feldt's 95% interval, the corrected item-total
  correlation of each question and alpha if it were left out, all over *item scores*;
- which margin band a result falls in, and the people to pair for a retest;
- when a result was settled: the first question after which no answers still to come could
  have changed the top role.

Item score: an answer's signed lean, the share of the first catalog role's highest weight in
the question that the chosen choice gives, minus the same share for the second role (from -1
to 1). Alpha over these scores asks whether the questions pull the same way between the two
roles the quiz mainly tells apart.

F quantiles (for Feldt's interval) come from the regularized incomplete beta function, worked
out here by its continued fraction and inverted by bisection: a few dozen lines instead of
SciPy and NumPy (about 100 MB) for one distribution; checked against published tables in the
tests.
"""

import itertools
import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

Z95 = 1.959963984540054  # the standard normal's 97.5% quantile
RETEST_MIN_DAYS, RETEST_MAX_DAYS = 14, 90
CLOSE, MIDDLE, CLEAR = "close", "middle", "clear"
BANDS = (CLOSE, MIDDLE, CLEAR)


# Shares ------------------------------------------------------------------------------------


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for a share of `successes` out of `n` (0..1 both ends); for
    n = 0, the whole of [0, 1]. Unlike p ± z·se it stays inside [0, 1] and is honest for
    small n and for shares near 0 or 1."""
    if n <= 0:
        return 0.0, 1.0
    if not 0 <= successes <= n:
        raise ValueError("successes must be between 0 and n")
    p = successes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    # Clamped against rounding: at p = 0 or 1 one end is exactly 0 or 1 on paper.
    return max(0.0, min(p, centre - half)), min(1.0, max(p, centre + half))


# Internal consistency ----------------------------------------------------------------------

Matrix = Sequence[Sequence[float]]  # one row per person, one column per question


def _variance(values: Sequence[float]) -> float:
    """Population variance (any consistent choice gives the same alpha and correlations)."""
    n = len(values)
    mean = math.fsum(values) / n
    return math.fsum((value - mean) ** 2 for value in values) / n


def _covariance(left: Sequence[float], right: Sequence[float]) -> float:
    n = len(left)
    mean_left, mean_right = math.fsum(left) / n, math.fsum(right) / n
    pairs = zip(left, right, strict=True)
    return math.fsum((a - mean_left) * (b - mean_right) for a, b in pairs) / n


def _columns(scores: Matrix) -> list[list[float]]:
    rows = [list(row) for row in scores]
    if not rows:
        return []
    width = len(rows[0])
    if any(len(row) != width for row in rows):
        raise ValueError("every person needs a score for every question")
    return [[row[index] for row in rows] for index in range(width)]


def _alpha_of_columns(columns: Sequence[Sequence[float]]) -> float | None:
    k = len(columns)
    if k < 2 or len(columns[0]) < 2:
        return None
    totals = [math.fsum(values) for values in zip(*columns, strict=True)]
    total_variance = _variance(totals)
    if total_variance <= 1e-12:
        return None
    items = math.fsum(_variance(column) for column in columns)
    return k / (k - 1) * (1 - items / total_variance)


def cronbach_alpha(scores: Matrix) -> float | None:
    """Cronbach's alpha: k/(k-1) · (1 - sum of the questions' variances / variance of the
    totals). At most 1; None with fewer than two questions or people, or when everyone's
    total is the same (nothing to be consistent about)."""
    return _alpha_of_columns(_columns(scores))


def corrected_item_total(scores: Matrix) -> list[float | None]:
    """Each question's correlation with the total of the *other* questions (so a question is
    not correlated with itself). Negative: the question pulls against the rest. None where
    the question or the rest does not vary."""
    columns = _columns(scores)
    totals = [math.fsum(values) for values in zip(*columns, strict=True)]
    correlations: list[float | None] = []
    for column in columns:
        rest = [total - value for total, value in zip(totals, column, strict=True)]
        spread = _variance(column) * _variance(rest)
        if len(column) < 2 or spread <= 1e-12:
            correlations.append(None)
        else:
            correlations.append(_covariance(column, rest) / math.sqrt(spread))
    return correlations


def alpha_if_deleted(scores: Matrix) -> list[float | None]:
    """Alpha of the other questions, for each question left out in turn."""
    columns = _columns(scores)
    return [
        _alpha_of_columns(columns[:index] + columns[index + 1 :]) for index in range(len(columns))
    ]


def feldt_interval(
    alpha: float, *, people: int, questions: int, confidence: float = 0.95
) -> tuple[float, float] | None:
    """Feldt's interval for alpha: (1 - alpha)/(1 - true alpha) follows an F distribution with
    n-1 and (n-1)(k-1) degrees of freedom, so the interval is 1 - (1 - alpha)·F at the upper
    and lower tail quantiles. None with fewer than 2 people or 2 questions. The lower end
    may be below 0: that is the data saying little, not an error."""
    if people < 2 or questions < 2:
        return None
    df1, df2 = people - 1, (people - 1) * (questions - 1)
    tail = (1 - confidence) / 2
    lower = 1 - (1 - alpha) * f_quantile(1 - tail, df1, df2)
    upper = 1 - (1 - alpha) * f_quantile(tail, df1, df2)
    return lower, upper


# The F distribution, through the regularized incomplete beta function ---------------------


def _beta_continued_fraction(x: float, a: float, b: float) -> float:
    """The continued fraction of the incomplete beta (modified Lentz's method)."""
    tiny, epsilon = 1e-300, 3e-16
    qab, qap, qam = a + b, a + 1, a - 1
    c, d = 1.0, 1 - qab * x / qap
    d = 1 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 100_000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1 + aa * d
        d = 1 / (d if abs(d) > tiny else tiny)
        c = 1 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1 + aa * d
        d = 1 / (d if abs(d) > tiny else tiny)
        c = 1 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1) < epsilon:
            return h
    raise ArithmeticError("the incomplete beta's continued fraction did not converge")


def regularized_beta(x: float, a: float, b: float) -> float:
    """I_x(a, b), the regularized incomplete beta function, for 0 <= x <= 1 and a, b > 0."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    # The fraction converges fast on this side of the mean; use symmetry on the other.
    if x < (a + 1) / (a + b + 2):
        return front * _beta_continued_fraction(x, a, b) / a
    return 1 - front * _beta_continued_fraction(1 - x, b, a) / b


def f_cdf(x: float, df1: float, df2: float) -> float:
    """P(F <= x) for an F distribution with df1 and df2 degrees of freedom."""
    if x <= 0:
        return 0.0
    return regularized_beta(df1 * x / (df1 * x + df2), df1 / 2, df2 / 2)


def f_quantile(p: float, df1: float, df2: float) -> float:
    """The x with P(F <= x) = p, by bisection on the beta variable y = df1·x/(df1·x + df2)."""
    if not 0 < p < 1:
        raise ValueError("p must be strictly between 0 and 1")
    low, high = 0.0, 1.0
    for _step in range(200):
        middle = (low + high) / 2
        if regularized_beta(middle, df1 / 2, df2 / 2) < p:
            low = middle
        else:
            high = middle
        if high - low < 1e-15:
            break
    y = (low + high) / 2
    return df2 * y / (df1 * (1 - y))


# Item scores -------------------------------------------------------------------------------


def item_score(
    choice_weights: Mapping[str, int],
    question_maxima: Mapping[str, int],
    first: str,
    second: str,
) -> float:
    """An answer's signed lean: the chosen choice's weight for `first` as a share of the
    highest weight `first` has in the question, minus the same share for `second` (-1..1; a
    role with no weight in the question adds 0)."""

    def share(role: str) -> float:
        most = question_maxima.get(role, 0)
        return choice_weights.get(role, 0) / most if most else 0.0

    return share(first) - share(second)


def question_maxima(choices: Mapping[int, Mapping[str, int]]) -> dict[str, int]:
    """For one question (choice id -> role -> weight), each role's highest weight."""
    maxima: dict[str, int] = {}
    for weights in choices.values():
        for role, weight in weights.items():
            maxima[role] = max(maxima.get(role, 0), weight)
    return maxima


# Agreement by margin -----------------------------------------------------------------------


def margin_band(margin: int, close_below: int) -> str:
    """The band of a result's margin: a close call (under `close_below`), up to twice that
    (10-19 points with the default 10), or a clear lean (20 and more)."""
    if margin < close_below:
        return CLOSE
    if margin < 2 * close_below:
        return MIDDLE
    return CLEAR


def agreement_by_band(
    answers: Iterable[tuple[int, bool]], close_below: int
) -> dict[str, tuple[int, int]]:
    """(answers, yes) to "does this feel right?" per margin band, from (margin, feels_right)."""
    counts = {band: [0, 0] for band in BANDS}
    for margin, feels_right in answers:
        row = counts[margin_band(margin, close_below)]
        row[0] += 1
        row[1] += bool(feels_right)
    return {band: (row[0], row[1]) for band, row in counts.items()}


def rises(shares: Sequence[float | None]) -> bool | None:
    """Whether the shares shown (None: not shown) never fall from one band to the next;
    None when fewer than two are shown."""
    shown = [share for share in shares if share is not None]
    if len(shown) < 2:
        return None
    return all(later >= earlier for earlier, later in itertools.pairwise(shown))


# Retest consistency ------------------------------------------------------------------------


@dataclass(frozen=True)
class Taken:
    """One result as the retest needs it: whose, on which version, when, and its top role."""

    person: Hashable
    version: Hashable
    at: datetime
    top_role: str


def retest_pairs(
    results: Iterable[Taken],
    min_days: int = RETEST_MIN_DAYS,
    max_days: int = RETEST_MAX_DAYS,
) -> dict[Hashable, tuple[int, int]]:
    """Per version, (people, same): the people who took it twice between `min_days` and
    `max_days` apart, and how many of them kept the same top role. Each person counts once
    per version, by the first two results in a row that are so far apart."""
    by_person: dict[tuple[Hashable, Hashable], list[Taken]] = {}
    for taken in results:
        by_person.setdefault((taken.person, taken.version), []).append(taken)
    shortest, longest = timedelta(days=min_days), timedelta(days=max_days)
    counts: dict[Hashable, list[int]] = {}
    for (_person, version), theirs in by_person.items():
        theirs.sort(key=lambda item: item.at)
        for earlier, later in itertools.pairwise(theirs):
            if shortest <= later.at - earlier.at <= longest:
                row = counts.setdefault(version, [0, 0])
                row[0] += 1
                row[1] += earlier.top_role == later.top_role
                break
    return {version: (row[0], row[1]) for version, row in counts.items()}


# Settled -----------------------------------------------------------------------------------


def settled_after(
    questions: Sequence[Mapping[int, Mapping[str, int]]],
    chosen: Sequence[int],
    roles: Sequence[str],
) -> int:
    """The first question (1-based, in the order asked) after which no answers to the rest
    could have changed the top role: for every other role, the leader's lead in fit so far
    (each role's points over its most on the whole version) is larger than the most the
    questions still to come could move the two apart (in each, the choice that helps the
    other role most against the leader). Ties go to the role listed first, as in scoring.
    `questions`: choice id -> role -> weight, per question in order; `chosen`: the choice
    picked in each. The last question always settles it."""
    if len(questions) != len(chosen):
        raise ValueError("one choice per question")
    if not questions:
        return 0
    most = {
        role: sum(question_maxima(question).get(role, 0) for question in questions)
        for role in roles
    }

    # A role's fit is its points over `most[role]`. Scaled by the least common multiple of
    # those, every fit is a whole number: exact like Fraction, and about twenty times cheaper
    # (this runs at every submission, over every question, choice and pair of roles).
    scale = math.lcm(*(points for points in most.values() if points))
    per_point = {role: scale // most[role] if most[role] else 0 for role in roles}

    def share(weight: int, role: str) -> int:
        return weight * per_point[role]

    order = {role: index for index, role in enumerate(roles)}
    pairs = [(leader, other) for leader in roles for other in roles if leader != other]
    # swings[i][(leader, other)]: the most questions i+1.. could still move `other`'s fit
    # against `leader`'s (each question's choice that suits `other` best against `leader`;
    # negative when every choice of them favours the leader). Built from the end.
    count = len(questions)
    swings: list[dict[tuple[str, str], int]] = [{} for _ in range(count + 1)]
    swings[count] = dict.fromkeys(pairs, 0)
    for index in range(count - 1, -1, -1):
        question = questions[index]
        for leader, other in pairs:
            step = max(
                share(weights.get(other, 0), other) - share(weights.get(leader, 0), leader)
                for weights in question.values()
            )
            swings[index][(leader, other)] = swings[index + 1][(leader, other)] + step
    fits = dict.fromkeys(roles, 0)
    for index, (question, choice) in enumerate(zip(questions, chosen, strict=True), start=1):
        for role in roles:
            fits[role] += share(question[choice].get(role, 0), role)
        # Any role could be the one no remaining answer can overtake (not only the leader
        # so far: the questions to come may all favour the runner-up).
        for candidate in roles:
            if all(
                _stays_ahead(
                    fits[candidate] - fits[other],
                    swings[index][(candidate, other)],
                    order[candidate] < order[other],
                )
                for other in roles
                if other != candidate
            ):
                return index
    return count


def _stays_ahead(lead: int, swing: int, wins_ties: bool) -> bool:
    return lead > swing or (wins_ties and lead == swing)
