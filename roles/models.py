"""The catalog: roles, why each matters, what each pays, how they compare, and their tools.

Every model has a natural key made of slugs (or of its parent's key plus a title), so the
fixtures in fixtures/ never depend on database ids.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import labour


class SlugManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Role(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    tagline = models.CharField(max_length=200)
    summary = models.TextField("what it is")
    order = models.PositiveSmallIntegerField(default=0)

    objects = SlugManager()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("roles:detail", args=[self.slug])

    def natural_key(self):
        return (self.slug,)


class FocusAreaManager(models.Manager):
    def get_by_natural_key(self, slug, role_slug):
        return self.get(slug=slug, role__slug=role_slug)


class FocusArea(models.Model):
    """One reason the role matters ("Scalability", "Maintaining model quality", ...)."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="focus_areas")
    slug = models.SlugField(max_length=100)
    title = models.CharField(max_length=120)
    summary = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    objects = FocusAreaManager()

    class Meta:
        ordering = ["role__order", "order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["role", "slug"], name="unique_focus_area_slug_per_role")
        ]

    def __str__(self):
        return f"{self.role}: {self.title}"

    def natural_key(self):
        return (self.slug, *self.role.natural_key())

    natural_key.dependencies = ["roles.role"]  # type: ignore[attr-defined]  # serializers read it


class FocusPointManager(models.Manager):
    def get_by_natural_key(self, title, area_slug, role_slug):
        return self.get(title=title, focus_area__slug=area_slug, focus_area__role__slug=role_slug)


class FocusPoint(models.Model):
    focus_area = models.ForeignKey(FocusArea, on_delete=models.CASCADE, related_name="points")
    title = models.CharField(max_length=120)
    text = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    objects = FocusPointManager()

    class Meta:
        ordering = ["order", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["focus_area", "title"], name="unique_focus_point_title_per_area"
            )
        ]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.title, *self.focus_area.natural_key())

    natural_key.dependencies = ["roles.focusarea"]  # type: ignore[attr-defined]  # serializers read it


