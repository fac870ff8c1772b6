"""Editors' writes to the catalog that are more than one admin form: importing a release of
the federal labour-market figures."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from . import labour, labour_file
from .models import LabourSource, Occupation, Outlook, Role, RoleProxy, WageDistribution

WAGE_FIELDS = ("p10", "p25", "median", "p75", "p90", "mean", "employment")
OUTLOOK_FIELDS = ("jobs", "growth_percent", "growth_words", "openings_per_year", "median_pay")


@dataclass
class LabourImport:
    """What an import did: rows it made and rows it replaced, by name."""

    figures: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)


def _catalog() -> labour_file.Catalog:
    return labour_file.Catalog(
        occupations=set(Occupation.objects.values_list("code", flat=True)),
        roles=set(Role.objects.values_list("slug", flat=True)),
        proxies=set(RoleProxy.objects.values_list("role__slug", "occupation__code")),
    )


def _source(group: labour_file.Group, *, retrieved_on: datetime.date) -> LabourSource:
    key = group.source
    source = LabourSource.objects.filter(
        dataset=key.dataset, reference_period=key.reference_period, page_url=key.page_url
    ).first() or LabourSource(
        dataset=key.dataset, reference_period=key.reference_period, page_url=key.page_url
    )
    source.kind, source.retrieved_on = key.kind, retrieved_on
    _checked(source, group)
    source.save()
    return source


def _checked(row, group: labour_file.Group) -> None:
    """Validate a row as its admin form would; a problem names the group's lines."""
    try:
        row.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        lines = ", ".join(str(line) for line in sorted(group.lines.values()))
        raise labour_file.LabourFileError(
            [
                f"lines {lines}: {group.code} ({group.reference_period}): {message}"
                for message in error.messages
            ]
        ) from None


@transaction.atomic
def labour_figures_import(*, text: str, retrieved_on: datetime.date) -> LabourImport:
    """Import a release of the BLS file (us-labour-market.csv's shape): every row checked
    first, then each occupation's wages and each group's outlook created or replaced for its
    source (dataset, period and page of record). Any bad row raises labour_file.LabourFileError
    naming every problem with its line, and nothing is saved."""
    parsed = labour_file.parse_file(text, catalog=_catalog())
    occupations = {occupation.code: occupation for occupation in Occupation.objects.all()}
    report = LabourImport(figures=parsed.figure_count)
    for group in parsed.wages:
        source = _source(group, retrieved_on=retrieved_on)
        values = {name: group.figures.get(name) for name in WAGE_FIELDS}
        wages = WageDistribution.objects.filter(
            occupation=occupations[group.code], source=source
        ).first() or WageDistribution(occupation=occupations[group.code], source=source)
        _save(wages, values, group, report)
    for group in parsed.outlooks:
        source = _source(group, retrieved_on=retrieved_on)
        values = {name: group.figures.get(name) for name in OUTLOOK_FIELDS}
        values["growth_words"] = values["growth_words"] or ""
        values["group_title"] = group.title
        outlook = Outlook.objects.filter(group_code=group.code, source=source).first() or Outlook(
            group_code=group.code, source=source
        )
        _save(outlook, values, group, report)
        outlook.occupations.set(
            occupations[code] for code in labour.group_parts(group.code) if code in occupations
        )
    return report


def _save(row, values: dict, group: labour_file.Group, report: LabourImport) -> None:
    is_new = row.pk is None
    for name, value in values.items():
        setattr(row, name, value)
    _checked(row, group)
    row.save()
    (report.created if is_new else report.updated).append(str(row))
