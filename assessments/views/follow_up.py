"""The six-month follow-up's pages: the checkbox on a result and its withdrawal (the result page
and the profile), the page each answer link of the e-mail opens, and the unsubscribe link.

A link of the e-mail only ever shows a page with a button: mail scanners and link previews
fetch links, and a GET records nothing. The pages work without a session (the signed token in
the address says which follow-up), so they work on any device; the unsubscribe address also
takes RFC 8058's one-click POST from a mail client, with no cookies and no CSRF token.
"""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.unsubscribe import one_click_unsubscribe_view

from ..forms import FollowUpAnswerForm
from ..models import Assessment, FollowUp
from ..services import follow_up as services
from .assessment import assessment_page, viewable_assessment

_WHOLE_NUMBER = re.compile(r"[0-9]{1,6}")


def _next(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@never_cache
@require_POST
@login_required
def follow_up_consent_view(request, assessment_id):
    """The result page's checkbox: ticked, the follow-up is asked for; unticked, withdrawn."""
    wording = request.POST.get("wording_version", "")
    try:
        follow_up = services.follow_up_consent(
            assessment_id=assessment_id,
            user=request.user,
            consent=request.POST.get("consent") == "on",
            wording_version=int(wording) if _WHOLE_NUMBER.fullmatch(wording) else wording,
        )
    except Assessment.DoesNotExist:
        raise Http404("No such result.") from None
    except ValidationError as error:
        assessment = viewable_assessment(request, assessment_id)
        problems = error.message_dict
        message = " ".join(problems.get("consent", []) + problems.get("wording_version", []))
        return assessment_page(request, assessment, follow_up_error=message, status=400)
    if follow_up is None:
        messages.success(request, _("Done: we won't e-mail you about this result."))
    else:
        messages.success(
            request,
            _("Thank you: we will e-mail you around %(date)s to ask which path you took.")
            % {"date": follow_up.due_at.date().isoformat()},
        )
    return redirect(_next(request, follow_up_url(assessment_id)))


def follow_up_url(assessment_id) -> str:
    return reverse("assessments:result", args=[assessment_id]) + "#follow-up"


@never_cache
@require_POST
@login_required
def follow_up_withdraw_view(request, assessment_id):
    """Withdraw the consent (the profile's button): the follow-up and any answer go."""
    try:
        services.follow_up_withdraw(assessment_id=assessment_id, user=request.user)
    except Assessment.DoesNotExist:
        raise Http404("No such result.") from None
    messages.success(request, _("Done: we won't e-mail you about this result."))
    return redirect(_next(request, follow_up_url(assessment_id)))


def _answer_page(request, *, token, form, status=200, saved=False):
    follow_up = services.follow_up_for_token(token)
    return render(
        request,
        "assessments/follow_up_answer.html",
        {"follow_up": follow_up, "form": form, "saved": saved},
        status=status,
    )


def _link_problem(request, *, expired: bool):
    message = (
        _("This link has expired: its follow-up has ended. Thank you all the same.")
        if expired
        else _("This link is not valid, or the follow-up was withdrawn.")
    )
    return render(
        request,
        "assessments/follow_up_answer.html",
        {"error": message},
        status=410 if expired else 404,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def follow_up_answer_view(request, token):
    """The page an answer link opens: the answer it names chosen, the optional happiness and
    comment, and a button that records them. A GET records nothing."""
    try:
        follow_up = services.follow_up_for_token(token)
    except FollowUp.DoesNotExist:
        return _link_problem(request, expired=False)
    except services.LinkExpired:
        return _link_problem(request, expired=True)
    if request.method == "POST":
        form = FollowUpAnswerForm(request.POST)
        form.is_valid()  # it only reads the post: the service judges it
        try:
            services.follow_up_answer(
                token=token,
                answer=form.cleaned_data.get("answer"),
                happiness=form.cleaned_data.get("happiness"),
                comment=form.cleaned_data.get("comment", ""),
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return _answer_page(request, token=token, form=form, status=400)
        messages.success(request, _("Thank you: your answer is recorded."))
        return redirect(request.path)
    wanted = request.GET.get("answer", "")
    chosen = wanted if wanted in services.answer_choices() else follow_up.answer
    form = FollowUpAnswerForm(
        initial={
            "answer": chosen,
            "happiness": follow_up.happiness,
            "comment": follow_up.comment,
        }
    )
    return _answer_page(request, token=token, form=form, saved=follow_up.answered_at is not None)


# The unsubscribe link: a page with a button; a POST (the button, or a mail client's one-click)
# stops the follow-up's e-mails.
follow_up_unsubscribe_view = one_click_unsubscribe_view(
    is_valid=services.unsubscribe_token_valid,
    stop=services.follow_up_unsubscribe,
    template="assessments/follow_up_unsubscribe.html",
    invalid=gettext_lazy("This link is not valid."),
)
