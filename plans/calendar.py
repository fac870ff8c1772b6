"""A learning plan as an iCalendar file (RFC 5545), made with the icalendar library.

One all-day event per step still to learn (from the day it starts to its due date, the
milestones in its description), and one on the day the plan is due to be finished. Each event's
UID is made of the person's key and the tool, so importing a newer file again updates the
events a calendar already has instead of adding copies; SEQUENCE grows with time, so the
calendar takes the newer dates.
"""

from datetime import UTC, date, datetime, timedelta

from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from . import planning
from .selectors import PlanView, StepView

PRODID = "-//careerguide//learning plan//EN"
UID_DOMAIN = "careerguide"
FILENAME = "careerguide-learning-plan.ics"
MEDIA_TYPE = "text/calendar"
# SEQUENCE counts minutes from this moment, so a file made later always carries higher ones.
SEQUENCE_EPOCH = datetime(2025, 1, 1, tzinfo=UTC)


def owner_key(*, user_id: int) -> str:
    """A person's stable key for the UIDs, without giving away their account number."""
    return salted_hmac("plans.calendar.owner", str(user_id)).hexdigest()[:20]


def _sequence(now: datetime) -> int:
    return max(0, int((now - SEQUENCE_EPOCH).total_seconds() // 60))


def _step_description(view: PlanView, step: StepView) -> str:
    numbers = {
        "position": step.step.position,
        "total": len(view.steps),
        "role": view.role_name,
        "hours": step.step.hours,
        "pace": view.hours_per_week,
    }
    if view.role_name:
        first = _(
            "Step %(position)s of %(total)s of your learning plan for %(role)s: "
            "about %(hours)s hours at %(pace)s hours a week."
        )
    else:
        first = _(
            "Step %(position)s of %(total)s of your learning plan for a data career: "
            "about %(hours)s hours at %(pace)s hours a week."
        )
    lines = [first % numbers]
    if step.step.late:
        lines.append(_("This step is running late, so it is now due today."))
    if step.step.status == planning.IN_PROGRESS:
        lines.append(_("You have started it."))
    if step.tool.milestones:
        lines += ["", _("You know it well enough when you can:")]
        lines += [f"- {milestone}" for milestone in step.tool.milestones]
    return "\n".join(lines)


def _all_day(
    *,
    uid: str,
    summary: str,
    first: date,
    last: date,
    description: str,
    stamp: datetime,
    url: str | None,
) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("sequence", _sequence(stamp))
    event.add("summary", summary)
    event.add("dtstart", first)
    event.add("dtend", last + timedelta(days=1))  # an all-day end is the day after the last
    event.add("description", description)
    event.add("transp", "TRANSPARENT")  # a plan never makes the person look busy
    if url:
        event.add("url", url)
    return event


def plan_calendar(
    plan: PlanView,
    *,
    owner_key: str,
    today: date,
    now: datetime | None = None,
    site_url: str = "",
) -> bytes:
    """The plan's dates as an .ics file. `owner_key` identifies the person (owner_key() for an
    account) and never changes for them; `today` is the day the plan was worked out for;
    `site_url`, when given, makes each step link to its tool's page."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    title = (
        _("Learning plan: %(role)s") % {"role": plan.role_name}
        if plan.role_name
        else _("Learning plan")
    )
    calendar.add("x-wr-calname", title)

    dated = [
        step
        for step in plan.steps
        if step.step.status in {planning.TO_DO, planning.IN_PROGRESS}
        and step.step.starts is not None
        and step.step.due is not None
    ]
    for step in dated:
        assert step.step.starts is not None and step.step.due is not None  # for the type checker
        calendar.add_component(
            _all_day(
                uid=f"plan-{owner_key}-{step.tool.slug}@{UID_DOMAIN}",
                summary=_("Learn %(tool)s") % {"tool": step.tool.name},
                first=step.step.starts,
                last=max(step.step.due, step.step.starts),
                description=_step_description(plan, step),
                stamp=stamp,
                url=f"{site_url}{step.tool.url}" if site_url else None,
            )
        )

    finish = plan.outline.finish
    if finish is not None:
        outline = plan.outline
        calendar.add_component(
            _all_day(
                uid=f"plan-{owner_key}-finish@{UID_DOMAIN}",
                summary=_("Learning plan done: %(role)s") % {"role": plan.role_name}
                if plan.role_name
                else _("Learning plan done"),
                first=finish,
                last=finish,
                description=_(
                    "The day your plan is due to be finished, at %(pace)s hours a week: "
                    "%(total)s hours in all, %(done)s done as of %(date)s."
                )
                % {
                    "pace": plan.hours_per_week,
                    "total": outline.hours_total,
                    "done": outline.hours_done,
                    "date": today.isoformat(),
                },
                stamp=stamp,
                url=None,
            )
        )
    return calendar.to_ical()
