"""The self-check, the learning plan and its calendar file.

Personal pages: never kept by a browser or a proxy (never_cache), and not cached by us either,
since a plan's dates move with every day. Each costs the same few queries however many tools
and steps it has (the catalog's tools come from the catalog cache; see plans.selectors).
A signed-in person's input is saved by plans.services; an anonymous person's is kept in their
session (plans.progress) until they sign up or log in.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.security import site_url

from . import reminders, reminding, selectors, services
from .calendar import FILENAME, MEDIA_TYPE, owner_key, plan_calendar
from .forms import PaceForm, ReminderForm, RoleForm, SkillsForm
from .progress import sketch_load, sketch_update


def _today():
    return timezone.localdate()


def _ratings(request) -> dict[str, int]:
    if request.user.is_authenticated:
        return selectors.ratings_get(user=request.user)[0]
    return sketch_load(request).levels


def _role_problem(role: str | None) -> str:
    """Why a plan can't be made for `role` (services' own message), or "" when it can."""
    if not role:
        return ""
    try:
        services.role_validate(role)
    except ValidationError as error:
        return " ".join(error.message_dict.get("role", error.messages))
    return ""


def _current_role(request) -> str | None:
    """The role the person plans for now: their plan's, else their latest result's top role
    (signed in), or the one kept in the session."""
    if not request.user.is_authenticated:
        return sketch_load(request).role
    plan = selectors.plan_get(user=request.user)
    if plan is not None and plan.role is not None:
        return plan.role.slug
    return selectors.default_role_slug(user=request.user)


# The self-check ---------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def skills_view(request):
    """Rate each tool of a role (?role=<slug>), or every tool (?all=1), from 0 to 4."""
    every_tool = request.GET.get("all") == "1"
    role = None if every_tool else request.GET.get("role") or _current_role(request)
    role_names = selectors.role_names()
    if role is not None and role not in role_names:
        if "role" in request.GET:
            raise Http404("No role with that name.")
        role = None  # a role kept from before that is gone: show every tool instead
    if role is not None and "role" not in request.GET and not selectors.role_tools(role):
        role = None  # the plan's role has no tools left: nothing was asked amiss
    tools = selectors.role_tools(role) if role else list(selectors.tool_cards().values())

    if request.method == "POST":
        form = SkillsForm(request.POST, tools=tools)
        if tools and form.is_valid():
            try:
                _skills_save(request, levels=form.levels, role=role)
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("Your self-check is saved. Here is your plan."))
                return redirect("plans:plan")
        status = 400
    else:
        ratings = _ratings(request)
        form = SkillsForm(
            tools=tools,
            initial={
                SkillsForm.field_name(tool.slug): ratings[tool.slug]
                for tool in tools
                if tool.slug in ratings
            },
        )
        status = 200 if tools else 400
    return render(
        request,
        "plans/skills.html",
        {
            "form": form,
            "role_slug": role,
            "role_name": role_names.get(role or "", ""),
            "every_tool": role is None,
            "role_problem": _role_problem(role) if not tools else "",
            "roles": role_names,
            "levels": selectors.level_labels(),
        },
        status=status,
    )


def _skills_save(request, *, levels: dict[str, int], role: str | None) -> None:
    if not request.user.is_authenticated:
        sketch_update(request, levels=levels, role=role)
        return
    # Both or neither: a refused role keeps the ratings unsaved too.
    with transaction.atomic():
        if role is not None:
            services.plan_update(user=request.user, today=_today(), role=role)
        services.ratings_save(user=request.user, levels=levels)


# The plan ---------------------------------------------------------------------------------


def _plan_for(request, today):
    """(plan view, whether its steps can be tracked): a signed-in person's saved plan (or,
    before they save one, the plan for their default role), or the session's sketch."""
    if not request.user.is_authenticated:
        sketch = sketch_load(request)
        view = selectors.plan_outline_get(
            role_slug=sketch.role,
            hours_per_week=sketch.pace,
            ratings=sketch.levels,
            states={},
            started_on=today,
            today=today,
        )
        return view, False
    view, plan = selectors.person_plan_outline_get(user=request.user, today=today)
    return view, plan is not None


