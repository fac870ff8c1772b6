"""The catalog: roles, focus areas, tools, salaries and career aspects."""

import datetime

import factory

from roles.models import (
    AspectText,
    CareerAspect,
    FocusArea,
    FocusPoint,
    Role,
    SalaryFigure,
    Tool,
    ToolCategory,
)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    name = factory.Sequence(lambda n: f"Role {n}")
    slug = factory.Sequence(lambda n: f"role-{n}")
    tagline = factory.Faker("sentence")
    summary = factory.Faker("paragraph")
    order = factory.Sequence(lambda n: n)


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea

    role = factory.SubFactory(RoleFactory)
    slug = factory.Sequence(lambda n: f"area-{n}")
    title = factory.Sequence(lambda n: f"Focus area {n}")
    summary = factory.Faker("sentence")
    order = factory.Sequence(lambda n: n)


class FocusPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusPoint

    focus_area = factory.SubFactory(FocusAreaFactory)
    title = factory.Sequence(lambda n: f"Point {n}")
    text = factory.Faker("sentence")
    order = factory.Sequence(lambda n: n)


class ToolCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ToolCategory

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class ToolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tool
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Tool {n}")
    slug = factory.Sequence(lambda n: f"tool-{n}")
    category = factory.SubFactory(ToolCategoryFactory)
    summary = factory.Faker("sentence")
    usage = factory.Faker("paragraph")
    homepage = "https://example.com/"
    is_open_source = True
    order = factory.Sequence(lambda n: n)
    hours_to_learn = 20
    milestones = (
        "Install it and run the tutorial\nUse it on a small project\nExplain it to a colleague"
    )

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.roles.set(extracted)

    @factory.post_generation
    def prerequisites(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.prerequisites.set(extracted)


class SalaryFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalaryFigure

    role = factory.SubFactory(RoleFactory)
    amount = 100_000
    currency = "USD"
    period = SalaryFigure.Period.YEAR
    source_name = factory.Sequence(lambda n: f"Source {n}")
    source_url = "https://example.com/salaries"
    as_of = datetime.date(2025, 1, 1)


class CareerAspectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareerAspect

    name = factory.Sequence(lambda n: f"Aspect {n}")
    slug = factory.Sequence(lambda n: f"aspect-{n}")
    order = factory.Sequence(lambda n: n)


class AspectTextFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AspectText

    aspect = factory.SubFactory(CareerAspectFactory)
    role = factory.SubFactory(RoleFactory)
    text = factory.Faker("sentence")
