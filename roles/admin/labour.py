"""Editors' screens for the federal labour-market figures: sources, occupations with their
wages, outlooks, and the proxy occupations on a role's page. Each source's freshness is shown
and warned of (roles.admin.common)."""

from django import forms
from django.contrib import admin
from django.db.models import Prefetch
from django.utils.html import format_html

from core.admin import TranslatedTabularInline

from ..admin_forms import OutlookAdminForm, RoleProxyForm
from ..models import LabourSource, Occupation, Outlook, Role, RoleProxy, WageDistribution
from .common import HTTPS_URLS, source_freshness, warn_of_stale_sources


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


def shown_sources(role: Role) -> list[LabourSource]:
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
            warn_of_stale_sources(request, [obj])
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
            warn_of_stale_sources(
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
            warn_of_stale_sources(request, [obj.source])
        return super().render_change_form(request, context, add, change, form_url, obj)
