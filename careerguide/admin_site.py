"""The project's admin site: core's (with the pages it declares) and the accounts' log-in form,
whose username's length is checked (accounts.forms.AdminLoginForm). Installed as the default
site by careerguide.apps.AdminConfig."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from careerguide.accounts.forms import AdminLoginForm
from careerguide.accounts.two_factor import is_verified, needs_second_factor
from core.admin.site import AdminSite as CoreAdminSite


class AdminSite(CoreAdminSite):
    """Only a staff account that has passed its second factor (django-otp) in this session
    gets in: after the password, the log-in goes on to the code page (accounts:two-factor),
    or to enrolling an authenticator app when the account has none."""

    login_form = AdminLoginForm

    def has_permission(self, request):
        return super().has_permission(request) and is_verified(request.user)

    def login(self, request, extra_context=None):
        if self._needs_code(request):
            return self._to_second_factor(request)
        response = super().login(request, extra_context)
        if response.status_code == 302 and self._needs_code(request):
            return self._to_second_factor(request)
        return response

    @staticmethod
    def _needs_code(request) -> bool:
        user = request.user
        return needs_second_factor(user) and user.is_active and not is_verified(user)

    def _to_second_factor(self, request):
        target = request.POST.get("next") or request.GET.get("next") or reverse("admin:index")
        return redirect(f"{reverse('accounts:two-factor')}?{urlencode({'next': target})}")
