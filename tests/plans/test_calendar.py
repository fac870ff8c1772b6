"""plans.calendar: a plan's dates as an iCalendar file, read back with the icalendar library."""

import datetime

from icalendar import Calendar

from plans import calendar, planning
from plans.selectors import PlanView, StepView, ToolCard

TODAY = datetime.date(2026, 3, 2)
NOW = datetime.datetime(2026, 3, 2, 9, 30, 15, 123456, tzinfo=datetime.UTC)


def _card(slug, name, order, hours=20, prerequisites=()):
    return ToolCard(
        slug=slug,
        name=name,
        summary=f"{name} does things.",
        order=order,
        hours_to_learn=hours,
        milestones=(f"Install {name}", f"Use {name} on a small project", f"Explain {name}"),
        prerequisites=prerequisites,
        url=f"/tools/{slug}/",
    )


CARDS = [
    _card("docker", "Docker", 1),
    _card("kubeflow", "Kubeflow", 2, hours=35, prerequisites=("docker",)),
    _card("mlflow", "MLflow", 3),
    _card("dvc", "DVC", 4),
]


def _view(states=None, *, ratings=None, hours_per_week=10, started_on=TODAY, today=TODAY):
    ratings = ratings or {}
    outline = planning.plan_build(
        tools=[card.facts() for card in CARDS],
        ratings=ratings,
        states=states or {},
        hours_per_week=hours_per_week,
        started_on=started_on,
        today=today,
    )
    cards = {card.slug: card for card in CARDS}
    return PlanView(
        role_slug="mlops-engineer",
        role_name="MLOps engineer",
        hours_per_week=hours_per_week,
        outline=outline,
        steps=[
            StepView(step=step, tool=cards[step.tool], level=ratings.get(step.tool, 0))
            for step in outline.steps
        ],
    )


def _parse(data):
    assert isinstance(data, bytes)
    return Calendar.from_ical(data)


def _events(data):
    return {str(event["SUMMARY"]): event for event in _parse(data).walk("VEVENT")}


def test_the_calendar_says_who_made_it_and_in_which_version():
    parsed = _parse(calendar.plan_calendar(_view(), owner_key="k", today=TODAY, now=NOW))

    assert str(parsed["PRODID"]) == "-//careerguide//learning plan//EN"
    assert str(parsed["VERSION"]) == "2.0"
    assert str(parsed["METHOD"]) == "PUBLISH"
    assert str(parsed["X-WR-CALNAME"]) == "Learning plan: MLOps engineer"


def test_one_all_day_event_per_step_from_its_start_to_its_due_date_and_one_for_the_finish():
    view = _view()
    data = calendar.plan_calendar(view, owner_key="k", today=TODAY, now=NOW)

    events = _events(data)
    assert sorted(events) == [
        "Learn DVC",
        "Learn Docker",
        "Learn Kubeflow",
        "Learn MLflow",
        "Learning plan done: MLOps engineer",
    ]
    for step in view.steps:
        event = events[f"Learn {step.tool.name}"]
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        # All-day: dates, not times; the end is the day after the due date (RFC 5545).
        assert type(start) is datetime.date and type(end) is datetime.date
        assert (start, end) == (step.step.starts, step.step.due + datetime.timedelta(days=1))
    # 20 hours at 10 a week: 14 days; Kubeflow's 35 hours: 25 days.
    assert events["Learn Docker"].decoded("DTSTART") == TODAY
    assert events["Learn Kubeflow"].decoded("DTSTART") == TODAY + datetime.timedelta(days=14)
    assert events["Learn Kubeflow"].decoded("DTEND") == TODAY + datetime.timedelta(days=40)
    finish = events["Learning plan done: MLOps engineer"]
    assert finish.decoded("DTSTART") == view.outline.finish
    assert finish.decoded("DTEND") == view.outline.finish + datetime.timedelta(days=1)
    assert view.outline.finish == TODAY + datetime.timedelta(days=14 + 25 + 14 + 14)


def test_each_event_describes_the_step_with_its_milestones():
    events = _events(calendar.plan_calendar(_view(), owner_key="k", today=TODAY, now=NOW))

    description = str(events["Learn Kubeflow"]["DESCRIPTION"])
    assert "Step 2 of 4" in description
    assert "about 35 hours at 10 hours a week" in description
    assert (
        "- Install Kubeflow\n- Use Kubeflow on a small project\n- Explain Kubeflow" in description
    )
    assert str(events["Learn Kubeflow"]["TRANSP"]) == "TRANSPARENT"


