"""Reads of the catalog. Each returns a queryset whose related rows are fetched up front,
so a page costs the same number of queries however much content there is."""

from django.db.models import Prefetch, Q, QuerySet

from core import caching

from .models import (
    AspectText,
    CareerAspect,
    FocusArea,
    Outlook,
    Role,
    RoleProxy,
    SalaryFigure,
    Tool,
    ToolCategory,
    ToolQuerySet,
    WageDistribution,
)


def _tools_with_category() -> ToolQuerySet:
    return Tool.objects.select_related("category")


def _proxies() -> Prefetch:
    """A role's proxy occupations, each with its wages and outlooks and their sources: three
    queries for any number of roles, occupations and releases."""
    return Prefetch(
        "proxies",
        queryset=RoleProxy.objects.select_related("occupation").prefetch_related(
            Prefetch(
                "occupation__wage_distributions",
                queryset=WageDistribution.objects.select_related("source"),
            ),
            Prefetch("occupation__outlooks", queryset=Outlook.objects.select_related("source")),
        ),
    )


def role_list() -> QuerySet[Role]:
    """Roles in display order, each with its salary figures (newest first) and tools."""
    return Role.objects.prefetch_related(
        Prefetch("salary_figures", queryset=SalaryFigure.objects.order_by("-as_of")),
        Prefetch("tools", queryset=_tools_with_category()),
    )


def role_get(*, slug: str, with_aspects: bool = False) -> Role:
    """One role with everything its page shows (its proxy occupations with their newest
    wages and outlook too); raises Role.DoesNotExist."""
    roles = Role.objects.all()
    if with_aspects:
        roles = roles.prefetch_related(
            Prefetch("aspect_texts", queryset=AspectText.objects.select_related("aspect"))
        )
    return roles.prefetch_related(
        Prefetch(
            "focus_areas",
            queryset=FocusArea.objects.order_by("order", "title").prefetch_related("points"),
        ),
        Prefetch("salary_figures", queryset=SalaryFigure.objects.order_by("-as_of")),
        Prefetch("tools", queryset=_tools_with_category()),
        _proxies(),
    ).get(slug=slug)


def role_comparison() -> tuple[list[Role], list[dict]]:
    """Roles side by side, and one row per aspect with each role's text in the roles' order
    ("" where a role has none), for the compare page."""
    roles = list(
        Role.objects.prefetch_related(
            Prefetch("salary_figures", queryset=SalaryFigure.objects.order_by("-as_of")),
            Prefetch(
                "focus_areas",
                queryset=FocusArea.objects.order_by("order", "title").prefetch_related("points"),
            ),
            Prefetch("tools", queryset=_tools_with_category()),
            _proxies(),
        )
    )
    aspects = CareerAspect.objects.prefetch_related(
        Prefetch("texts", queryset=AspectText.objects.select_related("role"))
    )
    rows = []
    for aspect in aspects:
        text_of = {text.role_id: text.text for text in aspect.texts.all()}
        rows.append({"aspect": aspect, "texts": [text_of.get(role.pk, "") for role in roles]})
    return roles, rows


def tool_list(*, role_slug: str = "", category_slug: str = "", search: str = "") -> QuerySet[Tool]:
    """Tools filtered by role, category and a text search over name and descriptions."""
    tools = _tools_with_category().prefetch_related("roles")
    if role_slug:
        tools = tools.for_role(role_slug)
    if category_slug:
        tools = tools.filter(category__slug=category_slug)
    if search:
        tools = tools.filter(
            Q(name__icontains=search) | Q(summary__icontains=search) | Q(usage__icontains=search)
        )
    return tools.distinct()


def tool_get(*, slug: str) -> Tool:
    """One tool with its category and roles; raises Tool.DoesNotExist."""
    return _tools_with_category().prefetch_related("roles").get(slug=slug)


def tool_filter_values() -> dict[str, frozenset[str]]:
    """The values the tool filters can take (role and category slugs), read once per catalog
    version: a filtered list for one of these may be cached for everyone."""

    def build() -> dict[str, frozenset[str]]:
        return {
            "role": frozenset(Role.objects.values_list("slug", flat=True)),
            "category": frozenset(ToolCategory.objects.values_list("slug", flat=True)),
        }

    return caching.catalog_data(name="tool-filter-values", build=build)
