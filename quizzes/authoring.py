"""Editors' writes of the quiz: the publish check, publishing, copying a version as a new
draft, and setting weights. The admin calls these; people's requests never do (their writes
are in assessments/)."""

from collections.abc import Mapping

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core import caching
from core.translations import every_language
from roles.models import Role

from . import selectors
from .models import (
    MAX_WEIGHT,
    Choice,
    ChoiceWeight,
    FrozenVersionError,
    Question,
    Quiz,
    QuizVersion,
    is_frozen,
)


def version_problems(*, version: QuizVersion) -> list[str]:
    """What stops a version from being published: questions with fewer than two choices,
    roles that no choice weighs for (they could never score), and tie-breakers (if it has
    any) that leave a role without a weight (settling a close call could not move it)."""
    every = selectors.question_list(version=version, with_weights=True, tie_breakers=None)
    questions = [question for question in every if not question.is_tie_breaker]
    tie_breakers = [question for question in every if question.is_tie_breaker]
    problems = []
    if not questions:
        problems.append("The version has no questions.")
    for question in every:
        if len(question.choices.all()) < 2:
            problems.append(f"“{question.text}” needs at least two choices.")
    weighted_roles = {
        weight.role.slug
        for question in questions
        for choice in question.choices.all()
        for weight in choice.weights.all()
        if weight.weight > 0
    }
    for role in selectors.role_list_for_scoring():
        if role.slug not in weighted_roles:
            problems.append(f"No choice counts towards {role.name}, so it can't be scored.")
    tie_breaker_roles = {
        weight.role.slug
        for question in tie_breakers
        for choice in question.choices.all()
        for weight in choice.weights.all()
        if weight.weight > 0
    }
    for role in selectors.role_list_for_scoring() if tie_breakers else []:
        if role.slug not in tie_breaker_roles:
            problems.append(
                f"No tie-breaker choice counts towards {role.name}, so the tie-breakers "
                "can't settle a close call involving it."
            )
    return problems


class CannotPublish(Exception):
    """The version can't be published yet; `problems` says why, one sentence each."""

    def __init__(self, problems):
        super().__init__(" ".join(problems))
        self.problems = problems


@transaction.atomic
def version_publish(*, version: QuizVersion) -> QuizVersion:
    """Make a version the quiz's current one, after checking it can be answered and scored.

    The version that was current stays published, so assessments begun on it can finish.
    """
    Quiz.objects.select_for_update().get(pk=version.quiz_id)  # one publish or copy at a time
    version = QuizVersion.objects.select_for_update().get(pk=version.pk)
    problems = version_problems(version=version)
    if problems:
        raise CannotPublish(problems)
    QuizVersion.objects.filter(quiz_id=version.quiz_id, is_current=True).exclude(
        pk=version.pk
    ).update(is_current=False)
    version.status = QuizVersion.Status.PUBLISHED
    version.is_current = True
    version.published_at = version.published_at or timezone.now()
    version.save(update_fields=["status", "is_current", "published_at"])
    return version


@transaction.atomic
def version_copy_as_draft(*, version: QuizVersion) -> QuizVersion:
    """A new draft with a copy of every question, choice and weight of `version`, with their
    texts in every language."""
    Quiz.objects.select_for_update().get(pk=version.quiz_id)  # one publish or copy at a time
    highest = QuizVersion.objects.filter(quiz_id=version.quiz_id).aggregate(Max("number"))
    draft = QuizVersion.objects.create(
        quiz_id=version.quiz_id,
        number=highest["number__max"] + 1,
        status=QuizVersion.Status.DRAFT,
        notes=f"Copied from version {version.number}.",
    )
    questions = selectors.question_list(version=version, with_weights=True, tie_breakers=None)
    new_questions = Question.objects.bulk_create(
        Question(
            version=draft,
            key=question.key,
            order=question.order,
            is_tie_breaker=question.is_tie_breaker,
            **every_language(question),
        )
        for question in questions
    )
    pairs = [
        (new_question, choice)
        for question, new_question in zip(questions, new_questions, strict=True)
        for choice in question.choices.all()
    ]
    new_choices = Choice.objects.bulk_create(
        Choice(question=new_question, key=choice.key, order=choice.order, **every_language(choice))
        for new_question, choice in pairs
    )
    ChoiceWeight.objects.bulk_create(
        ChoiceWeight(choice=new_choice, role_id=weight.role_id, weight=weight.weight)
        for (_, choice), new_choice in zip(pairs, new_choices, strict=True)
        for weight in choice.weights.all()
    )
    return draft


@transaction.atomic
def weights_update(*, version: QuizVersion, weights: Mapping[tuple[int, int], int]) -> int:
    """Set choices' weights for roles, keyed by (choice id, role id); returns the rows written.

    Only choices of `version` are touched (others are ignored); a missing weight row is created.
    Raises FrozenVersionError if the version has been answered, ValueError for a weight out of
    0..MAX_WEIGHT. Runs a fixed number of queries however many weights change.
    """
    # Lock the version so it can't be published and answered half-way through the change.
    if is_frozen(version, lock=True):
        raise FrozenVersionError()
    for value in weights.values():
        if not isinstance(value, int) or not 0 <= value <= MAX_WEIGHT:
            raise ValueError(f"A weight must be a whole number from 0 to {MAX_WEIGHT}.")
    choice_ids = set(
        Choice.objects.filter(
            question__version=version, pk__in={choice_id for choice_id, _ in weights}
        ).values_list("pk", flat=True)
    )
    role_ids = set(
        Role.objects.filter(pk__in={role_id for _, role_id in weights}).values_list("pk", flat=True)
    )
    existing = {
        (row.choice_id, row.role_id): row
        for row in ChoiceWeight.objects.filter(choice_id__in=choice_ids, role_id__in=role_ids)
    }
    changed, added = [], []
    for (choice_id, role_id), value in sorted(weights.items()):
        if choice_id not in choice_ids or role_id not in role_ids:
            continue
        row = existing.get((choice_id, role_id))
        if row is None:
            added.append(ChoiceWeight(choice_id=choice_id, role_id=role_id, weight=value))
        elif row.weight != value:
            row.weight = value
            changed.append(row)
    # Bulk writes skip the models' frozen guard (the locked check above stands in for it) and
    # their signals, so say that the content changed: cached scoring data must be read again.
    ChoiceWeight.objects.bulk_update(changed, ["weight"])
    ChoiceWeight.objects.bulk_create(added)
    caching.catalog_changed()
    return len(changed) + len(added)
