"""Learning plans and self-check ratings."""

import datetime

import factory

from plans.models import Plan, SkillRating
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
