"""The catalog: roles, why each matters, what each pays, how they compare, and their tools;
and the rule of when dated figures (a salary, a federal release) are stale.

Every model has a natural key made of slugs (or of its parent's key plus a title), so the
fixtures in fixtures/ never depend on database ids.
"""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

STALE_AFTER_MONTHS = 18


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months earlier (the month's last day if it is shorter)."""
    year, month_index = divmod(day.year * 12 + day.month - 1 - months, 12)
    month = month_index + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class DatedFigures:
    """For a model whose figures describe a day (`as_of`, None when unknown): the one rule of
    when they are stale, for salaries and the federal figures alike."""

    as_of: datetime.date | None

    def is_stale(self, today: datetime.date | None = None) -> bool:
        """Older than STALE_AFTER_MONTHS: time to look for newer figures."""
        if self.as_of is None:
            return False
        today = today or timezone.localdate()
        return self.as_of < months_before(today, STALE_AFTER_MONTHS)


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


class SalaryFigure(DatedFigures, models.Model):
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
