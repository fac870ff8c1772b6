"""Reads for the self-check and the learning plan. A plan page costs the same few queries
however many tools and steps it has: the role's tools and the prerequisite graph come from
the catalog cache, the person's ratings, plan and statuses in one query each."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from core import caching
from roles.models import Role, Tool

from . import planning
from .models import Plan, PlanStepChange, SkillRating


@dataclass(frozen=True)
class ToolCard:
    """What the pages and the API show of a tool in a plan or the self-check."""

    slug: str
    name: str
    summary: str
    order: int
    hours_to_learn: int
    milestones: tuple[str, ...]
    prerequisites: tuple[str, ...]
    url: str

    def facts(self) -> planning.ToolFacts:
        return planning.ToolFacts(
            key=self.slug,
            order=self.order,
            hours_to_learn=self.hours_to_learn,
            prerequisites=self.prerequisites,
        )


def _tool_cards() -> dict[str, ToolCard]:
    """Every tool by slug, in catalog order, with its prerequisites' slugs."""
    requires: dict[int, list[str]] = {}
    through = Tool.prerequisites.through
    for from_id, slug in through.objects.values_list("from_tool_id", "to_tool__slug"):
        requires.setdefault(from_id, []).append(slug)
    return {
        tool.slug: ToolCard(
            slug=tool.slug,
            name=tool.name,
            summary=tool.summary,
            order=tool.order,
            hours_to_learn=tool.hours_to_learn,
            milestones=tuple(tool.milestone_list),
            prerequisites=tuple(sorted(requires.get(tool.pk, []))),
            url=tool.get_absolute_url(),
        )
        for tool in Tool.objects.order_by("order", "name")
    }


def _role_tool_slugs() -> dict[str, list[str]]:
    """Each role's tool slugs in the role's tool order, and the roles in display order."""
    slugs: dict[str, list[str]] = {role.slug: [] for role in Role.objects.order_by("order", "name")}
    for role_slug, tool_slug in Tool.roles.through.objects.order_by(
        "tool__order", "tool__name"
    ).values_list("role__slug", "tool__slug"):
        slugs[role_slug].append(tool_slug)
    return slugs


def tool_cards() -> dict[str, ToolCard]:
    """All tools for the planner, from the catalog cache (rebuilt when an editor saves)."""
    return caching.catalog_data(name="plans:tool-cards", build=_tool_cards)


def role_tool_slugs() -> dict[str, list[str]]:
    return caching.catalog_data(name="plans:role-tools", build=_role_tool_slugs)


def role_names() -> dict[str, str]:
    """Role slug -> name, display order."""
    return caching.catalog_data(
        name="plans:role-names",
        build=lambda: dict(Role.objects.order_by("order", "name").values_list("slug", "name")),
    )


def role_tools(role_slug: str) -> list[ToolCard]:
    cards = tool_cards()
    return [cards[slug] for slug in role_tool_slugs().get(role_slug, []) if slug in cards]


def ratings_get(*, user) -> tuple[dict[str, int], Any]:
    """A person's latest self-check: tool slug -> level, and when it was last changed."""
    rows = list(
        SkillRating.objects.filter(user=user).values_list("tool__slug", "level", "rated_at")
    )
    updated = max((rated_at for _, _, rated_at in rows), default=None)
    return {slug: level for slug, level, _ in rows}, updated


def plan_get(*, user) -> Plan | None:
    """The person's plan with its statuses (two queries), or None before they make one."""
    return (
        Plan.objects.select_related("role")
        .prefetch_related("steps__tool")
        .filter(user=user)
        .first()
    )


def default_role_slug(*, user) -> str | None:
    """The role a new plan is for: the top role of the person's latest result, asked of the
    assessments app through settings.PLAN_DEFAULT_ROLE (plans never import it), else None."""
    return import_string(settings.PLAN_DEFAULT_ROLE)(user=user)


def status_labels() -> dict[str, str]:
    """Each step status (planning.STATUSES) and its label in the active language."""
    return {status: gettext(label) for status, label in planning.STATUSES.items()}


