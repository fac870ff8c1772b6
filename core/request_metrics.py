"""Two figures per request for /metrics: its latency by view and method (a histogram) and its
answer by status, view and method (a counter).

django-prometheus' own middleware records about a dozen figures per request (by transport,
body size, charset, streaming, with and without the middleware's time...), each one a locked
write to a shared file in multiprocess mode: about a tenth of a millisecond of CPU on every
request, for figures nobody reads. These two keep django-prometheus' names and labels, so
its dashboards still work; its database and cache figures are unchanged."""

import time

from prometheus_client import Counter, Histogram

# django-prometheus' default buckets (PROMETHEUS_LATENCY_BUCKETS), in seconds.
LATENCY_BUCKETS = (
    0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 25.0, 50.0, 75.0,
    float("inf"),
)  # fmt: skip

REQUEST_LATENCY = Histogram(
    "django_http_requests_latency_seconds_by_view_method",
    "Time from the first middleware to the answer, by view and method.",
    ["view", "method"],
    buckets=LATENCY_BUCKETS,
)
RESPONSES = Counter(
    "django_http_responses_total_by_status_view_method",
    "Answers, by status, view and method.",
    ["status", "view", "method"],
)

# Any other method is one label, so a client can't make up new series.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
NO_VIEW = "<no view>"


def view_label(request) -> str:
    """The URL name of the view that answered; NO_VIEW when the address resolved to none (a
    404, or an answer given by a middleware before resolving)."""
    match = getattr(request, "resolver_match", None)
    if match is None or not match.view_name:
        return NO_VIEW
    return match.view_name


def method_label(request) -> str:
    return request.method if request.method in KNOWN_METHODS else "<other>"


class RequestMetricsMiddleware:
    """First in MIDDLEWARE, so the time covers every other middleware too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        view, method = view_label(request), method_label(request)
        REQUEST_LATENCY.labels(view, method).observe(time.perf_counter() - started)
        RESPONSES.labels(str(response.status_code), view, method).inc()
        return response
