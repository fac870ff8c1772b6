"""Editors' screens for the catalog: roles with their focus areas, salaries and proxy
occupations, tools, aspects, and the federal labour-market figures (sources, occupations with
their wages, outlooks).

Django has no nested inlines, so a role's page edits its focus areas and salary figures inline
(and picks its tools), and each focus area links to its own page where its points are edited
inline. Deleting a role or tool that rows elsewhere protect (people's saved results) is refused,
with a message that counts them.
"""

import calendar
import datetime
from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.db import models
from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from core.admin import (
    DeletionGuardMixin,
    TranslatedAdmin,
    TranslatedTabularInline,
    in_default_language,
    in_every_language,
)

from .admin_forms import OutlookAdminForm, RoleProxyForm, ToolAdminForm
from .models import (
    AspectText,
    CareerAspect,
    FocusArea,
    FocusPoint,
    LabourSource,
    Occupation,
    Outlook,
    Role,
    RoleProxy,
    SalaryFigure,
    Tool,
    ToolCategory,
    WageDistribution,
)

SALARY_STALE_AFTER_MONTHS = 18
FormfieldOverrides = Mapping[type[models.Field], Mapping[str, Any]]

SHORT_TEXT: FormfieldOverrides = {
    models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 50})}
}
ASPECT_TEXT: FormfieldOverrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3})}}
# Django 6 makes https the scheme assumed for an address typed without one; do it now.
HTTPS_URLS: FormfieldOverrides = {models.URLField: {"assume_scheme": "https"}}


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months earlier (the month's last day if it is shorter)."""
    year, month_index = divmod(day.year * 12 + day.month - 1 - months, 12)
    month = month_index + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def is_stale(as_of: datetime.date | None, today: datetime.date | None = None) -> bool:
    """Older than SALARY_STALE_AFTER_MONTHS: time to look for newer figures. The one rule for
    salaries and the federal figures alike."""
    if as_of is None:
        return False
    today = today or timezone.localdate()
    return as_of < months_before(today, SALARY_STALE_AFTER_MONTHS)


def salary_is_stale(figure: SalaryFigure, today: datetime.date | None = None) -> bool:
    """Older than SALARY_STALE_AFTER_MONTHS: time to look for a newer figure."""
    return is_stale(figure.as_of, today)


def source_is_stale(source: LabourSource, today: datetime.date | None = None) -> bool:
    """The period a source's figures describe ended more than SALARY_STALE_AFTER_MONTHS ago."""
    return is_stale(source.as_of, today)


def _stale_warning(figure: SalaryFigure) -> str:
    return (
        f"The salary figure from {figure.source_name} for {figure.role} is as of "
        f"{figure.as_of:%B %Y}, more than {SALARY_STALE_AFTER_MONTHS} months ago: "
        "please check the source for a newer one."
    )


def _source_stale_warning(source: LabourSource) -> str:
    return (
        f"The {source.get_kind_display()} figures of {source.dataset} for "
        f"{source.reference_period} are more than {SALARY_STALE_AFTER_MONTHS} months old: "
        f"please check {source.page_url} for a newer release, and import it with "
        "`make labour-figures CSV=...`."
    )


def _freshness(stale: bool) -> str:
    if stale:
        return format_html(
            '<strong class="errornote" style="padding:2px 6px">⚠ Older than {} months</strong>',
            SALARY_STALE_AFTER_MONTHS,
        )
    return "Current"


def salary_freshness(figure: SalaryFigure) -> str:
    """The freshness column: a warning once the figure is older than 18 months."""
    if figure.pk is None:
        return "–"
    return _freshness(salary_is_stale(figure))


def source_freshness(source: LabourSource | None) -> str:
    """The freshness column of a source, or of figures by their source."""
    if source is None or source.pk is None:
        return "–"
    return _freshness(source_is_stale(source))


def _warn_of_stale_sources(request, sources) -> None:
    """A warning on the page for each source in use that is older than 18 months."""
    seen = set()
    for source in sources:
        if source is not None and source.pk not in seen and source_is_stale(source):
            seen.add(source.pk)
            messages.warning(request, _source_stale_warning(source))


class FocusAreaInline(TranslatedTabularInline):
    model = FocusArea
    fields = ("order", "title", "slug", "summary", "points")
    readonly_fields = ("points",)
    prepopulated_fields = {"slug": (in_default_language("title"),)}
    formfield_overrides = SHORT_TEXT
    extra = 0

    def get_queryset(self, request):
        # The role for each row's title (str), fetched with it rather than once per row.
        return super().get_queryset(request).select_related("role").prefetch_related("points")

    @admin.display(description="points")
    def points(self, area: FocusArea) -> str:
        if area.pk is None:
            return "Save, then add its points."
        titles = ", ".join(point.title for point in area.points.all()) or "none yet"
        return format_html(
            '{}<br><a href="{}">Edit the points</a>',
            titles,
            reverse("admin:roles_focusarea_change", args=[area.pk]),
        )


class SalaryFigureInline(admin.TabularInline):
    model = SalaryFigure
    formfield_overrides = HTTPS_URLS
    fields = ("amount", "currency", "period", "source_name", "source_url", "as_of", "freshness")
    readonly_fields = ("freshness",)
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("role")

    @admin.display(description="freshness")
    def freshness(self, figure: SalaryFigure) -> str:
        return salary_freshness(figure)


class RoleAdminForm(forms.ModelForm):
    """A role, with the tools it uses picked from a searchable list (one query, any size)."""

    tools = forms.ModelMultipleChoiceField(
        queryset=Tool.objects.order_by("name"),
        required=False,
        widget=FilteredSelectMultiple("tools", is_stacked=False),
        help_text="The role's page lists them by each tool's own order: lowest first.",
    )

    class Meta:
        model = Role
        fields = ["name", "slug", "tagline", "summary", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial["tools"] = list(self.instance.tools.values_list("pk", flat=True))

    def _save_m2m(self):
        # Called by save() (or the admin's save_related()) once the role has its id.
        super()._save_m2m()
        self.instance.tools.set(self.cleaned_data["tools"])


class RoleProxyInline(TranslatedTabularInline):
    """The occupations that stand in for the role in the federal figures, and why."""

    model = RoleProxy
    form = RoleProxyForm
    fields = ("order", "occupation", "note")
    autocomplete_fields = ("occupation",)
    extra = 0
    verbose_name_plural = "proxy occupations (federal wage and outlook figures)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("role", "occupation")


@admin.register(Role)
class RoleAdmin(DeletionGuardMixin, TranslatedAdmin):
    list_display = ("name", "slug", "tagline", "order")
    list_editable = ("order",)
    search_fields = ("name", "slug", "tagline")
    prepopulated_fields = {"slug": (in_default_language("name"),)}
    form = RoleAdminForm
    fields = (
        in_every_language("name"),
        "slug",
        in_every_language("tagline"),
        in_every_language("summary"),
        "order",
        "tools",
    )
    inlines = (FocusAreaInline, SalaryFigureInline, RoleProxyInline)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and request.method == "GET":
            for figure in obj.salary_figures.all():
                if salary_is_stale(figure):
                    messages.warning(request, _stale_warning(figure))
            _warn_of_stale_sources(request, _shown_sources(obj))
        return super().render_change_form(request, context, add, change, form_url, obj)


def _shown_sources(role: Role) -> list[LabourSource]:
    """The sources of the federal figures the role's page shows (each occupation's newest)."""
    proxies = RoleProxy.objects.filter(role=role).prefetch_related(
        Prefetch(
            "occupation__wage_distributions", WageDistribution.objects.select_related("source")
        ),
        Prefetch("occupation__outlooks", Outlook.objects.select_related("source")),
    )
    return [
        figures.source
        for proxy in proxies
        for figures in (proxy.wages, proxy.outlook)
        if figures is not None
    ]


class FocusPointInline(TranslatedTabularInline):
    model = FocusPoint
    fields = ("order", "title", "text")
    formfield_overrides = SHORT_TEXT
    extra = 1


@admin.register(FocusArea)
class FocusAreaAdmin(TranslatedAdmin):
    list_display = ("title", "role", "order", "point_count")
    list_filter = ("role",)
    list_select_related = ("role",)
    search_fields = ("title", "slug", "summary", "role__name")
    autocomplete_fields = ("role",)
    prepopulated_fields = {"slug": (in_default_language("title"),)}
    fields = ("role", in_every_language("title"), "slug", in_every_language("summary"), "order")
    inlines = (FocusPointInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(point_count=Count("points"))

    @admin.display(description="points", ordering="point_count")
    def point_count(self, area) -> int:  # annotated by get_queryset
        return area.point_count

    def view_on_site(self, area: FocusArea) -> str:
        return area.role.get_absolute_url()


@admin.register(ToolCategory)
class ToolCategoryAdmin(TranslatedAdmin):
    list_display = ("name", "slug", "order", "tool_count")
    list_editable = ("order",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": (in_default_language("name"),)}
    fields = (in_every_language("name"), "slug", "order")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(tool_count=Count("tools"))

    @admin.display(description="tools", ordering="tool_count")
    def tool_count(self, category) -> int:  # annotated by get_queryset
        return category.tool_count


@admin.register(Tool)
class ToolAdmin(DeletionGuardMixin, TranslatedAdmin):
    list_display = ("name", "category", "role_names", "is_open_source", "order")
    list_display_links = ("name",)
    list_editable = ("order", "category")
    list_filter = ("category", "roles", "is_open_source")
    list_select_related = ("category",)
    search_fields = ("name", "summary", "usage")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("roles",)
    formfield_overrides = HTTPS_URLS
    form = ToolAdminForm
    filter_horizontal = ("prerequisites",)
    readonly_fields = ("required_by_tools",)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    "slug",
                    "category",
                    "roles",
                    in_every_language("summary"),
                    in_every_language("usage"),
                    "homepage",
                    "is_open_source",
                    "order",
                )
            },
        ),
        (
            "Learning it",
            {
                "description": "What a learning plan shows for this tool, and what comes "
                "before it.",
                "fields": (
                    "hours_to_learn",
                    in_every_language("milestones"),
                    "prerequisites",
                    "required_by_tools",
                ),
            },
        ),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("roles", queryset=Role.objects.only("name", "order")))
        )

    @admin.display(description="roles")
    def role_names(self, tool: Tool) -> str:
        return ", ".join(role.name for role in tool.roles.all())

    @admin.display(description="required by")
    def required_by_tools(self, tool: Tool) -> str:
        """The tools that list this one among their prerequisites (edited on their pages)."""
        if tool.pk is None:
            return "No tool requires it yet."
        links = [
            format_html('<a href="{}">{}</a>', reverse("admin:roles_tool_change", args=[pk]), name)
            for pk, name in tool.required_by.order_by("name").values_list("pk", "name")
        ]
        return (
            format_html_join(", ", "{}", ((link,) for link in links))
            if links
            else "No tool requires it."
        )

    def get_changelist_formset(self, request, **kwargs):
        formset = super().get_changelist_formset(request, **kwargs)
        # Each row's category select would query the categories again; list them once.
        formset.form.base_fields["category"].choices = [
            ("", "---------"),
            *ToolCategory.objects.values_list("pk", "name"),
        ]
        return formset


