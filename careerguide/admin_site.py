"""The project's admin site: core's (with the pages it declares) and the accounts' log-in form,
whose username's length is checked (accounts.forms.AdminLoginForm). Installed as the default
site by careerguide.apps.AdminConfig."""

from careerguide.accounts.forms import AdminLoginForm
from core.admin.site import AdminSite as CoreAdminSite


class AdminSite(CoreAdminSite):
    login_form = AdminLoginForm
