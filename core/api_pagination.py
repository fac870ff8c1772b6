"""One pagination for every API list: `?page=` and `?page_size=`, both checked.

A page size from 1 to API_PAGE_SIZE (the default); a page number from 1. Anything else is a
400 naming the parameter (never silently cut or ignored); a page past the last is a 404. Each
page says its number, the number of pages and the next and previous page numbers, so a client
never parses a URL (the URLs are there too)."""

import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from .api_errors import BadParameter

_WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")


def _whole_number(request, name: str, *, default: int, maximum: int | None = None) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    value = int(raw) if _WHOLE_NUMBER.fullmatch(raw) else 0
    if value < 1 or (maximum is not None and value > maximum):
        if maximum is None:
            message = _("Send a whole number from 1.")
        else:
            message = _("Send a whole number from 1 to %(maximum)s.") % {"maximum": maximum}
        raise BadParameter(name, message)
    return value


class ClientSizedPagination(PageNumberPagination):
    """`?page=` and `?page_size=`: a client may ask for smaller pages (never larger)."""

    page_size = settings.API_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = settings.API_PAGE_SIZE

    def get_page_size(self, request):
        return _whole_number(
            request, self.page_size_query_param, default=self.page_size, maximum=self.max_page_size
        )

    def paginate_queryset(self, queryset, request, view=None):
        _whole_number(request, self.page_query_param, default=1)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        page = self.page
        return Response(
            {
                "count": page.paginator.count,
                "page": page.number,
                "pages": page.paginator.num_pages,
                "page_size": page.paginator.per_page,
                "next_page": page.next_page_number() if page.has_next() else None,
                "previous_page": page.previous_page_number() if page.has_previous() else None,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        number = {"type": "integer", "minimum": 1}
        maybe_number = {"type": ["integer", "null"], "minimum": 1}
        maybe_url = {"type": ["string", "null"], "format": "uri"}
        return {
            "type": "object",
            "required": [
                "count",
                "page",
                "pages",
                "page_size",
                "next_page",
                "previous_page",
                "next",
                "previous",
                "results",
            ],
            "properties": {
                "count": {"type": "integer", "minimum": 0, "description": "Items in all pages."},
                "page": {**number, "description": "This page's number."},
                "pages": {**number, "description": "How many pages there are."},
                "page_size": {**number, "maximum": self.max_page_size},
                "next_page": {**maybe_number, "description": "null on the last page."},
                "previous_page": {**maybe_number, "description": "null on the first page."},
                "next": {**maybe_url, "description": "The next page's API URL, or null."},
                "previous": {**maybe_url, "description": "The previous page's API URL, or null."},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "A page number, from 1 (a page past the last is a 404).",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Items per page, from 1 to {self.max_page_size} (the default).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
