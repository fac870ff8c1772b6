"""factory_boy factories: the one way tests make data."""

import datetime

import factory
from django.contrib.auth import get_user_model

from quizzes.models import Choice, ChoiceWeight, Question, Quiz, QuizVersion
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

TEST_PASSWORD = "a-long-test-password-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


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

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.roles.set(extracted)


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


class QuizFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quiz
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Quiz {n}")
    slug = factory.Sequence(lambda n: f"quiz-{n}")


class QuizVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuizVersion

    quiz = factory.SubFactory(QuizFactory)
    number = factory.Sequence(lambda n: n + 100)
    status = QuizVersion.Status.PUBLISHED


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    version = factory.SubFactory(QuizVersionFactory)
    key = factory.Sequence(lambda n: f"question-{n}")
    text = factory.Sequence(lambda n: f"Question {n}?")
    order = factory.Sequence(lambda n: n)


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory)
    key = factory.Sequence(lambda n: f"choice-{n}")
    text = factory.Sequence(lambda n: f"Choice {n}")
    order = factory.Sequence(lambda n: n)


class ChoiceWeightFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChoiceWeight

    choice = factory.SubFactory(ChoiceFactory)
    role = factory.SubFactory(RoleFactory)
    weight = 1


def make_quiz_version(*, roles, question_count, quiz=None, current=False, number=None):
    """A published version whose every question has one choice per role, weighing 3 for its
    role and 0 for the others, plus a middle choice weighing 1 for every role."""
    version = QuizVersionFactory(
        quiz=quiz or QuizFactory(),
        is_current=current,
        **({"number": number} if number is not None else {}),
    )
    for index in range(question_count):
        question = QuestionFactory(version=version, order=index)
        for position, role in enumerate(roles):
            choice = ChoiceFactory(question=question, key=f"for-{role.slug}", order=position)
            for other in roles:
                ChoiceWeightFactory(choice=choice, role=other, weight=3 if other == role else 0)
        middle = ChoiceFactory(question=question, key="middle", order=len(roles))
        for role in roles:
            ChoiceWeightFactory(choice=middle, role=role, weight=1)
    return version


class StaffUserFactory(UserFactory):
    """A staff member with no permissions: may log in to the admin, and sees nothing there."""

    is_staff = True


class EditorFactory(StaffUserFactory):
    """A staff member in the Editors group (created by a data migration)."""

    @factory.post_generation
    def editors_group(obj, create, extracted, **kwargs):
        if create:
            from django.contrib.auth.models import Group

            obj.groups.add(Group.objects.get(name="Editors"))


class SuperuserFactory(StaffUserFactory):
    is_superuser = True