def _render_plan(
    request, *, role_form=None, pace_form=None, step_error=None, reminder_form=None, status=200
):
    """The plan page; `step_error` is (tool slug, message) for a refused status,
    `reminder_form` a refused change of the weekly reminder."""
    today = _today()
    view, can_track = _plan_for(request, today)
    role_form = role_form or RoleForm(initial={"role": view.role_slug})
    pace_form = pace_form or PaceForm(initial={"hours_per_week": view.hours_per_week})
    next_query = f"?next={reverse('plans:plan')}"
    error_tool, error = step_error or (None, "")
    # A step that is not on the page (a tool of the role rated 3 or more) has no field to
    # show its error at: it goes above the plan instead.
    error_at_step = can_track and any(item.tool.slug == error_tool for item in view.steps)
    error_above = ""
    if error and not error_at_step:
        card = selectors.tool_cards().get(error_tool or "")
        error_above = _("%(tool)s: %(error)s") % {
            "tool": card.name if card else error_tool,
            "error": error,
        }
    return render(
        request,
        "plans/plan.html",
        {
            "plan": view,
            "outline": view.outline,
            "can_track": can_track,
            "role_problem": "" if view.role_has_tools else _role_problem(view.role_slug),
            "role_form": role_form,
            "pace_form": pace_form,
            "roles": selectors.role_names(),
            "statuses": selectors.status_labels(),
            "step_error_tool": error_tool if error_at_step else None,
            "step_error": error if error_at_step else "",
            "step_error_above": error_above,
            "today": today,
            "login_url": reverse("accounts:login") + next_query,
            "signup_url": reverse("accounts:signup") + next_query,
            **_reminder_context(request, can_track=can_track, form=reminder_form),
        },
        status=status,
    )


def _reminder_context(request, *, can_track: bool, form) -> dict:
    """The weekly reminder's form, for a signed-in person with a saved plan."""
    if not can_track:
        return {"reminder": None}
    current = reminders.reminder_settings_get(user=request.user, has_plan=True)
    return {
        "reminder": current,
        "reminder_form": form
        or ReminderForm(
            initial={
                "enabled": current.enabled,
                "weekday": current.weekday,
                "time_zone": current.time_zone,
                "language": current.language,
            }
        ),
        "weekdays": [(number, WEEKDAYS[number - 1]) for number in reminding.WEEKDAYS],
        "reminder_languages": settings.LANGUAGES,
    }


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def plan_view(request):
    """The plan: its role and pace (two small forms), progress, finish date and steps."""
    if request.method != "POST":
        return _render_plan(request)
    if "role" in request.POST:
        form = RoleForm(request.POST)
        changed, field = "role", "role"
    else:
        form = PaceForm(request.POST)
        changed, field = "pace", "hours_per_week"
    if form.is_valid():
        value = form.cleaned_data[field]
        try:
            _plan_save(request, **{field: value})
        except ValidationError as error:
            form.add_error(field, error.message_dict.get(field, error.messages))
        else:
            if changed == "role":
                name = selectors.role_names().get(value, value)
                messages.success(
                    request, _("Your plan is now for the %(role)s role.") % {"role": name}
                )
            else:
                messages.success(
                    request, _("Your plan now follows %(hours)s hours a week.") % {"hours": value}
                )
            return redirect("plans:plan")
    forms = {"role_form": form} if changed == "role" else {"pace_form": form}
    return _render_plan(request, status=400, **forms)


def _plan_save(request, *, role: str | None = None, hours_per_week: int | None = None) -> None:
    if request.user.is_authenticated:
        services.plan_update(
            user=request.user, today=_today(), role=role, hours_per_week=hours_per_week
        )
    else:
        sketch_update(request, role=role, hours_per_week=hours_per_week)


@never_cache
@require_POST
def step_status_view(request, tool):
    """Set one step's status, then back to the plan. Only a signed-in person tracks steps;
    a tool that is not a step of their plan is a 404."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("plans:plan"))
    try:
        services.step_status_set(
            user=request.user, tool=tool, status=request.POST.get("status"), today=_today()
        )
    except ValidationError as error:
        problems = error.message_dict
        if "tool" in problems:
            raise Http404("That tool is not a step of your plan.") from None
        message = " ".join(problems.get("status", error.messages))
        return _render_plan(request, step_error=(tool, message), status=400)
    card = selectors.tool_cards().get(tool)
    label = selectors.status_labels()[request.POST["status"]].lower()
    messages.success(
        request, _("%(tool)s: %(status)s.") % {"tool": card.name if card else tool, "status": label}
    )
    return redirect(f"{reverse('plans:plan')}#step-{tool}")


@never_cache
@require_safe
@login_required
def calendar_view(request):
    """The plan's dates as an .ics file to import into a calendar."""
    today = _today()
    view, plan = selectors.person_plan_outline_get(user=request.user, today=today)
    if plan is None:
        raise Http404("You have no learning plan yet.")
    content = plan_calendar(
        view,
        owner_key=owner_key(user_id=request.user.pk),
        today=today,
        site_url=site_url(request),
    )
    response = HttpResponse(content, content_type=f"{MEDIA_TYPE}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{FILENAME}"'
    return response
