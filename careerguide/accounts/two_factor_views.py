"""The second factor's pages: a staff account that has given its password passes a code here
before the admin lets it in (careerguide.admin_site), and enrols an authenticator first if it
has none. See two_factor.py for the rules."""

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.security import lockout_response

from . import two_factor
from .forms import SecondFactorForm


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def _with_next(url_name: str, target: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': target})}"


def _staff_only(request) -> None:
    if not two_factor.needs_second_factor(request.user):
        raise Http404


def _locked_out(request):
    """A locked-out account gives up its half-finished log-in."""
    credentials = {"username": request.user.get_username()}
    logout(request)
    return lockout_response(request, credentials=credentials)


@sensitive_post_parameters("code")
@never_cache
@login_required
def second_factor_view(request):
    """The code from the authenticator app, or a backup code."""
    _staff_only(request)
    target = _next(request)
    if two_factor.is_verified(request.user):
        return redirect(target)
    if not two_factor.is_enrolled(request.user):
        return redirect(_with_next("accounts:two-factor-setup", target))
    from axes.handlers.proxy import AxesProxyHandler

    if AxesProxyHandler.is_locked(request, {"username": request.user.get_username()}):
        return _locked_out(request)
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.code_check(
            request=request, user=request.user, code=form.cleaned_data["code"]
        )
        if device is not None:
            two_factor.login_complete(request=request, device=device)
            return redirect(target)
        if getattr(request, "axes_locked_out", False):
            return _locked_out(request)
        form.add_error("code", _("That code is not right, or it has been used already."))
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": target},
        status=400 if request.method == "POST" else 200,
    )


@sensitive_post_parameters("code")
@never_cache
@login_required
def second_factor_setup_view(request):
    """Enrolment: scan the QR code (or type the secret), then type a code to confirm; the
    backup codes are shown once."""
    _staff_only(request)
    target = _next(request)
    if two_factor.is_enrolled(request.user):
        return redirect(_with_next("accounts:two-factor", target))
    device = two_factor.enrolment_start(user=request.user)
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.enrolment_confirm(user=request.user, code=form.cleaned_data["code"])
        if codes is not None:
            confirmed = TOTPDevice.objects.get(user=request.user, confirmed=True)
            two_factor.login_complete(request=request, device=confirmed)
            return render(
                request, "accounts/two_factor_backup_codes.html", {"codes": codes, "next": target}
            )
        form.add_error("code", _("That code does not match. Type the code your app shows now."))
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "next": target,
            "qr_svg": two_factor.qr_svg(device),
            "secret": two_factor.secret_for_typing(device),
        },
        status=400 if request.method == "POST" else 200,
    )