def level_labels() -> dict[int, str]:
    """Each self-check level (planning.LEVELS) and its meaning in the active language."""
    return {level: gettext(meaning) for level, meaning in planning.LEVELS.items()}


@dataclass(frozen=True)
class StepView:
    step: planning.PlannedStep
    tool: ToolCard
    level: int

    @property
    def status_label(self) -> str:
        return gettext(planning.STATUSES[self.step.status])

    @property
    def level_label(self) -> str:
        return gettext(planning.LEVELS[self.level])


@dataclass(frozen=True)
class PlanView:
    """Everything a plan page or the API shows."""

    role_slug: str | None
    role_name: str
    hours_per_week: int
    outline: planning.PlanOutline
    steps: list[StepView] = field(default_factory=list)
    rated: bool = False  # whether the person has rated any of the role's tools
    role_has_tools: bool = True


def plan_outline_get(
    *,
    role_slug: str | None,
    hours_per_week: int,
    ratings: dict[str, int],
    states: dict[str, planning.StepState],
    started_on: date,
    today: date,
) -> PlanView:
    """A plan worked out from what the person said (saved or kept in their session)."""
    tools = role_tools(role_slug) if role_slug else []
    cards = {tool.slug: tool for tool in tools}
    outline = planning.plan_build(
        tools=[tool.facts() for tool in tools],
        ratings=ratings,
        states=states,
        hours_per_week=hours_per_week,
        started_on=started_on,
        today=today,
        links=[card.facts() for slug, card in tool_cards().items() if slug not in cards],
    )
    return PlanView(
        role_slug=role_slug,
        role_name=role_names().get(role_slug or "", ""),
        hours_per_week=hours_per_week,
        outline=outline,
        steps=[
            StepView(step=step, tool=cards[step.tool], level=ratings.get(step.tool, 0))
            for step in outline.steps
        ],
        rated=any(tool.slug in ratings for tool in tools),
        role_has_tools=bool(tools),
    )


def saved_plan_outline_get(*, plan: Plan, ratings: dict[str, int], today: date) -> PlanView:
    states = {step.tool.slug: step.state() for step in plan.steps.all()}
    return plan_outline_get(
        role_slug=plan.role.slug if plan.role else None,
        hours_per_week=plan.hours_per_week,
        ratings=ratings,
        states=states,
        started_on=plan.started_on,
        today=today,
    )


def hours_done_history(*, plan: Plan) -> list[tuple[date, int]]:
    """Total hours done at the end of each day a status changed, for the profile's chart.
    Only the steps of the plan's role count, as in the plan's own hours done: a step of a
    role it had before, or of a tool an editor took out of the role, is not in it."""
    in_plan = set(role_tool_slugs().get(plan.role.slug, [])) if plan.role else set()
    changes = PlanStepChange.objects.filter(plan=plan).values_list(
        "changed_on", "tool__slug", "hours_done"
    )
    return planning.hours_done_over_time(
        (day, slug, hours) for day, slug, hours in changes if slug in in_plan
    )


def rating_list(*, user) -> list[SkillRating]:
    """A person's self-check, one row per tool with its tool, in catalog order (one query)."""
    return list(SkillRating.objects.filter(user=user).select_related("tool"))


def plan_change_list(*, plan: Plan) -> list[PlanStepChange]:
    """A plan's dated status changes with their tools, oldest first (one query)."""
    return list(plan.changes.select_related("tool"))


def person_plan_outline_get(*, user, today: date) -> tuple[PlanView, Plan | None]:
    """A signed-in person's saved plan as it stands today, with the plan; or, before they save
    one (or when an editor removed its role), the plan they would get, and None. Reads only."""
    ratings, _ = ratings_get(user=user)
    plan = plan_get(user=user)
    if plan is not None and plan.role is not None:
        return saved_plan_outline_get(plan=plan, ratings=ratings, today=today), plan
    view = plan_outline_get(
        role_slug=default_role_slug(user=user),
        hours_per_week=plan.hours_per_week if plan else planning.DEFAULT_HOURS_PER_WEEK,
        ratings=ratings,
        states={},
        started_on=today,
        today=today,
    )
    return view, None
