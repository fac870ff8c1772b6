"""Quizzes, their versions, questions, choices and weights."""

import factory
from django.utils import timezone

from quizzes.models import Choice, ChoiceWeight, Question, Quiz, QuizVersion
from tests.factories.catalog import RoleFactory


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
    published_at = factory.LazyAttribute(
        lambda version: timezone.now() if version.status == QuizVersion.Status.PUBLISHED else None
    )


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
    role and 0 for the others, plus a middle choice weighing 1 for every role.

    Rows are inserted in bulk (three queries, however many questions), so big versions for
    query-count tests and the default world stay cheap to build.
    """
    version = QuizVersionFactory(
        quiz=quiz or QuizFactory(),
        is_current=current,
        **({"number": number} if number is not None else {}),
    )
    questions = Question.objects.bulk_create(
        Question(
            version=version,
            key=f"question-{index + 1}",
            text=f"Question {index + 1}: which of these would you most like to do?",
            order=index + 1,
        )
        for index in range(question_count)
    )
    choices, weights = [], []
    for index, question in enumerate(questions):
        for position, role in enumerate(roles):
            choice = Choice(
                question=question,
                key=f"for-{role.slug}",
                text=f"Question {index + 1}: the {role.name} way",
                order=position + 1,
            )
            choices.append(choice)
            weights += [(choice, other, 3 if other == role else 0) for other in roles]
        middle = Choice(
            question=question,
            key="middle",
            text=f"Question {index + 1}: a bit of everything",
            order=len(roles) + 1,
        )
        choices.append(middle)
        weights += [(middle, role, 1) for role in roles]
    Choice.objects.bulk_create(choices)
    ChoiceWeight.objects.bulk_create(
        ChoiceWeight(choice=choice, role=role, weight=weight) for choice, role, weight in weights
    )
    return version


def add_tie_breakers(version, *, roles, count=5):
    """`count` tie-breaker questions at the end of `version` (before anyone answers it), each
    with one choice per role weighing 3 for it and 0 for the others. Returns them in order."""
    start = (version.questions.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    questions = []
    for index in range(count):
        question = Question.objects.create(
            version=version,
            key=f"tie-breaker-{index + 1}",
            text=f"Tie-breaker {index + 1}: which would you rather do on a normal day?",
            order=start + index,
            is_tie_breaker=True,
        )
        for position, role in enumerate(roles):
            choice = Choice.objects.create(
                question=question,
                key=f"for-{role.slug}",
                text=f"Tie-breaker {index + 1}: the {role.name} day",
                order=position + 1,
            )
            for other in roles:
                ChoiceWeight.objects.create(
                    choice=choice, role=other, weight=3 if other == role else 0
                )
        questions.append(question)
    return questions