@admin.register(SalaryFigure)
class SalaryFigureAdmin(admin.ModelAdmin):
    list_display = ("role", "amount", "currency", "period", "source_name", "as_of", "freshness")
    list_filter = ("role",)
    list_select_related = ("role",)
    search_fields = ("source_name", "role__name")
    autocomplete_fields = ("role",)
    formfield_overrides = HTTPS_URLS
    fields = ("role", "amount", "currency", "period", "source_name", "source_url", "as_of")

    @admin.display(description="freshness")
    def freshness(self, figure: SalaryFigure) -> str:
        return salary_freshness(figure)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and request.method == "GET" and salary_is_stale(obj):
            messages.warning(request, _stale_warning(obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def view_on_site(self, figure: SalaryFigure) -> str:
        return figure.role.get_absolute_url()


class AspectTextInline(TranslatedTabularInline):
    model = AspectText
    fields = ("role", "text")
    autocomplete_fields = ("role",)
    formfield_overrides = ASPECT_TEXT
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("aspect", "role")


@admin.register(CareerAspect)
class CareerAspectAdmin(TranslatedAdmin):
    list_display = ("name", "slug", "order")
    list_editable = ("order",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": (in_default_language("name"),)}
    fields = (in_every_language("name"), "slug", "order")
    inlines = (AspectTextInline,)

    def view_on_site(self, aspect: CareerAspect) -> str:
        return reverse("roles:compare")


# The federal labour-market figures ----------------------------------------------------------


@admin.register(LabourSource)
class LabourSourceAdmin(admin.ModelAdmin):
    list_display = (
        "dataset",
        "reference_period",
        "kind",
        "page_of_record",
        "retrieved_on",
        "freshness",
    )
    list_filter = ("kind",)
    search_fields = ("dataset", "reference_period", "page_url")
    formfield_overrides = HTTPS_URLS
    fields = (
        "publisher",
        "dataset",
        "kind",
        "reference_period",
        "page_url",
        "retrieved_on",
        "credit",
        "cited_by",
    )
    readonly_fields = ("cited_by",)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "credit":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 70})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description="page of record", ordering="page_url")
    def page_of_record(self, source: LabourSource) -> str:
        return format_html(
            '<a href="{}" rel="noopener external">{}</a>', source.page_url, source.page_url
        )

    @admin.display(description="freshness")
    def freshness(self, source: LabourSource) -> str:
        return source_freshness(source)

    @admin.display(description="cited by")
    def cited_by(self, source: LabourSource) -> str:
        if source.pk is None:
            return "Nothing yet."
        names = [
            *(
                str(wages)
                for wages in source.wage_distributions.select_related("occupation", "source")
            ),
            *(str(outlook) for outlook in source.outlooks.select_related("source")),
        ]
        return "; ".join(names) or "Nothing yet."

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and request.method == "GET":
            _warn_of_stale_sources(request, [obj])
        return super().render_change_form(request, context, add, change, form_url, obj)


