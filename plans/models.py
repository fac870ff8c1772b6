"""A person's self-check ratings of tools, their learning plan and the statuses they set on it.

The plan's steps and dates are not stored: they are worked out by planning.py from the ratings,
the statuses below, the pace and today's date, so they follow every change. What is stored is
only what the person said (ratings, role, pace, statuses) and when.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from roles.models import Role, Tool

from . import planning, reminding


class SkillRating(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skill_ratings"
    )
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="skill_ratings")
    level = models.PositiveSmallIntegerField(choices=list(planning.LEVELS.items()))
    rated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["tool__order", "tool__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "tool"], name="one_rating_per_tool"),
            models.CheckConstraint(
                condition=Q(level__gte=planning.LEVEL_MIN) & Q(level__lte=planning.LEVEL_MAX),
                name="rating_level_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.tool} at {self.level}"


class Plan(models.Model):
    """One learning plan per person: the role it is for and the hours a week they have."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_plan"
    )
    # An editor may remove a role; the plan then asks for another and keeps its statuses.
    role = models.ForeignKey(
        Role, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hours_per_week = models.PositiveSmallIntegerField(
        default=planning.DEFAULT_HOURS_PER_WEEK,
        validators=[
            MinValueValidator(planning.HOURS_PER_WEEK_MIN),
            MaxValueValidator(planning.HOURS_PER_WEEK_MAX),
        ],
    )
    started_on = models.DateField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_week__gte=planning.HOURS_PER_WEEK_MIN)
                & Q(hours_per_week__lte=planning.HOURS_PER_WEEK_MAX),
                name="plan_pace_in_range",
            )
        ]

    def __str__(self):
        return f"{self.user}: {self.role or 'no role'}"


class PlanStep(models.Model):
    """A status the person set on one tool. Kept when the role or the ratings change, so a
    status is never lost; a tool with no row here is simply to do."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="steps")
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20, choices=list(planning.STATUSES.items()))
    started_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    hours_done = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "tool"], name="one_status_per_tool"),
            models.CheckConstraint(
                condition=Q(status__in=list(planning.STATUSES)), name="step_status_known"
            ),
        ]

    def __str__(self):
        return f"{self.tool}: {self.status}"

    def state(self) -> planning.StepState:
        return planning.StepState(
            status=self.status,
            started_on=self.started_on,
            done_on=self.done_on,
            hours_done=self.hours_done,
        )


class PlanStepChange(models.Model):
    """A dated status change, for the chart of hours done over time."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="changes")
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20, choices=list(planning.STATUSES.items()))
    hours_done = models.PositiveSmallIntegerField(default=0)  # what the step counts after it
    changed_on = models.DateField()
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        indexes = [models.Index(fields=["plan", "changed_at"])]

    def __str__(self):
        return f"{self.tool} -> {self.status} on {self.changed_on}"


class PlanReminder(models.Model):
    """A person's weekly e-mail about their plan, off until they switch it on: the day of the
    week it comes (ISO, 1 Monday to 7 Sunday), the time zone whose clock says when that day
    and its morning begin (plans.reminding), and the language it is written in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_reminder"
    )
    enabled = models.BooleanField(default=False)
    weekday = models.PositiveSmallIntegerField(default=reminding.MONDAY)
    # An IANA name (reminding.is_time_zone, checked by the service: the zone database is too
    # long a list for a constraint).
    time_zone = models.CharField(
        max_length=reminding.TIME_ZONE_MAX_LENGTH, default=reminding.DEFAULT_TIME_ZONE
    )
    # Whether the person saved a zone (the page or the API sent one); until then it is the
    # default, and the plan page offers the browser's. Reminders from before the setting have
    # none chosen.
    time_zone_chosen = models.BooleanField(default=False)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    # The day it was last switched on (the person's date, in its time zone): no reminder is
    # sent for a week that began before it.
    enabled_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__gte=reminding.MONDAY) & Q(weekday__lte=reminding.SUNDAY),
                name="reminder_weekday_in_range",
            )
        ]

    def __str__(self):
        return f"{self.user}: {'on' if self.enabled else 'off'}, day {self.weekday}"


class PlanReminderSent(models.Model):
    """One weekly reminder that went out: at most one row per person and week (the unique
    constraint is what makes two workers send it once). No address is kept here."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_reminders_sent"
    )
    week_of = models.DateField(
        help_text="The chosen weekday that began the week it was for (in the person's time zone)."
    )
    sent_at = models.DateTimeField()
    steps_due = models.PositiveSmallIntegerField(default=0)
    steps_late = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["week_of"]
        constraints = [
            models.UniqueConstraint(fields=["user", "week_of"], name="one_reminder_per_week")
        ]

    def __str__(self):
        return f"{self.user}: week of {self.week_of}"
