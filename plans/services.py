"""Writes of the self-check and the learning plan. The web views and the API both call these.

Each checks its input against the catalog and raises ValidationError keyed by field (nothing
is saved when anything is wrong), and runs in one transaction.
"""

import contextlib
from collections.abc import Iterable, Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import caching
from roles.models import Role, Tool

from . import planning, selectors
from .models import Plan, PlanStep, PlanStepChange, SkillRating


def ratings_validate(ratings: Iterable[tuple[object, object]]) -> dict[str, int]:
    """(tool slug, level) pairs checked against the catalog: known tool, level 0-4, each tool
    once. Returns slug -> level; raises ValidationError naming every bad entry."""
    known = selectors.tool_cards()
    problems: list[str] = []
    levels: dict[str, int] = {}
    for number, (tool, level) in enumerate(ratings, 1):
        if not isinstance(tool, str) or tool not in known:
            problems.append(
                _("Entry %(number)s: %(tool)s is not a tool in the catalog.")
                % {"number": number, "tool": repr(str(tool)[:60])}
            )
        elif tool in levels:
            problems.append(
                _("Entry %(number)s: %(tool)s is rated more than once.")
                % {"number": number, "tool": tool}
            )
        elif planning.is_level(level):
            levels[tool] = level
        elif planning.is_whole_number(level):
            problems.append(
                _("Entry %(number)s: the level of %(tool)s must be from 0 to 4, not %(level)s.")
                % {"number": number, "tool": tool, "level": level}
            )
        else:
            problems.append(
                _("Entry %(number)s: the level of %(tool)s must be a whole number from 0 to 4.")
                % {"number": number, "tool": tool}
            )
    if problems:
        raise ValidationError({"ratings": problems})
    return levels


@transaction.atomic
def ratings_save(*, user, levels: Mapping[str, int]) -> None:
    """Set the person's levels for the given tools (checked by ratings_validate); their other
    tools keep theirs. Retaking the self-check simply sets them again. One upsert, so two
    requests racing can't trip over the one-rating-per-tool constraint."""
    tools = dict(Tool.objects.filter(slug__in=list(levels)).values_list("slug", "pk"))
    SkillRating.objects.bulk_create(
        [
            SkillRating(user=user, tool_id=tools[slug], level=level)
            for slug, level in levels.items()
            if slug in tools
        ],
        update_conflicts=True,
        unique_fields=["user", "tool"],
        update_fields=["level", "rated_at"],
    )
    caching.history_changed(user.pk)


def _role_with_tools(role_slug: object) -> Role:
    # Only a slug the catalog has is looked up: other text (a NUL byte, a lone surrogate)
    # never reaches the database, which refuses it with an error rather than finding nothing.
    known = isinstance(role_slug, str) and role_slug in selectors.role_names()
    role = Role.objects.filter(slug=role_slug).first() if known else None
    if role is None:
        raise ValidationError({"role": _("Choose one of the roles in the catalog.")})
    if not selectors.role_tools(role.slug):
        raise ValidationError(
            {"role": _("%(role)s has no tools to plan yet.") % {"role": role.name}}
        )
    return role


def role_validate(role_slug: object) -> str:
    """A role of the catalog that has tools to plan: its slug. The web form of an anonymous
    person's plan checks it here, with the same messages as plan_update."""
    return _role_with_tools(role_slug).slug


def hours_per_week_validate(value: object) -> int:
    """1 to 60 whole hours a week."""
    if not planning.is_hours_per_week(value):
        raise ValidationError(
            {
                "hours_per_week": _("Hours a week must be a whole number from %(low)s to %(high)s.")
                % {"low": planning.HOURS_PER_WEEK_MIN, "high": planning.HOURS_PER_WEEK_MAX}
            }
        )
    return value


