"""The page an e-mail's unsubscribe link opens (its List-Unsubscribe header, core.mail)."""

from collections.abc import Callable

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods


def one_click_unsubscribe_view(
    *, is_valid: Callable[[str], bool], stop: Callable[..., object], template: str, invalid
):
    """A view for `<token>/`: a GET shows a page with a button and changes nothing (a mail
    scanner that follows links must not unsubscribe anyone); a POST, the button's or a mail
    client's one-click (RFC 8058), calls `stop(token=token)`. A token `is_valid` refuses is a
    404 with the message `invalid`. The template reads `error` and `stopped`."""

    @csrf_exempt  # RFC 8058: a mail client's POST comes with no cookies; the signed token says who
    @never_cache
    @require_http_methods(["GET", "HEAD", "POST"])
    def view(request, token):
        if not is_valid(token):
            return render(request, template, {"error": invalid}, status=404)
        if request.method == "POST":
            stop(token=token)
        return render(request, template, {"stopped": request.method == "POST"})

    return view
