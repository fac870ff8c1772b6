"""The weekly plan reminder: its settings (one write for the plan page and the API), the links
in its e-mail (signed tokens, no session needed) and the sending, once per person and week.

The rules of when it is due and what it lists are in reminding.py, by the person's own clock
(their time zone). Sending: the periodic job (`plan_reminders_send_due`) picks the people whose
week is open now where they live, and sends each one's e-mail in a transaction of its own
(`plan_reminder_send`): the person's reminder row is locked (SKIP LOCKED: a second worker
passes it by), the week's sent row is inserted (unique per person and week, by their local
date) and the mail handed to the backend before the commit. A mail that fails rolls the row
back, so the next run tries again; a second worker finds the row and sends nothing.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from core import clock, mail
from core.languages import is_site_language

from . import planning, reminding, selectors
from .models import Plan, PlanReminder, PlanReminderSent

logger = logging.getLogger("careerguide.plans")

UNSUBSCRIBE_SALT = "careerguide.plans.reminder.unsubscribe"
STEP_SALT = "careerguide.plans.reminder.step"
TEMPLATE = "plans/emails/reminder"


@dataclass(frozen=True)
class ReminderSettings:
    """What the plan page and the API show of a person's reminder."""

    enabled: bool
    weekday: int
    time_zone: str
    # False until the person saves a zone: the page offers the browser's meanwhile.
    time_zone_chosen: bool
    language: str
    email_confirmed: bool
    has_plan: bool

    @property
    def can_enable(self) -> bool:
        return self.email_confirmed and self.has_plan

    @property
    def when(self) -> str:
        return reminder_when(weekday=self.weekday, time_zone=self.time_zone)

    @property
    def send_from(self) -> str:
        return reminding.send_from_shown()


def reminder_when(*, weekday: int, time_zone: str) -> str:
    """When the reminder comes, in words, for the plan page and the e-mail (in the active
    language): "every Monday at about 8:00, Europe/Madrid time"."""
    return _("every %(weekday)s at about %(time)s, %(time_zone)s time") % {
        "weekday": WEEKDAYS[weekday - 1],
        "time": reminding.send_from_shown(),
        "time_zone": time_zone,
    }


def _has_plan(user) -> bool:
    return Plan.objects.filter(user=user, role__isnull=False).exists()


def reminder_settings_get(*, user, has_plan: bool | None = None) -> ReminderSettings:
    """The person's reminder settings; off (Monday, UTC, in their language) when never set.
    `has_plan` (whether they saved a plan with a role, when the caller knows) spares a query."""
    reminder = PlanReminder.objects.filter(user=user).first()
    if has_plan is None:
        has_plan = _has_plan(user)
    default_language = user.language or translation.get_language() or settings.LANGUAGE_CODE
    if not is_site_language(default_language):
        default_language = settings.LANGUAGE_CODE
    return ReminderSettings(
        enabled=bool(reminder and reminder.enabled),
        weekday=reminder.weekday if reminder else reminding.MONDAY,
        time_zone=reminder.time_zone if reminder else reminding.DEFAULT_TIME_ZONE,
        time_zone_chosen=bool(reminder and reminder.time_zone_chosen),
        language=reminder.language if reminder else default_language,
        email_confirmed=bool(user.email),
        has_plan=has_plan,
    )


