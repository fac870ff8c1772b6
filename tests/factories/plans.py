"""Learning plans and self-check ratings."""

import datetime

import factory

from plans.models import Plan, PlanReminder, SkillRating
from tests.factories.accounts import UserFactory
from tests.factories.catalog import RoleFactory, ToolFactory


class SkillRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkillRating

    user = factory.SubFactory(UserFactory)
    tool = factory.SubFactory(ToolFactory)
    level = 0


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    user = factory.SubFactory(UserFactory)
    role = factory.SubFactory(RoleFactory)
    hours_per_week = 5
    started_on = factory.LazyFunction(datetime.date.today)


class PlanReminderFactory(factory.django.DjangoModelFactory):
    """A weekly reminder switched on long ago (Monday, UTC, English): for tests of who is due;
    a reminder that is to be sent needs a plan, and plans.reminders.reminder_settings_set."""

    class Meta:
        model = PlanReminder

    user = factory.SubFactory(UserFactory)
    enabled = True
    weekday = 1
    time_zone = "UTC"
    time_zone_chosen = factory.LazyAttribute(lambda reminder: reminder.time_zone != "UTC")
    language = "en"
    enabled_on = datetime.date(2026, 1, 1)
    updated_at = factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC))
