"""The weekly plan reminder in the person's time zone: the hour the job sends it (once),
the day it was switched on, and the zone on the plan page, in the API and in the e-mail.
The rules of days themselves are tested as pure functions in test_reminding.py."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail

from plans import reminders, reminding, services
from plans.models import PlanReminder, PlanReminderSent
from tests import factories
from tests.helpers import problem_fields, problem_messages

pytestmark = pytest.mark.django_db

ZONE_ERROR = "Give a time zone by its name in the time zone database"
ODD_ZONES = ["", "Mars/Base", "../../etc", "x" * 10_000]


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def _plan(user, clock, *, pace=40):
    """A plan started on the clock's day: at 40 hours a week a step falls due within four days
    and the next five days later."""
    services.ratings_save(user=user, levels={"mlflow": 3})
    return services.plan_update(
        user=user, today=clock.today(), role="mlops-engineer", hours_per_week=pace
    )


def _switch_on(user, *, weekday=1, time_zone="UTC", language="en"):
    return reminders.reminder_settings_set(
        user=user, enabled=True, weekday=weekday, time_zone=time_zone, language=language
    )


def _hourly_runs(clock, *, first: datetime, hours: int) -> list[datetime]:
    """Run the job as the worker does, at :05 every hour from `first`; the moments it sent."""
    sent_at = []
    for hour in range(hours):
        clock.freeze(first + timedelta(hours=hour))
        if reminders.plan_reminders_send_due():
            sent_at.append(clock.now())
    return sent_at


# When the job sends it -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "sent_at"),
    [
        ("America/Los_Angeles", utc(2026, 3, 2, 16, 5)),  # Monday 8:05 PST
        ("Europe/Madrid", utc(2026, 3, 2, 7, 5)),  # Monday 8:05 CET
        ("Pacific/Kiritimati", utc(2026, 3, 1, 18, 5)),  # Monday 8:05, Sunday in UTC
        ("UTC", utc(2026, 3, 2, 8, 5)),
    ],
)
def test_the_hourly_job_sends_it_once_from_eight_on_the_persons_monday(
    site_content, person, clock, zone, sent_at
):
    clock.freeze(utc(2026, 2, 28, 12, 0))  # a Saturday
    _plan(person, clock)
    _switch_on(person, time_zone=zone)

    runs = _hourly_runs(clock, first=utc(2026, 2, 28, 12, 5), hours=24 * 5)

    assert runs == [sent_at]
    assert len(mail.outbox) == 1
    sent = PlanReminderSent.objects.get(user=person)
    assert sent.week_of == date(2026, 3, 2)  # the person's Monday


def test_on_the_day_the_clocks_go_forward_it_comes_an_hour_earlier_in_utc(
    site_content, person, clock
):
    clock.freeze(utc(2026, 3, 20, 12, 0))  # a Friday
    _plan(person, clock)
    _switch_on(person, weekday=7, time_zone="Europe/Madrid")

    runs = _hourly_runs(clock, first=utc(2026, 3, 20, 12, 5), hours=24 * 10)

    # Sunday 8:05 in Madrid both times: CET (UTC+1), then CEST (UTC+2) from 29 March.
    assert runs == [utc(2026, 3, 22, 7, 5), utc(2026, 3, 29, 6, 5)]
    assert list(PlanReminderSent.objects.values_list("week_of", flat=True)) == [
        date(2026, 3, 22),
        date(2026, 3, 29),
    ]


def test_a_stopped_worker_catches_up_until_the_end_of_the_persons_second_day_after(
    site_content, person, clock
):
    clock.freeze(utc(2026, 3, 1, 20, 0))  # Sunday 12:00 in Los Angeles
    _plan(person, clock)
    _switch_on(person, time_zone="America/Los_Angeles")

    clock.freeze(utc(2026, 3, 5, 7, 55))  # Wednesday 23:55 there; Thursday in UTC
    assert reminders.plan_reminders_send_due() == 1
    assert PlanReminderSent.objects.get(user=person).week_of == date(2026, 3, 2)


def test_too_late_after_the_persons_second_day(site_content, person, clock):
    clock.freeze(utc(2026, 3, 1, 20, 0))
    _plan(person, clock)
    _switch_on(person, time_zone="America/Los_Angeles")

    clock.freeze(utc(2026, 3, 5, 8, 5))  # Thursday 0:05 in Los Angeles

    assert reminders.plan_reminders_send_due() == 0
    assert mail.outbox == []


def test_through_the_task_queue_at_the_persons_hour(site_content, person, clock):
    from core.tasks import run_queue, schedule_due

    clock.freeze(utc(2026, 3, 1, 12, 0))
    _plan(person, clock)
    _switch_on(person, time_zone="Europe/Madrid")

    clock.freeze(utc(2026, 3, 2, 6, 5))  # 7:05 in Madrid
    assert "plan-reminders" in schedule_due(now=clock.now())
    run_queue()
    assert mail.outbox == []

    clock.freeze(utc(2026, 3, 2, 7, 5))  # 8:05
    assert "plan-reminders" in schedule_due(now=clock.now())
    run_queue()
    assert len(mail.outbox) == 1

    clock.freeze(utc(2026, 3, 2, 8, 5))
    schedule_due(now=clock.now())
    run_queue()
    assert len(mail.outbox) == 1


ZONES = [
    "America/Los_Angeles",
    "Europe/Madrid",
    "Pacific/Kiritimati",
    "UTC",
    "Asia/Kolkata",
    "Pacific/Pago_Pago",  # UTC-11
    "Etc/GMT+12",
    "Australia/Sydney",
]


def test_the_due_list_finds_everyone_due_in_every_zone_in_two_queries(
    db, clock, django_assert_num_queries
):
    people = [
        factories.PlanReminderFactory(time_zone=zone, weekday=weekday)
        for zone in ZONES
        for weekday in reminding.WEEKDAYS
    ]
    factories.PlanReminderFactory(enabled=False)
    first = people[0]
    PlanReminderSent.objects.create(user=first.user, week_of=date(2026, 3, 2), sent_at=clock.now())

    for hour in range(0, 24 * 7, 5):
        now = utc(2026, 3, 2, 0, 5) + timedelta(hours=hour)
        expected = sorted(
            reminder.user_id
            for reminder in people
            if (
                week := reminding.open_week(
                    reminding.local_now(now, reminder.time_zone), reminder.weekday, date(2026, 1, 1)
                )
            )
            is not None
            and not (reminder is first and week == date(2026, 3, 2))
        )
        with django_assert_num_queries(2):
            due = reminders.plan_reminders_due(now=now)
        assert due == expected, now
        assert due  # someone is due somewhere at any hour, with every weekday taken


# The day it was switched on ---------------------------------------------------------------


def test_switched_on_is_the_persons_date(site_content, clock):
    clock.freeze(utc(2026, 3, 1, 23, 30))  # Monday 0:30 in Madrid, Sunday 15:30 in LA
    madrid, los_angeles = factories.UserFactory.create_batch(2)
    for user in (madrid, los_angeles):
        _plan(user, clock)

    _switch_on(madrid, time_zone="Europe/Madrid")
    _switch_on(los_angeles, time_zone="America/Los_Angeles")

    assert PlanReminder.objects.get(user=madrid).enabled_on == date(2026, 3, 2)
    assert PlanReminder.objects.get(user=los_angeles).enabled_on == date(2026, 3, 1)


def test_switched_on_late_on_the_persons_monday_still_gets_this_weeks(site_content, person, clock):
    clock.freeze(utc(2026, 3, 3, 4, 0))  # Tuesday in UTC, Monday 20:00 in Los Angeles
    _plan(person, clock)
    _switch_on(person, time_zone="America/Los_Angeles")

    assert reminders.plan_reminders_send_due() == 1
    assert PlanReminderSent.objects.get(user=person).week_of == date(2026, 3, 2)


# The plan page --------------------------------------------------------------------------------


def test_the_plan_page_asks_for_the_time_zone_and_offers_the_browsers(
    site_content, person, clock, client
):
    _plan(person, clock)
    client.force_login(person)

    html = client.get("/plan/").content.decode()

    assert 'name="time_zone"' in html and 'value="UTC"' in html  # without JavaScript: UTC
    assert "data-detect-time-zone" in html  # the script fills in the browser's
    assert '<script src="/static/js/time-zone.js" defer></script>' in html


def test_a_person_who_saved_utc_keeps_it_on_the_page(site_content, person, clock, client):
    _plan(person, clock)
    client.force_login(person)

    client.post("/plan/reminders/", {"weekday": "1", "time_zone": "UTC", "language": "en"})

    html = client.get("/plan/").content.decode()
    assert 'value="UTC"' in html
    assert "data-detect-time-zone" not in html  # chosen: the browser's is not offered again


def test_a_reminder_from_before_the_setting_is_offered_the_browsers_zone(
    site_content, person, clock, client
):
    # Switched on before there was a time zone: UTC by default, never chosen.
    _plan(person, clock)
    factories.PlanReminderFactory(user=person, enabled=True, enabled_on=clock.today())
    client.force_login(person)

    html = client.get("/plan/").content.decode()

    assert 'value="UTC"' in html
    assert "data-detect-time-zone" in html


def test_the_plan_page_saves_the_time_zone_and_says_when_it_comes(
    site_content, person, clock, client
):
    clock.freeze(utc(2026, 3, 1, 23, 30))  # Monday 0:30 in Madrid
    _plan(person, clock)
    client.force_login(person)

    response = client.post(
        "/plan/reminders/",
        {"enabled": "on", "weekday": "1", "time_zone": "Europe/Madrid", "language": "en"},
    )

    assert response.status_code == 302
    reminder = PlanReminder.objects.get(user=person)
    assert (reminder.time_zone, reminder.enabled_on) == ("Europe/Madrid", date(2026, 3, 2))
    html = client.get("/plan/").content.decode()
    assert 'value="Europe/Madrid"' in html
    assert "data-detect-time-zone" not in html  # chosen: the script leaves it alone
    assert "On: it comes every Monday at about 8:00, Europe/Madrid time." in html

    # A page from before the field (no time_zone in the post) keeps the zone.
    client.post("/plan/reminders/", {"enabled": "on", "weekday": "3", "language": "en"})
    assert PlanReminder.objects.get(user=person).time_zone == "Europe/Madrid"


def test_the_plan_page_says_it_in_spanish(site_content, person, clock, client):
    _plan(person, clock)
    _switch_on(person, weekday=3, time_zone="America/Mexico_City", language="es")
    client.force_login(person)

    html = client.get("/es/plan/").content.decode()

    assert "Zona horaria" in html
    assert "Activado: llega cada miércoles hacia las 8:00, hora de America/Mexico_City." in html


@pytest.mark.parametrize("value", ODD_ZONES)
def test_the_plan_page_refuses_a_bad_time_zone_at_its_field(
    site_content, person, clock, client, value
):
    _plan(person, clock)
    client.force_login(person)
    reminders.reminder_settings_set(
        user=person, enabled=False, weekday=3, time_zone="Europe/Madrid", language="en"
    )
    before = PlanReminder.objects.get(user=person)

    response = client.post(
        "/plan/reminders/",
        {"enabled": "on", "weekday": "5", "time_zone": value, "language": "es"},
    )

    assert response.status_code == 400
    html = response.content.decode()
    error = html.split('id="reminder-time-zone-error">', 1)[1].split("</div>", 1)[0]
    assert ZONE_ERROR in error
    field = html.split('name="time_zone"', 1)[1].split(">", 1)[0]
    assert 'aria-invalid="true"' in field and "reminder-time-zone-error" in field
    assert "data-detect-time-zone" not in html  # what they typed stays in the field
    after = PlanReminder.objects.get(user=person)
    assert (after.enabled, after.weekday, after.time_zone, after.language, after.updated_at) == (
        before.enabled,
        before.weekday,
        before.time_zone,
        before.language,
        before.updated_at,
    )


@pytest.mark.parametrize("field", ["time_zone", "weekday", "language"])
def test_a_field_with_a_nul_character_is_refused_not_ignored(
    site_content, person, clock, client, field
):
    _plan(person, clock)
    client.force_login(person)
    reminders.reminder_settings_set(
        user=person, enabled=False, weekday=3, time_zone="Asia/Tokyo", language="en"
    )
    post = {"enabled": "on", "weekday": "5", "time_zone": "Europe/Madrid", "language": "es"}
    post[field] += "\x00"

    response = client.post("/plan/reminders/", post)

    assert response.status_code == 400
    reminder = PlanReminder.objects.get(user=person)
    assert (reminder.enabled, reminder.weekday, reminder.time_zone, reminder.language) == (
        False,
        3,
        "Asia/Tokyo",
        "en",
    )


def test_a_bad_time_zone_on_the_first_save_saves_nothing(site_content, person, clock, client):
    _plan(person, clock)
    client.force_login(person)

    response = client.post(
        "/plan/reminders/", {"enabled": "on", "weekday": "1", "time_zone": "Mars/Base"}
    )

    assert response.status_code == 400
    assert not PlanReminder.objects.filter(user=person).exists()


# The API ------------------------------------------------------------------------------------


def test_the_api_sets_and_shows_the_time_zone(site_content, person, clock, person_api):
    clock.freeze(utc(2026, 3, 2, 3, 0))  # Sunday 19:00 in Los Angeles
    _plan(person, clock)

    assert person_api.get("/api/v1/plan/reminders/").json()["time_zone"] == "UTC"
    response = person_api.put(
        "/api/v1/plan/reminders/",
        {"enabled": True, "time_zone": "America/Los_Angeles"},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["time_zone"] == "America/Los_Angeles"
    reminder = PlanReminder.objects.get(user=person)
    assert reminder.enabled_on == date(2026, 3, 1)
    # Left out, the zone set is kept.
    person_api.put("/api/v1/plan/reminders/", {"enabled": True, "weekday": 2}, format="json")
    assert person_api.get("/api/v1/plan/reminders/").json()["time_zone"] == "America/Los_Angeles"


@pytest.mark.parametrize(
    "value", [*ODD_ZONES, "localtime", 5, True, None, ["UTC"], {"name": "Europe/Madrid"}]
)
def test_the_api_refuses_a_bad_time_zone_at_its_field(
    site_content, person, clock, person_api, value
):
    _plan(person, clock)

    response = person_api.put(
        "/api/v1/plan/reminders/",
        {"enabled": True, "weekday": 2, "time_zone": value},
        format="json",
    )

    assert response.status_code == 400
    assert set(problem_fields(response)) == {"time_zone"}
    if value is not None:  # null is refused by the serializer, with DRF's message
        assert ZONE_ERROR in problem_messages(response)["time_zone"][0]
    assert not PlanReminder.objects.filter(user=person).exists()


# The e-mail ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "says"),
    [
        ("en", "It comes every Monday at about 8:00, Europe/Madrid time."),
        ("es", "Llega cada lunes hacia las 8:00, hora de Europe/Madrid."),
    ],
)
def test_the_email_says_when_it_comes(site_content, person, clock, language, says):
    clock.freeze(utc(2026, 3, 1, 12, 0))
    _plan(person, clock)
    _switch_on(person, time_zone="Europe/Madrid", language=language)
    clock.freeze(utc(2026, 3, 2, 7, 5))

    assert reminders.plan_reminders_send_due() == 1

    [message] = mail.outbox
    assert says in message.body
    assert says in message.alternatives[0][0]


def test_the_export_has_the_time_zone(site_content, person, clock, client):
    _plan(person, clock)
    _switch_on(person, time_zone="Asia/Kolkata")
    client.force_login(person)

    data = json.loads(client.get("/profile/export/").content)

    assert data["plan_reminder"]["time_zone"] == "Asia/Kolkata"
