"""Everything the site keeps in its cache: every key (keys), every version read and bump
(versions), the entries and data kept (entries), and the response caches the views declare
(pages, with the query parameters a page is keyed by in params). No module outside this
package calls the cache API (core.cache_backend aside, the Redis backend it calls).

What is cached, and what makes it stale:

- Public pages and the catalog API, for anonymous, cookie-less GETs (`cache_public_page`):
  keyed by the catalog version, which changes whenever an editor saves a catalog or quiz row
  (`settings.CATALOG_MODELS`), so a save shows at once in the process that saved it and within
  CATALOG_VERSION_SECONDS in every other; by the site's address; and by the query parameters
  the view reads, exactly as sent (`PageKey`).
- A signed-in person's page (`cache_personal_page`: the profile, their saved results), per
  session and CSRF cookie (the page's forms hold that cookie's token; a render that makes a
  new CSRF cookie is not stored) and per history version, which changes
  with their assessments and comes with their user row on every request (a deleted result is
  never served, by any process).
- A person's API answers (`cached_user_response`), per user and history version.
- Data built from the catalog, such as a quiz version's scoring table (`catalog_data`).

Every response and every piece of catalog data is kept once per language (the active one is
part of each key): a page's language comes from its address, the API's from Accept-Language.

The database is the authority (see versions): every version token lives there and changes in
the same transaction as what it stands for, so a delete or a bump that doesn't reach Redis
can't make a wrong answer; it only leaves an entry no key leads to, which expires within
ENTRY_TIMEOUT. While Redis can't be reached, each process still caches in its own LRU, keyed
by the same tokens. Without Redis (no REDIS_URL), every process keeps its entries in its own
memory, and they are as fresh as with Redis.

Whole responses live in the "pages" cache, apart from the "default" one that holds throttle
counts. Only a bounded set of pages is shared there: a page whose key holds
free text (a search) or a value no catalog row has stays in this process's own small LRU.
"""

from .entries import (
    ENTRY_TIMEOUT,
    LOCAL_ENTRIES,
    USER_ENTRIES_KEPT,
    LocalEntries,
    card,
    cards_forget,
    catalog_data,
    clear_all,
    local_entries,
    pages_cache,
    redis_state,
    user_entries_forget,
)
from .keys import (
    card_key,
    catalog_data_key,
    personal_page_key,
    public_page_key,
    user_entries_key,
    user_response_key,
)
from .pages import (
    REPLAYED_HEADERS,
    cache_personal_page,
    cache_public_page,
    cached_user_response,
)
from .params import (
    MAX_SHARED_PAGE_NUMBER,
    PAGE_NUMBER,
    PageKey,
    api_list_numbers,
    no_parameters,
    page_params,
)
from .versions import (
    CATALOG_VERSION_SECONDS,
    catalog_changed,
    catalog_version,
    history_changed,
    history_version,
    peers_changed,
    peers_version,
    remembered_versions,
    watch_catalog_models,
)

__all__ = [
    "CATALOG_VERSION_SECONDS",
    "ENTRY_TIMEOUT",
    "LOCAL_ENTRIES",
    "MAX_SHARED_PAGE_NUMBER",
    "PAGE_NUMBER",
    "REPLAYED_HEADERS",
    "USER_ENTRIES_KEPT",
    "LocalEntries",
    "PageKey",
    "api_list_numbers",
    "cache_personal_page",
    "cache_public_page",
    "cached_user_response",
    "card",
    "card_key",
    "cards_forget",
    "catalog_changed",
    "catalog_data",
    "catalog_data_key",
    "catalog_version",
    "clear_all",
    "history_changed",
    "history_version",
    "local_entries",
    "no_parameters",
    "page_params",
    "pages_cache",
    "peers_changed",
    "peers_version",
    "personal_page_key",
    "public_page_key",
    "redis_state",
    "remembered_versions",
    "user_entries_forget",
    "user_entries_key",
    "user_response_key",
    "watch_catalog_models",
]
