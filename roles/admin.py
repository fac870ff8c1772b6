"""Editors' screens for the catalog: roles with their focus areas and salaries, tools, aspects.

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

from core.admin import DeletionGuardMixin

from .admin_forms import ToolAdminForm
from .models import (
    AspectText,
    CareerAspect,
    FocusArea,
    FocusPoint,
    Role,
    SalaryFigure,
    Tool,
    ToolCategory,
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


def salary_is_stale(figure: SalaryFigure, today: datetime.date | None = None) -> bool:
    """Older than SALARY_STALE_AFTER_MONTHS: time to look for a newer figure."""
    if figure.as_of is None:
        return False
    today = today or timezone.localdate()
    return figure.as_of < months_before(today, SALARY_STALE_AFTER_MONTHS)


def _stale_warning(figure: SalaryFigure) -> str:
    return (
        f"The salary figure from {figure.source_name} for {figure.role} is as of "
        f"{figure.as_of:%B %Y}, more than {SALARY_STALE_AFTER_MONTHS} months ago: "
        "please check the source for a newer one."
    )


def salary_freshness(figure: SalaryFigure) -> str:
    """The freshness column: a warning once the figure is older than 18 months."""
    if figure.pk is None:
        return "–"
    if salary_is_stale(figure):
        return format_html(
            '<strong class="errornote" style="padding:2px 6px">⚠ Older than {} months</strong>',
            SALARY_STALE_AFTER_MONTHS,
        )
    return "Current"


class FocusAreaInline(admin.TabularInline):
    model = FocusArea
    fields = ("order", "title", "slug", "summary", "points")
    readonly_fields = ("points",)
    prepopulated_fields = {"slug": ("title",)}
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


@admin.register(Role)
class RoleAdmin(DeletionGuardMixin, admin.ModelAdmin):
    list_display = ("name", "slug", "tagline", "order")
    list_editable = ("order",)
    search_fields = ("name", "slug", "tagline")
    prepopulated_fields = {"slug": ("name",)}
    form = RoleAdminForm
    fields = ("name", "slug", "tagline", "summary", "order", "tools")
    inlines = (FocusAreaInline, SalaryFigureInline)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and request.method == "GET":
            for figure in obj.salary_figures.all():
                if salary_is_stale(figure):
                    messages.warning(request, _stale_warning(figure))
        return super().render_change_form(request, context, add, change, form_url, obj)


class FocusPointInline(admin.TabularInline):
    model = FocusPoint
    fields = ("order", "title", "text")
    formfield_overrides = SHORT_TEXT
    extra = 1


@admin.register(FocusArea)
class FocusAreaAdmin(admin.ModelAdmin):
    list_display = ("title", "role", "order", "point_count")
    list_filter = ("role",)
    list_select_related = ("role",)
    search_fields = ("title", "slug", "summary", "role__name")
    autocomplete_fields = ("role",)
    prepopulated_fields = {"slug": ("title",)}
    fields = ("role", "title", "slug", "summary", "order")
    inlines = (FocusPointInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(point_count=Count("points"))

    @admin.display(description="points", ordering="point_count")
    def point_count(self, area) -> int:  # annotated by get_queryset
        return area.point_count

    def view_on_site(self, area: FocusArea) -> str:
        return area.role.get_absolute_url()


@admin.register(ToolCategory)
class ToolCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "order", "tool_count")
    list_editable = ("order",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(tool_count=Count("tools"))

    @admin.display(description="tools", ordering="tool_count")
    def tool_count(self, category) -> int:  # annotated by get_queryset
        return category.tool_count


@admin.register(Tool)
class ToolAdmin(DeletionGuardMixin, admin.ModelAdmin):
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
                    "summary",
                    "usage",
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
                "fields": ("hours_to_learn", "milestones", "prerequisites", "required_by_tools"),
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


class AspectTextInline(admin.TabularInline):
    model = AspectText
    fields = ("role", "text")
    autocomplete_fields = ("role",)
    formfield_overrides = ASPECT_TEXT
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("aspect", "role")


@admin.register(CareerAspect)
class CareerAspectAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "order")
    list_editable = ("order",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (AspectTextInline,)

    def view_on_site(self, aspect: CareerAspect) -> str:
        return reverse("roles:compare")
