from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from core.caching import PAGE_NUMBER, PageKey, cache_public_page, page_params

from . import charts, labour_words, selectors
from .forms import ToolFilterForm
from .models import Role, RoleProxy, Tool

TOOLS_PER_PAGE = 12


@dataclass
class ProxyFigures:
    """A proxy occupation and its figures in the active language's words."""

    proxy: RoleProxy
    chart: charts.WageChart | None
    wage_period: str  # "May 2024" / "mayo de 2024"
    wage_rows: list[tuple[str, str, int]]  # (field, words, value)
    outlook_parts: list[labour_words.Part]


def _proxy_figures(roles: list[Role]) -> tuple[list[list[ProxyFigures]], list[str]]:
    """Each role's proxy occupations with their wage charts, all on one dollar axis, and the
    credit lines of the sources they cite (each once)."""
    proxies = [list(role.proxies.all()) for role in roles]
    scale = charts.wage_scale(
        proxy.wages.figures for role_proxies in proxies for proxy in role_proxies if proxy.wages
    )
    columns = [[_figures(proxy, scale) for proxy in role_proxies] for role_proxies in proxies]
    credits = {
        labour_words.credit_words(figures.source.credit)
        for role_proxies in proxies
        for proxy in role_proxies
        for figures in (proxy.wages, proxy.outlook)
        if figures is not None
    }
    return columns, sorted(credits)


def _figures(proxy: RoleProxy, scale: charts.Scale | None) -> ProxyFigures:
    wages, outlook = proxy.wages, proxy.outlook
    wage_period = labour_words.period_words(wages.source.reference_period) if wages else ""
    return ProxyFigures(
        proxy=proxy,
        chart=charts.wage_chart(
            wages.figures, title=proxy.occupation.title, period=wage_period, scale=scale
        )
        if wages and scale
        else None,
        wage_period=wage_period,
        wage_rows=labour_words.wage_rows(wages) if wages else [],
        outlook_parts=labour_words.outlook_parts(outlook) if outlook else [],
    )


@cache_public_page()
def role_list_view(request):
    return render(request, "roles/role_list.html", {"roles": selectors.role_list()})


@cache_public_page()
def role_detail_view(request, slug):
    try:
        role = selectors.role_get(slug=slug)
    except Role.DoesNotExist:
        raise Http404("No role with that name.") from None
    [proxies], credits = _proxy_figures([role])
    return render(
        request,
        "roles/role_detail.html",
        {"role": role, "proxies": proxies, "labour_credits": credits},
    )


def _tool_list_page(request) -> PageKey:
    return page_params(
        request, known=selectors.tool_filter_values(), numbers=PAGE_NUMBER, free_text=("q",)
    )


@cache_public_page(_tool_list_page)
def tool_list_view(request):
    form = ToolFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    tools = selectors.tool_list(**filters)
    page = Paginator(tools, TOOLS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "roles/tool_list.html",
        {
            "form": form,
            "page": page,
            "is_filtered": any(filters.values()),
            "query_without_page": query.urlencode(),
        },
    )


@cache_public_page()
def tool_detail_view(request, slug):
    try:
        tool = selectors.tool_get(slug=slug)
    except Tool.DoesNotExist:
        raise Http404("No tool with that name.") from None
    return render(request, "roles/tool_detail.html", {"tool": tool})


@cache_public_page()
def compare_view(request):
    roles, aspect_rows = selectors.role_comparison()
    columns, credits = _proxy_figures(roles)
    return render(
        request,
        "roles/compare.html",
        {
            "roles": roles,
            "aspect_rows": aspect_rows,
            "proxy_columns": [
                {"role": role, "proxies": proxies}
                for role, proxies in zip(roles, columns, strict=True)
            ],
            "has_proxies": any(columns),
            "labour_credits": credits,
        },
    )
