"""The catalog API: roles and tools, open to anyone, read-only."""

from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.permissions import AllowAny

from core.api_fields import WebUrlField
from core.caching import PageKey, api_list_numbers, cache_public_page, page_params

from . import selectors
from .forms import ToolFilterForm
from .labour_words import credit_words, outlook_parts
from .models import (
    FocusArea,
    LabourSource,
    Outlook,
    Role,
    RoleProxy,
    SalaryFigure,
    Tool,
    WageDistribution,
)


class ToolSummarySerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.slug")
    category_name = serializers.CharField(source="category.name")
    url = serializers.HyperlinkedIdentityField(
        view_name="api:tool-detail", lookup_field="slug", read_only=True
    )
    web_url = WebUrlField()

    class Meta:
        model = Tool
        fields = [
            "slug",
            "name",
            "category",
            "category_name",
            "summary",
            "is_open_source",
            "url",
            "web_url",
        ]


class ToolSerializer(ToolSummarySerializer):
    roles: "serializers.SlugRelatedField[Role]" = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    milestones = serializers.ListField(
        child=serializers.CharField(),
        source="milestone_list",
        read_only=True,
        help_text="What a working level means, as short steps in order.",
    )
    prerequisites: "serializers.SlugRelatedField[Tool]" = serializers.SlugRelatedField(
        slug_field="slug",
        many=True,
        read_only=True,
        help_text="Slugs of the tools to learn first, in catalog order.",
    )

    class Meta(ToolSummarySerializer.Meta):
        fields = [
            *ToolSummarySerializer.Meta.fields,
            "usage",
            "homepage",
            "roles",
            "order",
            "hours_to_learn",
            "milestones",
            "prerequisites",
        ]


class SalaryFigureSerializer(serializers.ModelSerializer):
    class Meta:
        model = SalaryFigure
        fields = ["amount", "currency", "period", "source_name", "source_url", "as_of"]


class FocusPointSerializer(serializers.Serializer):
    title = serializers.CharField()
    text = serializers.CharField()


class FocusAreaSerializer(serializers.ModelSerializer):
    points = FocusPointSerializer(many=True, read_only=True)

    class Meta:
        model = FocusArea
        fields = ["slug", "title", "summary", "points"]


class RoleSummarySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:role-detail", lookup_field="slug", read_only=True
    )
    web_url = WebUrlField()
    salary_figures = SalaryFigureSerializer(many=True, read_only=True)

    class Meta:
        model = Role
        fields = ["slug", "name", "tagline", "salary_figures", "url", "web_url"]


class AspectSerializer(serializers.Serializer):
    aspect = serializers.CharField(source="aspect.name")
    aspect_slug = serializers.CharField(source="aspect.slug")
    text = serializers.CharField()


class LabourSourceSerializer(serializers.ModelSerializer):
    url = serializers.URLField(source="page_url", help_text="The page of record.")
    period = serializers.CharField(source="reference_period")
    credit = serializers.SerializerMethodField(help_text="The licence or credit line.")

    class Meta:
        model = LabourSource
        fields = ["publisher", "dataset", "period", "url", "retrieved_on", "credit"]

    def get_credit(self, source) -> str:
        return credit_words(source.credit)


class WagesSerializer(serializers.ModelSerializer):
    """An occupation's annual wages (USD) in one survey month, for everyone in it; a figure
    the source does not give is null."""

    period = serializers.CharField(source="source.reference_period")
    source = LabourSourceSerializer()  # type: ignore[assignment]  # a field named "source"; the stubs type Serializer.source

    class Meta:
        model = WageDistribution
        fields = ["p10", "p25", "median", "p75", "p90", "mean", "employment", "period", "source"]


class OutlookSerializer(serializers.ModelSerializer):
    """The Handbook's ten-year projection for the group of occupations that holds this one;
    its jobs count all workers in the base year, unlike the wages' employment."""

    period = serializers.CharField(source="source.reference_period")
    base_year = serializers.IntegerField(allow_null=True, read_only=True)
    summary = serializers.SerializerMethodField(help_text="The outlook in one line.")
    source = LabourSourceSerializer()  # type: ignore[assignment]  # a field named "source"; the stubs type Serializer.source

    class Meta:
        model = Outlook
        fields = [
            "group_code",
            "group_title",
            "period",
            "base_year",
            "jobs",
            "growth_percent",
            "growth_words",
            "openings_per_year",
            "median_pay",
            "summary",
            "source",
        ]

    def get_summary(self, outlook) -> str:
        return ", ".join(part.text for part in outlook_parts(outlook))


