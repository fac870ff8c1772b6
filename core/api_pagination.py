from django.conf import settings
from rest_framework.pagination import PageNumberPagination


class ClientSizedPagination(PageNumberPagination):
    """`?page=` and `?page_size=`: a client may ask for smaller pages (never larger)."""

    page_size = settings.API_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = settings.API_PAGE_SIZE
