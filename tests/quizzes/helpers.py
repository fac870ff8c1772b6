"""Helpers of the quiz instrument's tests: the version admin and its weight grid."""

from quizzes import authoring
from quizzes.models import Choice, ChoiceWeight, QuizVersion


def version_admin_url(version, suffix="change/"):
    return f"/admin/quizzes/quizversion/{version.pk}/{suffix}"


def weight_cell(choice, role) -> str:
    return f"weights-{choice.pk}-{role.pk}"


def weight_of(choice, role) -> int:
    return ChoiceWeight.objects.get(choice=choice, role=role).weight


def draft_of(version) -> QuizVersion:
    return authoring.version_copy_as_draft(version=version)


def first_choice(version) -> Choice:
    return Choice.objects.filter(question__version=version).order_by("question__order", "order")[0]
