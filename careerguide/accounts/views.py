import dataclasses
import json
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import translate_url
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from assessments import charts
from assessments.selectors.assessment import assessment_list, fit_history
from assessments.selectors.follow_up import follow_up_of_person
from assessments.selectors.sharing import share_links_of
from core.caching import (
    PAGE_NUMBER,
    PageKey,
    cache_personal_page,
    catalog_version,
    page_params,
)
from core.security import site_url
from core.throttling import too_many_requests, wait_if_throttled
from plans import charts as plan_charts
from plans import selectors as plan_selectors

from . import services
from .claims import browser_work_claim
from .data_export import user_data_export
from .forms import (
    TOO_MANY_ATTEMPTS,
    AccountDeleteForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    SignupForm,
)
from .themes import theme_cookie_set
from .throttling import PasswordResetThrottle, SignupThrottle

ASSESSMENTS_PER_PAGE = 10


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _in_language(url: str, language: str) -> str:
    """`url`, an address of this site in whichever language, in `language` (unchanged if it
    has no address in that language). A `next` keeps the language of the page that sent the
    person to log in, while the page they log in on may be in another."""
    own = translation.get_language_from_path(urlsplit(url).path) or settings.LANGUAGE_CODE
    with translation.override(own):
        return translate_url(url, language)


def _with_status(response, status=400):
    """A form page answered with a 4xx status: the form was not accepted."""
    response.status_code = status
    return response


@sensitive_post_parameters("password1", "password2")
@never_cache
def signup_view(request):
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    if request.method == "POST":
        wait = wait_if_throttled(request, SignupThrottle())
        if wait is not None:
            return too_many_requests(
                request,
                message=_("Too many accounts were created from your network lately."),
                retry_after=wait,
            )
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            user = services.user_create(
                username=form.cleaned_data["username"],
                email=email,
                password=form.cleaned_data["password1"],
                site_url=site_url(request),
                language=translation.get_language(),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            browser_work_claim(request, user)
            messages.success(
                request,
                _(
                    "Welcome, %(username)s! Your account is ready. An e-mail is on its way "
                    "to %(email)s: follow its link to confirm the address."
                )
                % {"username": user.username, "email": email},
            )
            target = _safe_next(request, "")
            if not target:
                return redirect("accounts:profile")
            return redirect(_in_language(target, translation.get_language()))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "registration/signup.html",
        {"form": form, "next": _safe_next(request, "")},
        status=status,
    )


@never_cache
def email_confirm_view(request, token):
    """The link in the sign-up e-mail: a page with a button, so that only a person (not a
    mail scanner fetching links) confirms the address."""
    if request.method != "POST":
        return render(request, "accounts/email_confirm.html", {"error": None})
    try:
        user = services.email_confirm(token=token)
    except ValidationError as error:
        return render(
            request, "accounts/email_confirm.html", {"error": " ".join(error.messages)}, status=400
        )
    messages.success(
        request,
        _("Thank you: %(email)s is now your account's e-mail address.") % {"email": user.email},
    )
    return redirect("accounts:profile" if request.user.is_authenticated else "accounts:login")


class LoginView(auth_views.LoginView):
    """Django's log-in page; then what this browser did anonymously becomes the person's."""

    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        browser_work_claim(self.request, user)
        # The colour mode chosen on the account, on this device too.
        theme_cookie_set(response, user.theme)
        return response

    def form_invalid(self, form):
        return _with_status(super().form_invalid(form))

    def get_success_url(self):
        # The page they were going to, in the language they last chose (on any device), else
        # in the language of the page they logged in on.
        language = self.request.user.language or translation.get_language()
        return _in_language(super().get_success_url(), language)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's, with the old password re-checked under a limit (forms.PasswordChangeForm)."""

    form_class = PasswordChangeForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error("old_password", code=TOO_MANY_ATTEMPTS):
            response["Retry-After"] = str(form.retry_after)
            return _with_status(response, 429)
        return _with_status(response)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's, limited per client address (429) and per e-mail address (the e-mail is not
    sent; the answer is the same), with links built from SITE_URL."""

    form_class = PasswordResetForm

    def post(self, request, *args, **kwargs):
        wait = wait_if_throttled(request, PasswordResetThrottle())
        if wait is not None:
            return too_many_requests(
                request,
                message=_("Too many password resets were asked for from your network lately."),
                retry_after=wait,
            )
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        form.queue_for(self.request)
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form):
        return _with_status(super().form_invalid(form))


def _profile_page(request) -> PageKey:
    # The learning plan is worked out for today from the catalog's estimates: a page kept
    # from yesterday, or from before an editor changed a tool, is stale.
    page = page_params(request, numbers=PAGE_NUMBER)
    plan_inputs = (
        ("today", timezone.localdate().isoformat()),
        ("catalog", catalog_version() or ""),
    )
    return dataclasses.replace(page, params=(*page.params, *plan_inputs))


def _learning_plan(user) -> dict:
    """The profile's summary of the person's learning plan and its chart, if they have one."""
    plan = plan_selectors.plan_get(user=user)
    if plan is None or plan.role is None:
        return {"learning_plan": None}
    ratings, _rated_at = plan_selectors.ratings_get(user=user)
    view = plan_selectors.saved_plan_outline_get(
        plan=plan, ratings=ratings, today=timezone.localdate()
    )
    history = plan_selectors.hours_done_history(plan=plan)
    return {
        "learning_plan": view,
        "plan_chart": plan_charts.hours_chart(history, hours_total=view.outline.hours_total),
    }


@login_required
@cache_personal_page(_profile_page)
def profile_view(request):
    assessments = assessment_list(user=request.user)
    page = Paginator(assessments, ASSESSMENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/profile.html",
        {
            "page": page,
            "chart": charts.fit_chart(fit_history(user=request.user)),
            "query_without_page": "",
            "share_links": share_links_of(user=request.user),
            "site_address": site_url(request),  # the links are shown whole, to copy
            "follow_up": follow_up_of_person(user=request.user),
            **_learning_plan(request.user),
        },
    )


@login_required
def data_export_view(request):
    data = user_data_export(user=request.user, request=request)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="careerguide-my-data.json"'
    return response


@sensitive_post_parameters("password")
@login_required
def account_delete_view(request):
    form = AccountDeleteForm(request.POST or None)
    status, retry_after = 200, None
    if request.method == "POST" and form.is_valid():
        try:
            services.user_delete(user=request.user, password=form.cleaned_data["password"])
        except ValidationError as error:
            form.add_error("password", error.message_dict["password"])
        except services.TooManyAttempts as limited:
            form.add_error("password", limited.message)
            status, retry_after = 429, limited.retry_after
        else:
            logout(request)
            messages.success(request, _("Your account and all your assessments were deleted."))
            return redirect("home")
    if request.method == "POST" and status == 200:
        status = 400
    response = render(request, "accounts/account_delete.html", {"form": form}, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response