class ToolCategory(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(default=0)

    objects = SlugManager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "tool categories"

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


MILESTONES_MIN = 3
MILESTONES_MAX = 6
MILESTONE_MAX_LENGTH = 160
HOURS_TO_LEARN_MAX = 400


def milestone_lines(text: str) -> list[str]:
    """A tool's milestones, one per non-blank line, in order."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def validate_milestones(text: str) -> None:
    """3 to 6 short milestones, one per line: what the learning plan shows for a tool."""
    lines = milestone_lines(text)
    if not MILESTONES_MIN <= len(lines) <= MILESTONES_MAX:
        raise ValidationError(
            f"Write {MILESTONES_MIN} to {MILESTONES_MAX} milestones, one per line "
            f"({len(lines)} given)."
        )
    too_long = [number for number, line in enumerate(lines, 1) if len(line) > MILESTONE_MAX_LENGTH]
    if too_long:
        raise ValidationError(
            f"Milestone {too_long[0]} is longer than {MILESTONE_MAX_LENGTH} characters."
        )


class ToolQuerySet(models.QuerySet["Tool"]):
    def for_role(self, role_slug):
        return self.filter(roles__slug=role_slug)

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Tool(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    category = models.ForeignKey(ToolCategory, on_delete=models.PROTECT, related_name="tools")
    summary = models.TextField("what it is")
    usage = models.TextField("how it is used")
    homepage = models.URLField(blank=True)
    is_open_source = models.BooleanField(
        "open source", default=True, help_text="Unticked means a commercial product."
    )
    roles = models.ManyToManyField(Role, related_name="tools")
    order = models.PositiveSmallIntegerField(
        default=0,
        help_text="Lower comes first; the first tools of a role are the ones to learn first.",
    )
    hours_to_learn = models.PositiveSmallIntegerField(
        "hours to a working level",
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(HOURS_TO_LEARN_MAX)],
        help_text="An estimate for a beginner; learning plans are dated from it.",
    )
    milestones = models.TextField(
        blank=True,
        validators=[validate_milestones],
        help_text=f"{MILESTONES_MIN} to {MILESTONES_MAX} short steps, one per line, that show a "
        "working level (learning plans list them).",
    )
    prerequisites = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="required_by",
        blank=True,
        help_text="Tools to learn first. A learning plan always puts these earlier.",
    )

    objects = ToolQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("roles:tool_detail", args=[self.slug])

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["roles.role", "roles.toolcategory"]  # type: ignore[attr-defined]  # serializers read it

    @property
    def milestone_list(self) -> list[str]:
        return milestone_lines(self.milestones)

    @property
    def licence_label(self):
        return _("Open source") if self.is_open_source else _("Commercial")


class SalaryFigureManager(models.Manager):
    def get_by_natural_key(self, role_slug, source_name, as_of):
        return self.get(role__slug=role_slug, source_name=source_name, as_of=as_of)


class SalaryFigure(models.Model):
    class Period(models.TextChoices):
        YEAR = "year", _("a year")
        MONTH = "month", _("a month")
        HOUR = "hour", _("an hour")

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="salary_figures")
    amount = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    currency = models.CharField(max_length=3, default="USD", help_text="ISO 4217 code, e.g. USD.")
    period = models.CharField(max_length=5, choices=Period.choices, default=Period.YEAR)
    source_name = models.CharField(max_length=100)
    source_url = models.URLField()
    as_of = models.DateField("as of", help_text="When the source published the figure.")

    objects = SalaryFigureManager()

    class Meta:
        ordering = ["role__order", "-as_of"]
        constraints = [
            models.UniqueConstraint(
                fields=["role", "source_name", "as_of"], name="unique_salary_per_source_and_date"
            )
        ]

    def __str__(self):
        return f"{self.role}: {self.currency} {self.amount:,} {self.get_period_display()}"

    def natural_key(self):
        return (*self.role.natural_key(), self.source_name, self.as_of.isoformat())

    natural_key.dependencies = ["roles.role"]  # type: ignore[attr-defined]  # serializers read it


class CareerAspect(models.Model):
    """A way the careers are compared ("Stimulating work", "Growth year over year", ...)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(default=0)

    objects = SlugManager()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class AspectTextManager(models.Manager):
    def get_by_natural_key(self, aspect_slug, role_slug):
        return self.get(aspect__slug=aspect_slug, role__slug=role_slug)


class AspectText(models.Model):
    """What one aspect looks like in one role."""

    aspect = models.ForeignKey(CareerAspect, on_delete=models.CASCADE, related_name="texts")
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="aspect_texts")
    text = models.TextField()

    objects = AspectTextManager()

    class Meta:
        ordering = ["aspect__order", "role__order"]
        constraints = [
            models.UniqueConstraint(fields=["aspect", "role"], name="unique_aspect_text_per_role")
        ]

    def __str__(self):
        return f"{self.aspect} ({self.role})"

    def natural_key(self):
        return (*self.aspect.natural_key(), *self.role.natural_key())

    natural_key.dependencies = ["roles.careeraspect", "roles.role"]  # type: ignore[attr-defined]  # serializers read it


# Federal labour-market figures: the occupations nearest to each role, as proxies ------------
# None of our roles has a federal occupation code of its own, so every figure belongs to a
# proxy occupation and is shown as one. The rules (periods, percentile order, the outlook in
# one line) live in roles.labour; the import of a newer release in roles.authoring.


def validate_reference_period(period: str) -> None:
    if labour.period_kind(period) is None:
        raise ValidationError(
            "Write a survey month such as “May 2024” or a projection period such as “2024-34”."
        )


class LabourSourceManager(models.Manager):
    def get_by_natural_key(self, dataset, reference_period, page_url):
        return self.get(dataset=dataset, reference_period=reference_period, page_url=page_url)


class LabourSource(models.Model):
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
    def as_of(self):
        """The day the figures describe (the stale-figure warning counts from it)."""
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

    @property
    def sentence_parts(self) -> list[labour.Part]:
        return labour.outlook_parts(
            period=self.source.reference_period,
            growth_percent=self.growth_percent,
            growth_words=self.growth_words,
            openings_per_year=self.openings_per_year,
        )

    @property
    def sentence(self) -> str:
        """The outlook in one line ("34% growth 2024-34, much faster than average, ...")."""
        return labour.outlook_sentence(
            period=self.source.reference_period,
            growth_percent=self.growth_percent,
            growth_words=self.growth_words,
            openings_per_year=self.openings_per_year,
        )
