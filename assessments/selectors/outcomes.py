"""The follow-up's outcomes for the methodology (its page and GET methodology/): per quiz
version, among the people asked which path they took, how many answered and how many chose the
role their result put first, by the result's margin band, under the figures' people rule
(peers.py): nothing before settings.PEERS_MIN_RESULTS people were asked, no count or share
standing for fewer than peers.SMALLEST_GROUP people, counts rounded to peers.COUNT_STEP.

A person asked counts once their follow-up is closed (following.is_closed): answered, or past
its links' time without an answer, so the response rate counts non-responders in its
denominator and never those who may still answer. Withdrawn follow-ups are deleted: not
counted. One query for all versions."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from core import clock
from quizzes import scoring
from quizzes.models import QuizVersion

from .. import following, peers
from ..models import FollowUp


@dataclass(frozen=True)
class OutcomeFigures:
    """Counts as shown (rounded; None under peers.SMALLEST_GROUP or while not shown) and
    shares from the rounded counts (None while they could tell on someone)."""

    asked: int | None = None
    answered: int | None = None
    response_percent: int | None = None  # answered / asked
    chose_first: int | None = None
    chose_first_percent: int | None = None  # chose the top role / answered


@dataclass(frozen=True)
class BandOutcomes(OutcomeFigures):
    band: str = ""

    @property
    def label(self) -> str:
        close, wide = scoring.CLOSE_CALL_BELOW, following.WIDE_MARGIN
        if self.band == following.CLOSE:
            return _("A close call (under %(below)s points)") % {"below": close}
        if self.band == following.MIDDLE:
            return _("%(low)s to %(high)s points") % {"low": close, "high": wide - 1}
        return _("%(wide)s points or more") % {"wide": wide}


@dataclass(frozen=True)
class VersionOutcomes(OutcomeFigures):
    version: QuizVersion | None = None
    asked_needed: int = 0  # people still to be asked (and closed) before anything is shown
    bands: tuple[BandOutcomes, ...] = field(default_factory=tuple)

    @property
    def shown(self) -> bool:
        return self.asked_needed == 0

    @property
    def bands_shown(self) -> bool:
        return bool(self.bands) and all(band.asked is not None for band in self.bands)


def _figures(asked: int, answered: int, chose: int) -> dict:
    return {
        "asked": peers.shown_count(asked),
        "answered": peers.shown_count(answered),
        "response_percent": peers.shown_share(answered, asked),
        "chose_first": peers.shown_count(chose),
        "chose_first_percent": peers.shown_share(chose, answered),
    }


def _band_filters() -> dict[str, Q]:
    close, wide = scoring.CLOSE_CALL_BELOW, following.WIDE_MARGIN  # following.band's bounds
    return {
        following.CLOSE: Q(assessment__margin__lt=close),
        following.MIDDLE: Q(assessment__margin__gte=close, assessment__margin__lt=wide),
        following.WIDE: Q(assessment__margin__gte=wide),
    }


def outcomes_get(*, versions: list[QuizVersion]) -> list[VersionOutcomes]:
    """The outcomes of `versions`, in their order (one query)."""
    now = clock.now()
    links_ended = now - timedelta(days=following.LINKS_VALID_DAYS)
    answered, chose = Q(answered_at__isnull=False), Q(chose_top_role=True)
    counts = {}
    for name, in_band in _band_filters().items():
        counts[f"{name}_asked"] = Count("pk", filter=in_band)
        counts[f"{name}_answered"] = Count("pk", filter=in_band & answered)
        counts[f"{name}_chose"] = Count("pk", filter=in_band & answered & chose)
    rows: dict[int, dict[str, int]] = {
        row["assessment__version_id"]: dict(row)  # type: ignore[arg-type]  # annotated counts
        for row in FollowUp.objects.filter(
            Q(answered_at__isnull=False) | Q(asked_at__lte=links_ended),
            asked_at__isnull=False,
            assessment__version_id__in=[version.pk for version in versions],
        )
        .values("assessment__version_id")
        .annotate(**counts)
    }
    least = settings.PEERS_MIN_RESULTS
    result = []
    for version in versions:
        row: dict[str, int] = rows.get(version.pk, {})
        by_band = {
            name: tuple(row.get(f"{name}_{part}", 0) for part in ("asked", "answered", "chose"))
            for name in following.BANDS
        }
        asked, answered_n, chose_n = (
            sum(counts[i] for counts in by_band.values()) for i in range(3)
        )
        if asked < least:
            result.append(
                VersionOutcomes(version=version, asked_needed=peers.people_needed(asked, least))
            )
            continue
        bands_shown = all(counts[0] >= least for counts in by_band.values())
        result.append(
            VersionOutcomes(
                version=version,
                **_figures(asked, answered_n, chose_n),
                bands=tuple(
                    BandOutcomes(band=name, **_figures(*counts))
                    if bands_shown
                    else BandOutcomes(band=name)
                    for name, counts in by_band.items()
                ),
            )
        )
    return result
