"""Editors' screens for the catalog: roles with their focus areas, salaries and proxy
occupations, tools, aspects. (The federal labour-market figures: roles.admin.labour.)

Django has no nested inlines, so a role's page edits its focus areas and salary figures inline
(and picks its tools), and each focus area links to its own page where its points are edited
inline. Deleting a role or tool that rows elsewhere protect (people's saved results) is refused,
with a message that counts them.
"""

from django.contrib import admin
from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from core.admin import (
    DeletionGuardMixin,
    TranslatedAdmin,
    TranslatedTabularInline,
    in_default_language,
    in_every_language,
)

from ..admin_forms import RoleAdminForm, ToolAdminForm
from ..models import (
    AspectText,
    CareerAspect,
    FocusArea,
    FocusPoint,
    Role,
    SalaryFigure,
    Tool,
    ToolCategory,
)
from .common import (
    ASPECT_TEXT,
    HTTPS_URLS,
    SHORT_TEXT,
    salary_freshness,
    warn_of_stale_salaries,
    warn_of_stale_sources,
)
from .labour import RoleProxyInline, shown_sources


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
            warn_of_stale_salaries(request, obj.salary_figures.all())
            warn_of_stale_sources(request, shown_sources(obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Once the role has its id; the tools' side of the relation is not a model field here.
        form.instance.tools.set(form.cleaned_data["tools"])


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
        if obj is not None and request.method == "GET":
            warn_of_stale_salaries(request, [obj])
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