@transaction.atomic
def plan_update(*, user, today: date, role: object = None, hours_per_week: object = None) -> Plan:
    """Make or change the person's plan: its role (a new role starts the plan's dates today)
    and its pace. A new plan without a role takes the top role of their latest result."""
    # get_or_create: two first requests racing make one plan; a refusal below rolls it back.
    plan, _created = Plan.objects.select_for_update().get_or_create(
        user=user, defaults={"started_on": today}
    )
    errors: dict[str, list[str]] = {}
    new_role = None
    if role is not None or plan.role_id is None:
        wanted = role if role is not None else selectors.default_role_slug(user=user)
        try:
            new_role = _role_with_tools(wanted)
        except ValidationError as error:
            errors.update(error.message_dict)
    pace = None
    if hours_per_week is not None:
        try:
            pace = hours_per_week_validate(hours_per_week)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    if new_role is not None and new_role.pk != plan.role_id:
        plan.role = new_role
        plan.started_on = today
    if pace is not None:
        plan.hours_per_week = pace
    plan.save()
    caching.history_changed(user.pk)
    return plan


@transaction.atomic
def step_status_set(*, user, tool: object, status: object, today: date) -> PlanStep:
    """Set a step's status. Done counts the step's hours as they are today (a later change of
    estimate never alters them); every change is dated for the chart of progress. The step
    is checked first: a status for a step that isn't there has no field to be shown at."""
    plan = Plan.objects.select_for_update().filter(user=user).first()
    if plan is None or plan.role is None:
        raise ValidationError({"tool": _("Make a plan first: choose a role for it.")})
    if not isinstance(tool, str) or tool not in selectors.role_tool_slugs().get(plan.role.slug, []):
        raise ValidationError({"tool": _("That tool is not part of this plan's role.")})
    if not isinstance(status, str) or status not in planning.STATUSES:
        choices = ", ".join(
            f"{label.lower()} ({code})" for code, label in selectors.status_labels().items()
        )
        raise ValidationError(
            {"status": _("Choose one of the statuses: %(choices)s.") % {"choices": choices}}
        )
    tool_row = Tool.objects.get(slug=tool)
    step = PlanStep.objects.filter(plan=plan, tool=tool_row).first() or PlanStep(
        plan=plan, tool=tool_row, status=planning.TO_DO
    )
    if step.status == status and step.pk is not None:
        return step
    if status == planning.DONE:
        ratings, _rated_at = selectors.ratings_get(user=user)
        if step.status != planning.DONE:
            step.hours_done = planning.personal_hours(tool_row.hours_to_learn, ratings.get(tool, 0))
            step.done_on = today
        step.started_on = step.started_on or today
    else:
        step.done_on = None
        step.hours_done = None
        if status == planning.IN_PROGRESS:
            step.started_on = step.started_on or today
        elif status == planning.TO_DO:
            step.started_on = None
    step.status = status
    step.save()
    PlanStepChange.objects.create(
        plan=plan,
        tool=tool_row,
        status=step.status,
        hours_done=step.hours_done or 0,
        changed_on=today,
    )
    caching.history_changed(user.pk)
    return step


@transaction.atomic
def anonymous_plan_claim(
    *, user, levels: Mapping[str, int], role: str | None, hours_per_week: int | None, today: date
) -> None:
    """After a log-in or sign-up: the self-check and pace this browser kept become the
    person's (the session's ratings are newer than any saved ones). Entries that no longer
    match the catalog are dropped rather than refusing the log-in."""
    known = selectors.tool_cards()
    kept = {
        slug: level for slug, level in levels.items() if slug in known and planning.is_level(level)
    }
    if kept:
        ratings_save(user=user, levels=kept)
    if role is None and hours_per_week is None:
        return
    if Plan.objects.filter(user=user).exists():
        return  # a saved plan wins over one sketched while logged out
    # A role or pace gone stale in the session is dropped; the person picks again.
    with contextlib.suppress(ValidationError):
        plan_update(user=user, today=today, role=role, hours_per_week=hours_per_week)
