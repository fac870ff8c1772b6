"""The item analysis of a version for editors: a page per version (sortable) and its CSV. The
figures are built from people's results, in the app above this one, through
settings.QUIZ_ITEM_ANALYSIS (see version_figures in versions.py for the same pattern). Whoever
may view quiz versions in the admin may see it (editors, superusers); plain staff get 403 like
every admin page they have no permission for, and an unknown version 404."""

import csv

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.module_loading import import_string

SORT_COLUMNS = (
    ("order", "#"),
    ("spread", "Most picked choice"),
    ("correlation", "Item-total correlation"),
    ("alpha_without", "Alpha if left out"),
)


def item_analysis(*, version_id: int):
    return import_string(settings.QUIZ_ITEM_ANALYSIS)(version_id=version_id)


def csv_safe(value) -> str:
    """A text cell (an editor's question or choice) that a spreadsheet shows as text, never
    runs as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _number(value) -> str:
    """A figure as written in the CSV (empty when there is none); numbers are never escaped,
    so a spreadsheet reads -0.5 as a number."""
    return "" if value is None else str(value)


class ItemAnalysisMixin:
    """For QuizVersionAdmin: <id>/items/ and <id>/items.csv."""

    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        site = self.admin_site
        return [
            path(
                "<int:object_id>/items/",
                site.admin_view(self.item_analysis_view),
                name=f"{info}_items",
            ),
            path(
                "<int:object_id>/items.csv",
                site.admin_view(self.item_analysis_csv_view),
                name=f"{info}_items_csv",
            ),
            *super().get_urls(),
        ]

    def _analysis(self, request, object_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        analysis = item_analysis(version_id=object_id)
        if analysis is None:
            raise Http404("No such quiz version.")
        return analysis

    def item_analysis_view(self, request, object_id):
        analysis = self._analysis(request, object_id)
        sort = request.GET.get("o", "order")
        columns = [
            {
                "label": label,
                "key": key,
                "sorted": sort.lstrip("-") == key,
                "descending": sort == f"-{key}",
                "next": f"-{key}" if sort == key else key,
            }
            for key, label in SORT_COLUMNS
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Item analysis: {analysis.version}",
            "analysis": analysis,
            "rows": analysis.sorted_by(sort),
            "columns": columns,
            "csv_url": reverse("admin:quizzes_quizversion_items_csv", args=[object_id]),
            "version_url": reverse("admin:quizzes_quizversion_change", args=[object_id]),
        }
        return TemplateResponse(request, "admin/quizzes/quizversion/item_analysis.html", context)

    def item_analysis_csv_view(self, request, object_id):
        analysis = self._analysis(request, object_id)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        name = f"{analysis.version.quiz.slug}-v{analysis.version.number}-items.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        writer = csv.writer(response)
        writer.writerow(
            [
                "order",
                "question_key",
                "question",
                "choice_key",
                "choice",
                "picked_percent",
                "one_choice_over_90",
                "item_total_correlation",
                "low_correlation",
                "alpha_if_left_out",
                "feels_right_percent",
                "feels_right_low",
                "feels_right_high",
            ]
        )
        if not analysis.shown:
            return response
        for row in analysis.sorted_by(request.GET.get("o", "order")):
            for choice in row.choices:
                writer.writerow(
                    [
                        row.order,
                        csv_safe(row.key),
                        csv_safe(row.text),
                        csv_safe(choice.key),
                        csv_safe(choice.text),
                        choice.percent,
                        row.one_choice,
                        _number(row.correlation),
                        row.low_correlation,
                        _number(row.alpha_without),
                        _number(choice.agreement.percent),
                        _number(choice.agreement.low),
                        _number(choice.agreement.high),
                    ]
                )
        return response