@transaction.atomic
def reminder_settings_set(
    *,
    user,
    enabled: object,
    weekday: object = None,
    time_zone: object = None,
    language: object = None,
) -> PlanReminder:
    """Switch the weekly reminder on or off and set its weekday (ISO 1-7), time zone (an IANA
    name) and language; one left None keeps what was set (a new reminder: Monday, UTC).
    Switching it on needs a confirmed e-mail address and a saved plan; the day it is switched
    on is the person's date in its zone. ValidationError by field; nothing saved on any error."""
    # The person's row, locked: two of these at once (a double click, the site and the app)
    # take turns, so the second finds the first's reminder instead of inserting beside it and
    # failing on the one-per-person constraint.
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))
    reminder = PlanReminder.objects.select_for_update().filter(user=user).first()
    errors: dict[str, str] = {}
    if not isinstance(enabled, bool):
        errors["enabled"] = _("Say whether you want the weekly reminder (true or false).")
    elif enabled and not user.email:
        errors["enabled"] = _(
            "Confirm your e-mail address first: follow the link we sent when you signed up."
        )
    elif enabled and not _has_plan(user):
        errors["enabled"] = _("Make a plan first: choose a role for it.")
    if weekday is not None and not reminding.is_weekday(weekday):
        errors["weekday"] = _("Choose a day of the week, from 1 (Monday) to 7 (Sunday).")
    if time_zone is not None and not reminding.is_time_zone(time_zone):
        errors["time_zone"] = _(
            "Give a time zone by its name in the time zone database, such as Europe/Madrid or "
            "America/Mexico_City."
        )
    if language is not None and not is_site_language(language):
        choices = ", ".join(code for code, _name in settings.LANGUAGES)
        errors["language"] = _("Choose one of the site's languages: %(choices)s.") % {
            "choices": choices
        }
    if errors:
        raise ValidationError(errors)
    assert isinstance(enabled, bool)  # checked above
    if reminder is None:
        reminder = PlanReminder(
            user=user,
            language=user.language or translation.get_language() or settings.LANGUAGE_CODE,
        )
        if not is_site_language(reminder.language):
            reminder.language = settings.LANGUAGE_CODE
    if weekday is not None:
        reminder.weekday = weekday  # type: ignore[assignment]  # checked above
    if time_zone is not None:
        reminder.time_zone = time_zone  # type: ignore[assignment]  # checked above
        reminder.time_zone_chosen = True
    if enabled and not reminder.enabled:
        reminder.enabled_on = reminding.local_now(clock.now(), reminder.time_zone).date()
    reminder.enabled = enabled
    if language is not None:
        reminder.language = language  # type: ignore[assignment]  # checked above
    reminder.updated_at = clock.now()
    reminder.save()
    return reminder


# The links in the e-mail ------------------------------------------------------------------


def unsubscribe_token(*, user_id: int) -> str:
    """The person's unsubscribe token: signed, it never expires (an old e-mail's link works)."""
    return signing.dumps(user_id, salt=UNSUBSCRIBE_SALT)


def step_token(*, user_id: int, tool: str, week: date) -> str:
    """A "mark as done" link's token for one step, valid reminding.LINKS_VALID_DAYS from
    the week of the e-mail it is in."""
    return signing.dumps({"u": user_id, "t": tool, "w": week.isoformat()}, salt=STEP_SALT)


def unsubscribe_user_id(token: str) -> int | None:
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class StepLink:
    user_id: int
    tool: str
    week: date


