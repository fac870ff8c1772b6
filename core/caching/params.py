"""What a cached page shows besides its path: the query parameters its view reads, as sent
(PageKey), and whether such a page may be shared between processes."""

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

MAX_SHARED_PAGE_NUMBER = 100  # deeper pages of a list are cached in this process only


@dataclass(frozen=True)
class PageKey:
    """What a public page shows besides its path: the query parameters its view reads, as
    sent. `shared` is False when a value is free text, names nothing in the catalog or spells a
    number unusually: such a page is kept in this process only, so no one can fill the shared
    cache with made-up URLs. `cacheable` is False when the request carries a parameter the view
    doesn't read, or one twice: links on the page (pagination, "clear filters") would carry it,
    so that page is never cached at all."""

    params: tuple[tuple[str, str], ...] = ()
    shared: bool = True
    cacheable: bool = True


def no_parameters(request: HttpRequest) -> PageKey:
    """For a view that reads no query parameter."""
    return PageKey(cacheable=not request.GET)


_PLAIN_NUMBER = re.compile(r"[1-9][0-9]{0,5}")


def page_params(
    request: HttpRequest,
    *,
    known: Mapping[str, Collection[str]] | None = None,
    numbers: Mapping[str, int] | None = None,
    free_text: Collection[str] = (),
) -> PageKey:
    """A PageKey from the parameters a view reads: `known` ones must hold one of the given
    values, `numbers` a plain whole number up to the given maximum, `free_text` be empty, for
    the page to be shared."""
    known, numbers = known or {}, numbers or {}
    read = {*known, *numbers, *free_text}
    cacheable = all(name in read and len(request.GET.getlist(name)) == 1 for name in request.GET)
    params, shared = [], True
    for name in sorted(read):
        value = request.GET.get(name, "")
        params.append((name, value))
        if not value:
            continue
        if name in known:
            shared = shared and value in known[name]
        elif name in numbers:
            shared = shared and bool(_PLAIN_NUMBER.fullmatch(value)) and int(value) <= numbers[name]
        else:
            shared = False
    return PageKey(params=tuple(params), shared=shared, cacheable=cacheable)


# `numbers` for a paginated page, and for a paginated API list (whose page size a client may
# lower, never raise).
PAGE_NUMBER = {"page": MAX_SHARED_PAGE_NUMBER}


def api_list_numbers() -> dict[str, int]:
    return {**PAGE_NUMBER, "page_size": settings.API_PAGE_SIZE}
