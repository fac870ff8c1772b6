"""Every cache key the site uses, built in one place: pages, API answers, catalog data and
share cards (the version tokens they carry live in the database: versions)."""

import hashlib

from django.utils import translation

from .params import PageKey


def card_key(*, result: str, variant: str, language: str) -> str:
    return f"card:{result}:{variant}:{language}"


def user_entries_key(user_id: int) -> str:
    return f"user-entries:{user_id}"


def public_page_key(*, catalog: str, site: str, page: tuple[str, PageKey]) -> str:
    return f"page:{catalog}:{_digest(site, _page_digest(*page))}"


def personal_page_key(*, session_key: str, history: str, page: tuple[str, PageKey]) -> str:
    return f"personal:{session_key}:{history}:{_page_digest(*page)}"


def user_response_key(*, user_id: int, history: str, page: tuple[str, PageKey]) -> str:
    return f"user:{user_id}:{history}:{_page_digest(*page)}"


def catalog_data_key(*, name: str, catalog: str) -> str:
    return f"catalog-data:{_digest(name)}:{catalog}:{translation.get_language()}"


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _page_digest(path: str, page: PageKey) -> str:
    # The language too: the API's comes from a header, not from the path as a page's does.
    language = translation.get_language()
    return _digest(path, f"language={language}", *(f"{n}={v}" for n, v in page.params))
