"""The federal figures' words in the active language, as the pages and the API say them: the
outlook in one line, a reference period, the wage table's rows, a credit line. The rules they
follow (periods, the texts marked for translation) are in roles.labour; numbers are written
by core.formats.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import formats

from . import labour

if TYPE_CHECKING:
    from .models import Outlook, WageDistribution


@dataclass(frozen=True)
class Part:
    """A piece of a sentence, and the figure it says (None for words around figures)."""

    text: str
    value: int | str | None


def outlook_parts(outlook: "Outlook") -> list[Part]:
    """The outlook in one line, in parts: "34% growth 2024-34", "much faster than average",
    "about 23,400 openings a year". A figure that is not recorded is left out."""
    period = outlook.source.reference_period
    growth_percent, growth_words = outlook.growth_percent, outlook.growth_words
    parts = []
    if growth_percent is not None:
        said = {"percent": abs(growth_percent), "period": period}
        if growth_percent >= 0:
            text = _("%(percent)s%% growth %(period)s") % said
        else:
            text = _("%(percent)s%% decline %(period)s") % said
        parts.append(Part(text, growth_percent))
        if growth_words:
            parts.append(Part(_(growth_words).lower(), growth_words))
    elif growth_words:
        parts.append(Part(f"{_(growth_words).lower()} ({period})", growth_words))
    if (openings := outlook.openings_per_year) is not None:
        text = ngettext(
            "about %(count)s opening a year", "about %(count)s openings a year", openings
        ) % {"count": formats.number(openings)}
        parts.append(Part(text, openings))
    if parts:
        first = parts[0]
        parts[0] = Part(first.text[:1].upper() + first.text[1:], first.value)
    return parts


def period_words(period: str) -> str:
    """A reference period as the active language says it: a survey month by the language's
    month-and-year format ("May 2024", "mayo de 2024"), a projection ("2024-34") as it is."""
    if labour.period_kind(period) == labour.WAGES and (day := labour.period_as_of(period)):
        return date_format(day, "YEAR_MONTH_FORMAT")
    return period


def wage_rows(wages: "WageDistribution") -> list[tuple[str, str, int]]:
    """The recorded wages as a table, (field, words, value), in the active language."""
    return [(name, _(words), value) for name, words, value in wages.rows]


def credit_words(credit: str) -> str:
    """A source's credit line in the active language: the usual one (labour.CREDIT) is in the
    message catalog; another is shown as recorded. (gettext("") would give the catalog's
    header, so an empty line stays empty.)"""
    return _(credit) if credit else credit
