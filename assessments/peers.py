"""Where a result stands among everyone's: pure functions, no ORM, no Django, no I/O.

The figures count people, not results: per quiz version, each person's latest kept result
counts (see models.PeerCount and Assessment.objects.counted()): how many people, how many in
each band of lean, how many with each top role, and how many chose each choice. This module
says which counts one result adds, and turns the counts into what people see.

Lean: the fit of the reference role (the first role in catalog order) minus the best fit of
the other roles, in percentage points from -100 to 100, so the two sides of the histogram
read left (the other role) and right (the reference role) the same way on every result.

Privacy: nothing is shown from fewer than `minimum` people; no count, bar or share stands for
fewer than SMALLEST_GROUP people (small bands of the histogram are merged with their
neighbours, a smaller count is shown as "fewer than 5", a share with fewer than 5 people on
either side is not shown); and every count shown is rounded to the nearest COUNT_STEP, shares
worked out from the rounded counts, so that most new results change nothing one can see.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

LEAN_BAND_WIDTH = 10  # percentage points per band of the histogram
LEAN_MIN, LEAN_MAX = -100, 100
SMALLEST_GROUP = 5  # the fewest people any count, bar or share shown may stand for
SMALLEST_BAR = SMALLEST_GROUP
COUNT_STEP = 5  # counts are shown rounded to a multiple of this

PEOPLE, LEAN, TOP_ROLE, CHOICE, LANGUAGE = "people", "lean", "top", "choice", "language"
KINDS = (PEOPLE, LEAN, TOP_ROLE, CHOICE, LANGUAGE)


def lean(percents: Mapping[str, int], reference: str) -> int:
    """The reference role's fit minus the best of the others (0 when it is the only role)."""
    others = [percent for role, percent in percents.items() if role != reference]
    if not others:
        return 0
    return percents.get(reference, 0) - max(others)


def lean_band(value: int) -> int:
    """The lower bound of the band holding `value`; 100 falls in the top band [90, 100]."""
    value = max(LEAN_MIN, min(LEAN_MAX, value))
    return min(value // LEAN_BAND_WIDTH * LEAN_BAND_WIDTH, LEAN_MAX - LEAN_BAND_WIDTH)


def counted_keys(
    *,
    percents: Mapping[str, int],
    reference: str,
    top_role: str,
    choice_ids: Iterable[int],
    language: str,
) -> list[tuple[str, str]]:
    """The (kind, key) counts that one person's counted result adds one to (and takes one
    from when it stops counting); `language` is the one it was taken in."""
    return [
        (PEOPLE, ""),
        (LEAN, str(lean_band(lean(percents, reference)))),
        (TOP_ROLE, top_role),
        *((CHOICE, str(choice_id)) for choice_id in choice_ids),
        (LANGUAGE, language),
    ]


@dataclass(frozen=True)
class Bar:
    start: int  # percentage points of lean, inclusive
    end: int  # exclusive, except for the last band, which holds 100
    count: int
    has_you: bool = False


def histogram(band_counts: Mapping[int, int], *, you: int | None = None) -> list[Bar]:
    """Bars from left to right over the bands that hold anyone, each standing for at least
    SMALLEST_BAR people: a small band is merged with the next ones until the bar is big
    enough; a small remainder at the right joins the last bar. `you` is a lean to mark. Each
    bar's count is shown rounded (shown_count)."""
    spans: list[list[int]] = []  # [start, end, count]
    pending: list[int] | None = None
    for start in sorted(band for band, count in band_counts.items() if count > 0):
        end = start + LEAN_BAND_WIDTH
        count = band_counts[start]
        if pending is None:
            pending = [start, end, count]
        else:
            pending[1], pending[2] = end, pending[2] + count
        if pending[2] >= SMALLEST_BAR:
            spans.append(pending)
            pending = None
    # A small remainder joins the last bar; if everyone together is fewer than SMALLEST_BAR,
    # there is no bar at all.
    if pending is not None and spans:
        spans[-1][1], spans[-1][2] = pending[1], spans[-1][2] + pending[2]
    you_band = lean_band(you) if you is not None else None
    return [
        Bar(
            start=start,
            end=end,
            count=shown_count(count) or 0,  # never 0: every span holds SMALLEST_BAR or more
            has_you=you_band is not None and start <= you_band < end,
        )
        for start, end, count in spans
    ]


def percent_of(part: int, whole: int) -> int:
    """A whole-number share, rounded half up; 0 of nothing is 0."""
    if whole <= 0:
        return 0
    return (200 * part + whole) // (2 * whole)


def shown_count(count: int) -> int | None:
    """A count of people as shown: None (say "fewer than 5") under SMALLEST_GROUP, otherwise
    rounded to the nearest multiple of COUNT_STEP (halves up), so it stays put while people
    come and go between two steps."""
    if count < SMALLEST_GROUP:
        return None
    return (count + COUNT_STEP // 2) // COUNT_STEP * COUNT_STEP


def shown_share(part: int, whole: int) -> int | None:
    """The share of `whole` people that `part` of them are, as shown: None unless both the
    part and the rest stand for SMALLEST_GROUP people or more (95% of 20 would give away the
    one who differs), and worked out from the shown (rounded) counts, so it tells no more
    than they would and moves only when one of them does."""
    if part < SMALLEST_GROUP or whole - part < SMALLEST_GROUP:
        return None
    return percent_of(shown_count(part) or 0, shown_count(whole) or 0)


def people_needed(people: int, minimum: int) -> int:
    """How many more people a version needs before its figures are shown, rounded up to a
    multiple of COUNT_STEP ("at most"): 0 once it has `minimum`. Rounded so that it, too,
    moves only in steps, never with each person."""
    missing = max(0, minimum - people)
    return -(-missing // COUNT_STEP) * COUNT_STEP
