"""What the editors' admin screens need beyond Django's admin: the weight grid's write, the
frozen-version check, and why a row can't be deleted (people's saved results use it).

Kept out of admin.py so the rules read on their own and can be tested without HTTP.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Model, Q

from roles.models import Role, Tool

from .models import (
    Answer,
    Assessment,
    Choice,
    Question,
    QuizVersion,
    RecommendedTool,
)
from .services import FROZEN_VERSION_MESSAGE

FROZEN_MESSAGE = FROZEN_VERSION_MESSAGE


def is_frozen(obj: Model | None) -> bool:
    """Whether a version (or a question, choice or weight of one) has been answered.

    Remembered on the object, because the admin asks many times while building one page.
    """
    if obj is None or obj.pk is None:
        return False
    cached = obj.__dict__.get("_admin_is_frozen")
    if cached is None:
        cached = obj.__dict__["_admin_is_frozen"] = bool(obj.is_frozen())
    return cached


def _results(count: int) -> str:
    return f"{count} saved result{'' if count == 1 else 's'}"


def answered_counts(version_ids: Iterable[int]) -> dict[int, int]:
    """How many assessments answered each version, for the versions that have any."""
    rows = (
        Assessment.objects.filter(version_id__in=set(version_ids))
        .values("version_id")
        .annotate(count=Count("pk"))
    )
    return {row["version_id"]: row["count"] for row in rows}


def role_deletion_blockers(roles: Iterable[Role]) -> list[str]:
    """Why these roles can't be deleted: saved results score them."""
    blockers = []
    for role in roles:  # a handful of roles: one count each
        count = (
            Assessment.objects.filter(Q(top_role=role) | Q(scores__role=role))
            .values("pk")
            .distinct()
            .count()
        )
        if count:
            blockers.append(
                f"“{role}” is scored in {_results(count)} (people's assessments). "
                "Those results must keep showing it, so the role can't be deleted."
            )
    return blockers


def tool_deletion_blockers(tools: Iterable[Tool]) -> list[str]:
    """Why these tools can't be deleted: saved results recommend them."""
    tools = list(tools)
    used = dict(
        RecommendedTool.objects.filter(tool__in=tools)
        .values("tool_id")
        .annotate(count=Count("assessment_id", distinct=True))
        .values_list("tool_id", "count")
    )
    return [
        f"“{tool}” is recommended in {_results(used[tool.pk])} (people's assessments). "
        "Those results must keep showing it, so the tool can't be deleted."
        for tool in tools
        if used.get(tool.pk)
    ]


def version_deletion_blockers(versions: Iterable[QuizVersion]) -> list[str]:
    """Why these versions can't be deleted: answered, or the one people take now."""
    versions = list(versions)
    answered = answered_counts(version.pk for version in versions)
    blockers = []
    for version in versions:
        if answered.get(version.pk):
            blockers.append(
                f"“{version}” was answered in {_results(answered[version.pk])} "
                "(people's assessments), which must keep showing its questions."
            )
        elif version.is_current:
            blockers.append(
                f"“{version}” is the version people take now; publish another version first."
            )
    return blockers


def question_deletion_blockers(questions: Iterable[Question]) -> list[str]:
    """Why these questions can't be deleted: their version was answered."""
    questions = list(questions)
    answered = answered_counts(question.version_id for question in questions)
    answers = dict(
        Answer.objects.filter(question__in=questions)
        .values("question_id")
        .annotate(count=Count("pk"))
        .values_list("question_id", "count")
    )
    return [
        f"“{question}” was answered in {_results(max(answers.get(question.pk, 0), count))} "
        "(people's assessments); make a new draft from its version to change it."
        for question in questions
        if (count := answered.get(question.version_id, 0)) or answers.get(question.pk)
    ]


def choice_deletion_blockers(choices: Iterable[Choice]) -> list[str]:
    """Why these choices can't be deleted: their version was answered (picked or not, a choice
    is part of what people were asked)."""
    choices = list(Choice.objects.filter(pk__in=[c.pk for c in choices]).select_related("question"))
    answered = answered_counts(choice.question.version_id for choice in choices)
    picked = dict(
        Answer.objects.filter(choice__in=choices)
        .values("choice_id")
        .annotate(count=Count("pk"))
        .values_list("choice_id", "count")
    )
    blockers = []
    for choice in choices:
        if picked.get(choice.pk):
            blockers.append(
                f"“{choice}” was picked in {_results(picked[choice.pk])} (people's assessments)."
            )
        elif answered.get(choice.question.version_id):
            blockers.append(
                f"“{choice}” belongs to a quiz version answered in "
                f"{_results(answered[choice.question.version_id])} (people's assessments)."
            )
    return blockers


class DeletionGuardMixin:
    """For a ModelAdmin: refuse a delete that would reach people's saved results.

    Both the delete page and the "delete selected" action ask get_deleted_objects first, and
    show its `protected` list instead of deleting; the blockers go there, so the editor reads
    what uses the row (never a 500, never a cascade). They are counted, not listed one by one,
    so a row used by thousands of results still gives a short page.
    """

    def deletion_blockers(self, objs) -> list[str]:
        return []

    def get_deleted_objects(self, objs, request):
        blockers = self.deletion_blockers(objs)
        if blockers:
            return [], {}, set(), blockers
        return super().get_deleted_objects(objs, request)

    def delete_queryset(self, request, queryset):
        # One by one, so each model's own delete() guard runs (QuerySet.delete() skips it).
        with transaction.atomic():
            for obj in queryset:
                obj.delete()
