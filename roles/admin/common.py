"""What the catalog's screens and the labour figures' share: form field overrides, and how
dated figures show their freshness (a column, and a warning on the page once they are stale:
the rule is roles.models.DatedFigures.is_stale)."""

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.db import models
from django.utils.html import format_html

from ..models import STALE_AFTER_MONTHS, LabourSource, SalaryFigure

FormfieldOverrides = Mapping[type[models.Field], Mapping[str, Any]]

SHORT_TEXT: FormfieldOverrides = {
    models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 50})}
}
ASPECT_TEXT: FormfieldOverrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3})}}
# Django 6 makes https the scheme assumed for an address typed without one; do it now.
HTTPS_URLS: FormfieldOverrides = {models.URLField: {"assume_scheme": "https"}}


def _stale_warning(figure: SalaryFigure) -> str:
    return (
        f"The salary figure from {figure.source_name} for {figure.role} is as of "
        f"{figure.as_of:%B %Y}, more than {STALE_AFTER_MONTHS} months ago: "
        "please check the source for a newer one."
    )


def _source_stale_warning(source: LabourSource) -> str:
    return (
        f"The {source.get_kind_display()} figures of {source.dataset} for "
        f"{source.reference_period} are more than {STALE_AFTER_MONTHS} months old: "
        f"please check {source.page_url} for a newer release, and import it with "
        "`make labour-figures CSV=...`."
    )


def _freshness(stale: bool) -> str:
    if stale:
        return format_html(
            '<strong class="errornote" style="padding:2px 6px">⚠ Older than {} months</strong>',
            STALE_AFTER_MONTHS,
        )
    return "Current"


def salary_freshness(figure: SalaryFigure) -> str:
    """The freshness column: a warning once the figure is stale."""
    if figure.pk is None:
        return "–"
    return _freshness(figure.is_stale())


def source_freshness(source: LabourSource | None) -> str:
    """The freshness column of a source, or of figures by their source."""
    if source is None or source.pk is None:
        return "–"
    return _freshness(source.is_stale())


def warn_of_stale_salaries(request, figures: Iterable[SalaryFigure]) -> None:
    """A warning on the page for each salary figure that is stale."""
    for figure in figures:
        if figure.is_stale():
            messages.warning(request, _stale_warning(figure))


def warn_of_stale_sources(request, sources: Iterable[LabourSource | None]) -> None:
    """A warning on the page for each source in use that is stale (each once)."""
    seen = set()
    for source in sources:
        if source is not None and source.pk not in seen and source.is_stale():
            seen.add(source.pk)
            messages.warning(request, _source_stale_warning(source))