class ProxySerializer(serializers.ModelSerializer):
    """A federal occupation that stands in for the role, why, and its newest figures."""

    code = serializers.CharField(source="occupation.code")
    title = serializers.CharField(source="occupation.title")
    wages = WagesSerializer(allow_null=True, read_only=True)
    outlook = OutlookSerializer(allow_null=True, read_only=True)

    class Meta:
        model = RoleProxy
        fields = ["code", "title", "note", "wages", "outlook"]


class RoleSerializer(RoleSummarySerializer):
    focus_areas = FocusAreaSerializer(many=True, read_only=True)
    aspects = AspectSerializer(many=True, read_only=True, source="aspect_texts")
    tools = ToolSummarySerializer(many=True, read_only=True)
    proxies = ProxySerializer(many=True, read_only=True)

    class Meta(RoleSummarySerializer.Meta):
        fields = [
            *RoleSummarySerializer.Meta.fields,
            "summary",
            "focus_areas",
            "aspects",
            "tools",
            "proxies",
        ]


def _paginated_page(request) -> PageKey:
    return page_params(request, numbers=api_list_numbers())


def _tool_list_page(request) -> PageKey:
    return page_params(
        request,
        known=selectors.tool_filter_values(),
        numbers=api_list_numbers(),
        free_text=("search",),
    )


@method_decorator(cache_public_page(_paginated_page), name="dispatch")
class RoleListApi(generics.ListAPIView):
    """All roles with their salary figures (source and as-of date)."""

    # Public: credentials are not read at all, so a stale token never breaks the catalog.
    permission_classes = [AllowAny]
    authentication_classes = []
    serializer_class = RoleSummarySerializer

    def get_queryset(self):
        return selectors.role_list()


@method_decorator(cache_public_page(), name="dispatch")
class RoleDetailApi(generics.RetrieveAPIView):
    """One role: what it is, why it matters, salary figures, career aspects, tools, and the
    federal occupations that stand in for it with their newest wages and outlook."""

    # Public: credentials are not read at all, so a stale token never breaks the catalog.
    permission_classes = [AllowAny]
    authentication_classes = []
    serializer_class = RoleSerializer
    lookup_field = "slug"

    def get_object(self):
        try:
            return selectors.role_get(slug=self.kwargs["slug"], with_aspects=True)
        except Role.DoesNotExist:
            return get_object_or_404(Role.objects.none())


@extend_schema(
    parameters=[
        OpenApiParameter("role", str, description="A role's slug, e.g. data-engineer."),
        OpenApiParameter("category", str, description="A tool category's slug."),
        OpenApiParameter("search", str, description="Text in the name or descriptions."),
    ]
)
@method_decorator(cache_public_page(_tool_list_page), name="dispatch")
class ToolListApi(generics.ListAPIView):
    """Tools, filtered by role, category and a text search (up to 100 characters). An unknown
    role or category, or a search too long, is a 400 naming the parameter."""

    # Public: credentials are not read at all, so a stale token never breaks the catalog.
    permission_classes = [AllowAny]
    authentication_classes = []
    serializer_class = ToolSummarySerializer

    def get_queryset(self):
        params = self.request.query_params
        form = ToolFilterForm(
            {
                "q": params.get("search", ""),
                "role": params.get("role", ""),
                "category": params.get("category", ""),
            }
        )
        filters = form.filters()
        if form.errors:
            parameters = {"q": "search", "role": "role", "category": "category"}
            raise serializers.ValidationError(
                {
                    parameters[field]: [
                        ErrorDetail(str(error.message % (error.params or {})), code=error.code)
                        for error in errors.as_data()
                    ]
                    for field, errors in form.errors.items()
                }
            )
        return selectors.tool_list(**filters).order_by("order", "name", "pk")


@method_decorator(cache_public_page(), name="dispatch")
class ToolDetailApi(generics.RetrieveAPIView):
    """One tool: what it is, how it is used, its roles, and what learning it takes (hours to
    a working level, milestones, the tools to learn first)."""

    # Public: credentials are not read at all, so a stale token never breaks the catalog.
    permission_classes = [AllowAny]
    authentication_classes = []
    serializer_class = ToolSerializer
    lookup_field = "slug"

    def get_object(self):
        try:
            return selectors.tool_get(slug=self.kwargs["slug"])
        except Tool.DoesNotExist:
            return get_object_or_404(Tool.objects.none())