def test_events_link_to_the_tool_when_the_site_is_known():
    data = calendar.plan_calendar(
        _view(), owner_key="k", today=TODAY, now=NOW, site_url="https://cg.example"
    )

    assert str(_events(data)["Learn Docker"]["URL"]) == "https://cg.example/tools/docker/"
    assert (
        "URL"
        not in _events(calendar.plan_calendar(_view(), owner_key="k", today=TODAY))["Learn Docker"]
    )


def test_steps_done_or_skipped_have_no_event():
    states = {
        "docker": planning.StepState(
            status=planning.DONE, started_on=TODAY, done_on=TODAY, hours_done=20
        ),
        "mlflow": planning.StepState(status=planning.SKIPPED),
        "dvc": planning.StepState(status=planning.IN_PROGRESS, started_on=TODAY),
    }

    events = _events(calendar.plan_calendar(_view(states), owner_key="k", today=TODAY))

    assert sorted(events) == ["Learn DVC", "Learn Kubeflow", "Learning plan done: MLOps engineer"]
    assert "You have started it." in str(events["Learn DVC"]["DESCRIPTION"])


def test_a_late_step_says_so():
    later = TODAY + datetime.timedelta(days=20)  # Docker was due on day 14

    events = _events(calendar.plan_calendar(_view(today=later), owner_key="k", today=later))

    docker = events["Learn Docker"]
    assert docker.decoded("DTEND") == later + datetime.timedelta(days=1)
    assert "running late" in str(docker["DESCRIPTION"])


def test_uids_are_per_person_and_tool_and_stay_when_the_plan_is_dated_again():
    def uids(data):
        return {str(e["SUMMARY"]): str(e["UID"]) for e in _parse(data).walk("VEVENT")}

    first = uids(calendar.plan_calendar(_view(), owner_key="alice", today=TODAY, now=NOW))
    slower = uids(
        calendar.plan_calendar(
            _view(hours_per_week=3, today=TODAY + datetime.timedelta(days=3)),
            owner_key="alice",
            today=TODAY + datetime.timedelta(days=3),
        )
    )
    someone_else = uids(calendar.plan_calendar(_view(), owner_key="bob", today=TODAY, now=NOW))

    assert first == slower
    assert first["Learn Docker"] == "plan-alice-docker@careerguide"
    assert len(set(first.values())) == len(first)
    assert not set(first.values()) & set(someone_else.values())


def test_a_later_file_has_a_higher_sequence_so_calendars_take_its_dates():
    def sequences(now):
        data = calendar.plan_calendar(_view(), owner_key="k", today=TODAY, now=now)
        return {int(event["SEQUENCE"]) for event in _parse(data).walk("VEVENT")}

    (earlier,) = sequences(NOW)
    (later,) = sequences(NOW + datetime.timedelta(minutes=5))

    assert later == earlier + 5


def test_dtstamp_is_the_time_made_in_utc():
    data = calendar.plan_calendar(_view(), owner_key="k", today=TODAY, now=NOW)

    for event in _parse(data).walk("VEVENT"):
        assert event.decoded("DTSTAMP") == NOW.replace(microsecond=0)
    assert b"DTSTAMP:20260302T093015Z" in data


def test_a_plan_with_no_role_or_steps_is_still_a_calendar():
    empty = PlanView(
        role_slug=None, role_name="", hours_per_week=5, outline=planning.PlanOutline(), steps=[]
    )

    parsed = _parse(calendar.plan_calendar(empty, owner_key="k", today=TODAY))

    assert parsed.walk("VEVENT") == []
    assert str(parsed["X-WR-CALNAME"]) == "Learning plan"


def test_text_with_commas_semicolons_and_new_lines_survives_the_trip():
    odd = _card("odd", "Odd; tool, with\\ marks", 1)
    CARDS.append(odd)
    try:
        events = _events(calendar.plan_calendar(_view(), owner_key="k", today=TODAY))
    finally:
        CARDS.remove(odd)

    assert "Learn Odd; tool, with\\ marks" in events


def test_the_owner_key_is_stable_per_person_and_hides_the_account_number():
    assert calendar.owner_key(user_id=7) == calendar.owner_key(user_id=7)
    assert calendar.owner_key(user_id=7) != calendar.owner_key(user_id=8)
    assert len(calendar.owner_key(user_id=7)) == 20
    assert calendar.owner_key(user_id=7).isalnum()
