import json

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from core.caching import cache_personal_page
from quizzes import charts
from quizzes import selectors as quiz_selectors
from quizzes.progress import claim_anonymous_work

from . import selectors, services
from .forms import AccountDeleteForm, SignupForm

ASSESSMENTS_PER_PAGE = 10


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@sensitive_post_parameters("password1", "password2")
@never_cache
def signup_view(request):
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            claim_anonymous_work(request, user)
            messages.success(request, f"Welcome, {user.username}! Your account is ready.")
            return redirect(_safe_next(request, "accounts:profile"))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "registration/signup.html",
        {"form": form, "next": _safe_next(request, "")},
        status=status,
    )


class LoginView(auth_views.LoginView):
    """Django's log-in page; then what this browser did anonymously becomes the person's."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        claim_anonymous_work(self.request, form.get_user())
        return response


@login_required
@cache_personal_page
def profile_view(request):
    assessments = quiz_selectors.assessment_list(user=request.user)
    page = Paginator(assessments, ASSESSMENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/profile.html",
        {
            "page": page,
            "chart": charts.fit_chart(quiz_selectors.fit_history(user=request.user)),
            "query_without_page": "",
        },
    )


@login_required
def data_export_view(request):
    data = selectors.user_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="careerguide-my-data.json"'
    return response


@sensitive_post_parameters("password")
@login_required
def account_delete_view(request):
    form = AccountDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_delete(user=request.user, password=form.cleaned_data["password"])
        except ValidationError as error:
            form.add_error("password", error.message_dict["password"])
        else:
            logout(request)
            messages.success(request, "Your account and all your assessments were deleted.")
            return redirect("home")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/account_delete.html", {"form": form}, status=status)
