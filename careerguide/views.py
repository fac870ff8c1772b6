"""Site-wide views: the home page, health probes and error pages."""

import logging

import prometheus_client
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, connection
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseServerError,
)
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.defaults import bad_request, page_not_found
from django.views.i18n import set_language

from careerguide.accounts.models import Theme
from careerguide.accounts.services import user_language_set, user_theme_set
from careerguide.accounts.themes import theme_cookie_set
from core.caching import cache_public_page, redis_state
from core.languages import is_site_language
from core.metrics import bearer_token_matches, metrics_page
from core.problems import problem_response
from core.tasks.selectors import QueueState, queue_state_get
from roles import selectors

logger = logging.getLogger(__name__)


@cache_public_page()
def home_view(request):
    return render(request, "home.html", {"roles": selectors.role_list()})


@require_POST
def language_set_view(request):
    """The language switcher of a signed-in person (anyone else follows plain links to the
    page's other address): Django's set_language, which takes them to the same page in the
    chosen language, and the choice kept on their account for their next log-in."""
    language = request.POST.get("language", "")
    if not is_site_language(language):
        # Django's set_language takes any language Django has a catalog for: `fr` sent the
        # person to /fr/..., an address the site doesn't have, and kept `fr` in a cookie.
        return HttpResponseBadRequest(
            _("Choose one of the site's languages."), content_type="text/plain; charset=utf-8"
        )
    response = set_language(request)
    if request.user.is_authenticated:
        user_language_set(user=request.user, language=language)
    return response


@require_POST
def theme_set_view(request):
    """The colour-mode switch of a signed-in person (on the cached anonymous pages the switch
    is static/js/theme.js alone, which writes the same cookie): kept on their account and in
    the cookie the script reads before the page is painted, then back to the page."""
    theme = request.POST.get("theme", "")
    if theme not in Theme.values:
        return HttpResponseBadRequest(
            _("Choose auto, light or dark."), content_type="text/plain; charset=utf-8"
        )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "/"
    response = redirect(back)
    if request.user.is_authenticated:
        user_theme_set(user=request.user, theme=theme)
    theme_cookie_set(response, theme)
    return response


@never_cache
def metrics_view(request):
    """Prometheus' scrape (core.metrics): only with `Authorization: Bearer <METRICS_TOKEN>`;
    a 404 to anyone else, and to everyone while METRICS_TOKEN is unset."""
    if not bearer_token_matches(request, settings.METRICS_TOKEN):
        raise Http404
    return HttpResponse(metrics_page(), content_type=prometheus_client.CONTENT_TYPE_LATEST)


@never_cache
def healthz_view(request):
    """The process is up and answering; touches no database, so it stays cheap."""
    return HttpResponse("ok\n", content_type="text/plain")


@never_cache
def readyz_view(request):
    """Ready to serve: the database answers (503 while it does not, so a balancer skips us).
    A cache that doesn't answer, no task worker seen within TASKS_WORKER_LEASE, or a job
    waiting longer than TASKS_QUEUE_AGE_DEGRADED are reported as degraded, and the answer stays
    200: the site still serves (uncached; e-mails wait in the queue, none is lost)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        queue = queue_state_get(ready_only=True)
    except DatabaseError:
        logger.warning("readyz: the database is not answering", exc_info=True)
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    lines = ["ok", "database: ok", f"redis: {redis_state()}", *_queue_lines(queue)]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def _queue_lines(queue: QueueState) -> list[str]:
    if queue.workers_alive:
        worker = f"worker: ok ({queue.workers_alive} alive)"
    elif queue.last_heartbeat is None:
        worker = "worker: degraded (none has run)"
    else:
        silent = (timezone.now() - queue.last_heartbeat).total_seconds()
        worker = f"worker: degraded (last heartbeat {silent:.0f} s ago)"
    state = "ok" if queue.oldest_queued_age <= settings.TASKS_QUEUE_AGE_DEGRADED else "degraded"
    waiting = (
        f"queue: {state} ({queue.queued} ready, oldest waiting {queue.oldest_queued_age:.0f} s)"
    )
    return [worker, waiting]


def server_error_view(request):
    """A plain 500 page that needs no database and shows no traceback."""
    if request.path.startswith("/api/"):
        return problem_response("server_error", detail=_("Something went wrong on our side."))
    # Rendered without the request: context processors could need the database that just failed.
    return HttpResponseServerError(loader.get_template("500.html").render())


def bad_request_view(request, exception):
    """400 for a request Django refuses before any view (e.g. a body over
    DATA_UPLOAD_MAX_MEMORY_SIZE): JSON under /api/, the plain page elsewhere."""
    if request.path.startswith("/api/"):
        if isinstance(exception, RequestDataTooBig):
            return problem_response(
                "too_large", detail=_("The request body is larger than this API accepts.")
            )
        return problem_response("malformed_request", detail=_("The request is malformed."))
    return bad_request(request, exception)


def not_found_view(request, exception):
    """404: JSON under /api/ (mobile clients parse it), the styled page everywhere else."""
    if request.path.startswith("/api/"):
        return problem_response("not_found", detail=_("Not found."))
    return page_not_found(request, exception)
