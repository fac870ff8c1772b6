"""Federal labour-market figures: the occupations nearest to each role, as proxies.

None of our roles has a federal occupation code of its own, so every figure belongs to a
proxy occupation and is shown as one. The rules (periods, percentile order) live in
roles.labour, the words in roles.labour_words; the import of a newer release in
roles.authoring.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models

from roles import labour

from .catalog import DatedFigures, Role


def validate_reference_period(period: str) -> None:
    if labour.period_kind(period) is None:
        raise ValidationError(
            "Write a survey month such as “May 2024” or a projection period such as “2024-34”."
        )


class LabourSourceManager(models.Manager):
    def get_by_natural_key(self, dataset, reference_period, page_url):
        return self.get(dataset=dataset, reference_period=reference_period, page_url=page_url)


class LabourSource(DatedFigures, models.Model):
    """One cited page of one dataset and period: where a set of figures comes from."""

    class Kind(models.TextChoices):
        WAGES = labour.WAGES, "wages (OEWS)"
        OUTLOOK = labour.OUTLOOK, "outlook (Handbook projections)"

    publisher = models.CharField(max_length=100, default=labour.PUBLISHER)
    dataset = models.CharField(
        max_length=150,
        help_text="As the publisher names it, e.g. “BLS Occupational Employment and Wage "
        "Statistics (national; cross-industry)”.",
    )
    kind = models.CharField(
        max_length=7,
        choices=Kind.choices,
        help_text="Wages and outlook are different measures, never shown as one figure.",
    )
    reference_period = models.CharField(
        max_length=20,
        validators=[validate_reference_period],
        help_text="A survey month for wages (“May 2024”), a projection for the outlook "
        "(“2024-34”).",
    )
    page_url = models.URLField("page of record", help_text="The page the figures are read on.")
    retrieved_on = models.DateField(help_text="When we read the figures.")
    credit = models.CharField("licence or credit line", max_length=300, default=labour.CREDIT)

    objects = LabourSourceManager()

    class Meta:
        ordering = ["kind", "dataset", "-retrieved_on", "page_url"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "reference_period", "page_url"],
                name="unique_labour_source_page_per_period",
            )
        ]

    def __str__(self):
        return f"{self.dataset}, {self.reference_period} ({self.page_url})"

    def natural_key(self):
        return (self.dataset, self.reference_period, self.page_url)

    def clean(self):
        kind = labour.period_kind(self.reference_period)
        if kind is not None and self.kind and kind != self.kind:
            raise ValidationError(
                {
                    "reference_period": "Wages are for a survey month (“May 2024”), the outlook "
                    "for a projection period (“2024-34”)."
                }
            )
        # Wages and the outlook are different measures: a source is one or the other.
        other = self.outlooks if self.kind == self.Kind.WAGES else self.wage_distributions
        if self.pk is not None and other.exists():
            raise ValidationError(
                {"kind": "Figures of the other kind cite this source; it can't change kind."}
            )

    @property
    def as_of(self) -> datetime.date | None:  # type: ignore[override]  # DatedFigures reads it
        """The day the figures describe (is_stale counts from it)."""
        return labour.period_as_of(self.reference_period)


class OccupationManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Occupation(models.Model):
    """A federal (SOC) occupation, such as 15-1243 Database Architects."""

    code = models.CharField(
        max_length=7,
        unique=True,
        validators=[
            RegexValidator(
                rf"\A{labour.OCCUPATION_CODE.pattern}\Z", "Write a code such as 15-1243."
            )
        ],
    )
    title = models.CharField(max_length=150)

    objects = OccupationManager()

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.title}"

    def natural_key(self):
        return (self.code,)

    @property
    def newest_wages(self) -> "WageDistribution | None":
        """The newest wage distribution (from prefetched rows, when the selector fetched them)."""
        return max(self.wage_distributions.all(), key=_newest_first_key, default=None)

    @property
    def newest_outlook(self) -> "Outlook | None":
        return max(self.outlooks.all(), key=_newest_first_key, default=None)


def _newest_first_key(figures: "WageDistribution | Outlook"):
    source = figures.source
    return (source.as_of or datetime.date.min, source.retrieved_on, figures.pk or 0)


class RoleProxyManager(models.Manager):
    def get_by_natural_key(self, role_slug, occupation_code):
        return self.get(role__slug=role_slug, occupation__code=occupation_code)


class RoleProxy(models.Model):
    """An occupation that stands in for a role, and why."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="proxies")
    occupation = models.ForeignKey(Occupation, on_delete=models.CASCADE, related_name="proxies")
    note = models.CharField(
        max_length=300,
        help_text="Why this occupation stands in for the role, in a sentence or two.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    objects = RoleProxyManager()

    class Meta:
        ordering = ["order", "occupation__code"]
        verbose_name = "proxy occupation"
        constraints = [
            models.UniqueConstraint(fields=["role", "occupation"], name="unique_proxy_per_role")
        ]

    def __str__(self):
        return f"{self.occupation} for {self.role}"

    def natural_key(self):
        return (*self.role.natural_key(), *self.occupation.natural_key())

    natural_key.dependencies = ["roles.role", "roles.occupation"]  # type: ignore[attr-defined]  # serializers read it

    @property
    def wages(self) -> "WageDistribution | None":
        return self.occupation.newest_wages

    @property
    def outlook(self) -> "Outlook | None":
        return self.occupation.newest_outlook


class WageDistributionManager(models.Manager):
    def get_by_natural_key(self, code, dataset, reference_period, page_url):
        return self.get(
            occupation__code=code,
            source__dataset=dataset,
            source__reference_period=reference_period,
            source__page_url=page_url,
        )


def _whole_dollars(verbose_name: str) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(
        verbose_name, null=True, blank=True, validators=[MinValueValidator(1)]
    )


class WageDistribution(models.Model):
    """An occupation's annual wages in one survey (OEWS): everyone in it, not by experience.
    A figure the source does not give stays empty, never estimated."""

    occupation = models.ForeignKey(
        Occupation, on_delete=models.CASCADE, related_name="wage_distributions"
    )
    source = models.ForeignKey(
        LabourSource,
        on_delete=models.CASCADE,
        related_name="wage_distributions",
        limit_choices_to={"kind": LabourSource.Kind.WAGES},
    )
    p10 = _whole_dollars("10th percentile (USD a year)")
    p25 = _whole_dollars("25th percentile (USD a year)")
    median = _whole_dollars("median (USD a year)")
    p75 = _whole_dollars("75th percentile (USD a year)")
    p90 = _whole_dollars("90th percentile (USD a year)")
    mean = _whole_dollars("mean (USD a year)")
    employment = models.PositiveIntegerField(
        null=True, blank=True, help_text="Wage and salary workers in the survey month."
    )

    objects = WageDistributionManager()

    class Meta:
        ordering = ["occupation__code", "-source__retrieved_on"]
        verbose_name = "wage distribution"
        constraints = [
            models.UniqueConstraint(
                fields=["occupation", "source"], name="unique_wages_per_occupation_and_source"
            )
        ]

    def __str__(self):
        return f"{self.occupation}: wages, {self.source.reference_period}"

    def natural_key(self):
        return (*self.occupation.natural_key(), *self.source.natural_key())

    natural_key.dependencies = ["roles.occupation", "roles.laboursource"]  # type: ignore[attr-defined]  # serializers read it

    def clean(self):
        if pair := labour.percentiles_out_of_order(self.figures):
            low, high = pair
            raise ValidationError(
                {
                    high: f"The {labour.percentile_words(high)} can't be below the "
                    f"{labour.percentile_words(low)}."
                }
            )

    @property
    def figures(self) -> dict[str, int | None]:
        """The percentiles by field name, lowest first (None where not recorded)."""
        return {name: getattr(self, name) for name, _ in labour.PERCENTILES}

    @property
    def rows(self) -> list[tuple[str, str, int]]:
        """The recorded wages as a table: (field, words, value), percentiles then the mean."""
        return [
            (name, labour.WAGE_WORDS[name], value)
            for name in [*self.figures, "mean"]
            if (value := getattr(self, name)) is not None
        ]


class OutlookManager(models.Manager):
    def get_by_natural_key(self, group_code, dataset, reference_period, page_url):
        return self.get(
            group_code=group_code,
            source__dataset=dataset,
            source__reference_period=reference_period,
            source__page_url=page_url,
        )


class Outlook(models.Model):
    """The Handbook's projection for an occupation group: all workers in the base year, never
    added to or compared with OEWS employment. A figure it does not give stays empty."""

    group_code = models.CharField(
        max_length=40,
        validators=[
            RegexValidator(
                rf"\A{labour.GROUP_CODE.pattern}\Z",
                "Write a code such as 15-2051, or codes joined by + such as 15-1242+15-1243.",
            )
        ],
        help_text="The Handbook projects some occupations together: their codes joined by +.",
    )
    group_title = models.CharField(max_length=150)
    occupations = models.ManyToManyField(
        Occupation,
        related_name="outlooks",
        help_text="Our occupations this projection covers.",
    )
    source = models.ForeignKey(
        LabourSource,
        on_delete=models.CASCADE,
        related_name="outlooks",
        limit_choices_to={"kind": LabourSource.Kind.OUTLOOK},
    )
    jobs = models.PositiveIntegerField(
        null=True, blank=True, help_text="Jobs in the projection's base year (all workers)."
    )
    growth_percent = models.SmallIntegerField(
        "growth (%)", null=True, blank=True, help_text="Projected change over the period."
    )
    growth_words = models.CharField(
        max_length=30,
        blank=True,
        choices=[(words, words) for words in labour.GROWTH_WORDS],
    )
    openings_per_year = models.PositiveIntegerField(null=True, blank=True)
    median_pay = models.PositiveIntegerField(
        "median pay (USD a year)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="In the base year.",
    )

    objects = OutlookManager()

    class Meta:
        ordering = ["group_code", "-source__retrieved_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["group_code", "source"], name="unique_outlook_per_group_and_source"
            )
        ]

    def __str__(self):
        return f"{self.group_title} ({self.group_code}): outlook {self.source.reference_period}"

    def natural_key(self):
        return (self.group_code, *self.source.natural_key())

    natural_key.dependencies = ["roles.occupation", "roles.laboursource"]  # type: ignore[attr-defined]  # serializers read it

    @property
    def base_year(self) -> int | None:
        return labour.period_base_year(self.source.reference_period)