class WageDistributionInline(admin.TabularInline):
    """An occupation's wages, one row per survey (source); the newest is the one shown."""

    model = WageDistribution
    fields = ("source", "p10", "p25", "median", "p75", "p90", "mean", "employment", "freshness")
    readonly_fields = ("freshness",)
    autocomplete_fields = ("source",)
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("occupation", "source")

    @admin.display(description="freshness")
    def freshness(self, wages: WageDistribution) -> str:
        return source_freshness(wages.source if wages.source_id else None)


@admin.register(Occupation)
class OccupationAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "stands_in_for")
    search_fields = ("code", "title")
    fields = ("code", "title", "stands_in_for")
    readonly_fields = ("stands_in_for",)
    inlines = (WageDistributionInline,)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("proxies", queryset=RoleProxy.objects.select_related("role"))
            )
        )

    @admin.display(description="stands in for")
    def stands_in_for(self, occupation: Occupation) -> str:
        if occupation.pk is None:
            return "Save, then pick it as a proxy on a role's page."
        roles = ", ".join(proxy.role.name for proxy in occupation.proxies.all())
        return roles or "No role yet: pick it as a proxy on a role's page."

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and request.method == "GET":
            occupation = Occupation.objects.prefetch_related(
                Prefetch("wage_distributions", WageDistribution.objects.select_related("source")),
                Prefetch("outlooks", Outlook.objects.select_related("source")),
            ).get(pk=obj.pk)
            _warn_of_stale_sources(
                request,
                [
                    figures.source
                    for figures in (occupation.newest_wages, occupation.newest_outlook)
                    if figures is not None
                ],
            )
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(Outlook)
class OutlookAdmin(admin.ModelAdmin):
    form = OutlookAdminForm
    list_display = (
        "group_title",
        "group_code",
        "period",
        "growth_percent",
        "growth_words",
        "openings_per_year",
        "freshness",
    )
    list_select_related = ("source",)
    search_fields = ("group_code", "group_title")
    autocomplete_fields = ("source", "occupations")
    fields = (
        "group_code",
        "group_title",
        "occupations",
        "source",
        "jobs",
        "growth_percent",
        "growth_words",
        "openings_per_year",
        "median_pay",
    )

    @admin.display(description="period", ordering="source__reference_period")
    def period(self, outlook: Outlook) -> str:
        return outlook.source.reference_period

    @admin.display(description="freshness")
    def freshness(self, outlook: Outlook) -> str:
        return source_freshness(outlook.source)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and request.method == "GET":
            _warn_of_stale_sources(request, [obj.source])
        return super().render_change_form(request, context, add, change, form_url, obj)