def step_link_read(token: str) -> StepLink | None:
    """What a "mark as done" token stands for; None when it is not ours or has expired."""
    try:
        value = signing.loads(token, salt=STEP_SALT)
        link = StepLink(
            user_id=int(value["u"]), tool=str(value["t"]), week=date.fromisoformat(value["w"])
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return link if reminding.link_valid(clock.today(), link.week) else None


@transaction.atomic
def reminder_unsubscribe(*, token: str) -> bool:
    """Switch the reminder off for the person the token names (the one-click unsubscribe, no
    session needed). False when the token is not ours; True also when it was off already."""
    user_id = unsubscribe_user_id(token)
    if user_id is None:
        return False
    PlanReminder.objects.filter(user_id=user_id).update(enabled=False, updated_at=clock.now())
    return True


# Sending -----------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return mail.site_address() + path


def _message(*, user, reminder: PlanReminder, week: date, today: date):
    """The e-mail for `week`, or None when nothing is due or late (or there is no plan)."""
    view, plan = selectors.person_plan_outline_get(user=user, today=today)
    if plan is None:
        return None, None
    steps = reminding.week_steps([item.step for item in view.steps], week)
    if not steps.anything:
        return None, steps
    items = {item.step.tool: item for item in view.steps}

    def listed(step: planning.PlannedStep) -> dict:
        token = step_token(user_id=user.pk, tool=step.tool, week=week)
        return {
            "name": items[step.tool].tool.name,
            "due": step.due,
            "status": items[step.tool].status_label,
            "hours": step.hours,
            "done_link": _absolute(reverse("plans:reminder-step", args=[token])),
        }

    context = {
        "username": user.get_username(),
        "role": view.role_name,
        "week_first": week,
        "week_last": week + timedelta(days=6),
        "when": reminder_when(weekday=reminder.weekday, time_zone=reminder.time_zone),
        "due": [listed(step) for step in steps.due],
        "late": [listed(step) for step in steps.late],
        "outline": view.outline,
        "steps_total": len(view.steps),
        "plan_link": _absolute(reverse("plans:plan")),
        "settings_link": _absolute(reverse("plans:plan") + "#reminders"),
        "unsubscribe_link": _absolute(
            reverse("plans:reminder-unsubscribe", args=[unsubscribe_token(user_id=user.pk)])
        ),
    }
    subject = _("Your learning plan this week: %(due)s due, %(late)s late") % {
        "due": len(steps.due),
        "late": len(steps.late),
    }
    message = mail.message_build(
        to=user.email,
        subject=subject,
        template=TEMPLATE,
        context=context,
        unsubscribe_url=context["unsubscribe_link"],
        key=f"plan-reminder.{user.pk}.{week.isoformat()}",
    )
    return message, steps


def plan_reminder_send(*, user_id: int) -> bool:
    """Send one person's reminder for the week open now (by their clock), if it is due, has
    something in it and was not sent yet; whether it was sent. Safe to run twice at once
    (see above)."""
    now = clock.now()
    with transaction.atomic():
        reminder = (
            PlanReminder.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("user")
            .filter(user_id=user_id, enabled=True)
            .first()
        )
        if reminder is None or not reminder.user.is_active or not reminder.user.email:
            return False
        local = reminding.local_now(now, reminder.time_zone)
        today = local.date()
        week = reminding.open_week(local, reminder.weekday, reminder.enabled_on)
        if week is None or PlanReminderSent.objects.filter(user_id=user_id, week_of=week).exists():
            return False
        with translation.override(reminder.language):
            message, steps = _message(user=reminder.user, reminder=reminder, week=week, today=today)
            if message is None or steps is None:
                return False  # nothing due: nothing sent, and the week stays open
            PlanReminderSent.objects.create(
                user_id=user_id,
                week_of=week,
                sent_at=clock.now(),
                steps_due=len(steps.due),
                steps_late=len(steps.late),
            )
            message.send()
    return True


def plan_reminders_due(*, now: datetime) -> list[int]:
    """The people whose reminder may go out at `now` (by their own clock) and hasn't for its
    week: candidates for plan_reminder_send, which checks each again under its lock. The
    database narrows them to the weekdays open somewhere on Earth; each person's zone is
    then read here."""
    candidates = PlanReminder.objects.filter(
        enabled=True,
        weekday__in=reminding.weekdays_open(now),
        user__is_active=True,
        user__email__isnull=False,
    ).values_list("user_id", "weekday", "enabled_on", "time_zone")
    weeks: dict[int, date] = {}
    for user_id, weekday, enabled_on, time_zone in candidates:
        if not reminding.is_time_zone(time_zone):
            continue  # the service never saves one; a zone gone from the database is passed by
        week = reminding.open_week(reminding.local_now(now, time_zone), weekday, enabled_on)
        if week is not None:
            weeks[user_id] = week
    if not weeks:
        return []
    sent = set(
        PlanReminderSent.objects.filter(
            user_id__in=list(weeks), week_of__gte=min(weeks.values())
        ).values_list("user_id", "week_of")
    )
    return sorted(user_id for user_id, week in weeks.items() if (user_id, week) not in sent)


def plan_reminders_send_due() -> int:
    """The periodic job: every reminder due now, each in its own transaction; how many were
    sent. A mail that fails is logged and left for the next run."""
    sent = 0
    for user_id in plan_reminders_due(now=clock.now()):
        try:
            sent += plan_reminder_send(user_id=user_id)
        except Exception:
            logger.exception(
                "plan reminder for user %s not sent; the next run tries again", user_id
            )
    return sent
