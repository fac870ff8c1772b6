"""The weekly reminder's pages: its settings on the plan page, and the two links its e-mail
holds. A link only ever shows a page with a button: mail scanners and link previews fetch
links, and a GET changes nothing. The buttons work without a session (the signed token in the
address says who), so they work on any device the e-mail is read on; the unsubscribe address
also takes RFC 8058's one-click POST from a mail client, with no cookies and no CSRF token.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core import clock
from core.unsubscribe import one_click_unsubscribe_view

from . import planning, reminders, selectors, services
from .forms import ReminderForm
from .views import _render_plan


@never_cache
@require_POST
@login_required
def reminders_view(request):
    """Switch the weekly reminder on or off, with its weekday, time zone and language."""
    form = ReminderForm(request.POST)
    if not form.is_valid():
        # The form only reads the post (the service judges it), but a field it can't read
        # (a NUL character) would count as left out, and its setting be kept: nothing saved.
        return _render_plan(request, reminder_form=form, status=400)
    data = form.cleaned_data
    try:
        reminder = reminders.reminder_settings_set(
            user=request.user,
            enabled=bool(data.get("enabled")),
            weekday=data.get("weekday") or None,
            time_zone=data.get("time_zone"),
            language=data.get("language") or None,
        )
    except ValidationError as error:
        form.add_service_errors(error)
        return _render_plan(request, reminder_form=form, status=400)
    if reminder.enabled:
        messages.success(request, _("Your weekly reminder is on."))
    else:
        messages.success(request, _("Your weekly reminder is off."))
    return redirect(f"{reverse('plans:plan')}#reminders")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def reminder_step_view(request, token):
    """A "mark as done" link of the e-mail: the step and a button; the button marks it done."""
    link = reminders.step_link_read(token)
    user = (
        get_user_model().objects.filter(pk=link.user_id, is_active=True).first() if link else None
    )
    if link is None or user is None:
        return render(
            request,
            "plans/reminder_step.html",
            {"error": _("This link is not valid or has expired. Open your plan instead.")},
            status=404,
        )
    tool = selectors.tool_cards().get(link.tool)
    status = 200
    error = ""
    if request.method == "POST":
        try:
            services.step_status_set(
                user=user, tool=link.tool, status=planning.DONE, today=clock.today()
            )
        except ValidationError as refused:
            error = " ".join(refused.messages)
            status = 400
        else:
            messages.success(
                request, _("%(tool)s: done.") % {"tool": tool.name if tool else link.tool}
            )
            return redirect(request.path)
    plan = selectors.plan_get(user=user)
    step = (
        next((step for step in plan.steps.all() if step.tool.slug == link.tool), None)
        if plan
        else None
    )
    return render(
        request,
        "plans/reminder_step.html",
        {
            "tool": tool,
            "done": step is not None and step.status == planning.DONE,
            "error": error,
        },
        status=status,
    )


# The unsubscribe link: a page with a button; a POST (the button, or a mail client's one-click)
# switches the weekly reminder off.
reminder_unsubscribe_view = one_click_unsubscribe_view(
    is_valid=lambda token: reminders.unsubscribe_user_id(token) is not None,
    stop=reminders.reminder_unsubscribe,
    template="plans/reminder_unsubscribe.html",
    invalid=gettext_lazy("This link is not valid. Switch the reminder off on your plan's page."),
)
