"""The weekly plan reminder: its settings (plan page and API), when it is sent and what it
holds, the links in it (a GET changes nothing), one-click unsubscribe, and sending once."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from plans import planning, reminders, services
from plans.models import PlanReminder, PlanReminderSent, PlanStep
from tests import factories
from tests.helpers import at_once

pytestmark = pytest.mark.django_db

SITE = "https://careerguide.example"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def _plan(user, clock, *, pace=40, role="mlops-engineer", known=("mlflow",)):
    """A saved plan started on the clock's day: at 40 hours a week Docker (20 hours) is due in
    four days and Kubeflow in nine."""
    services.ratings_save(user=user, levels=dict.fromkeys(known, 3))
    return services.plan_update(user=user, today=clock.today(), role=role, hours_per_week=pace)


def _switch_on(user, *, weekday=1, language="en"):
    return reminders.reminder_settings_set(
        user=user, enabled=True, weekday=weekday, language=language
    )


@pytest.fixture
def reminded(site_content, person, clock):
    _plan(person, clock)
    _switch_on(person)
    return person


# Settings ----------------------------------------------------------------------------------


def test_the_reminder_is_off_until_switched_on(site_content, person, clock, person_api):
    _plan(person, clock)

    body = person_api.get("/api/v1/plan/reminders/").json()

    assert body["enabled"] is False
    assert body["weekday"] == 1 and body["can_enable"] is True
    assert reminders.plan_reminders_send_due() == 0
    assert mail.outbox == []


def test_the_api_switches_it_on_with_a_day_and_language(site_content, person, clock, person_api):
    _plan(person, clock)

    response = person_api.put(
        "/api/v1/plan/reminders/", {"enabled": True, "weekday": 5, "language": "es"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["enabled"] is True
    reminder = PlanReminder.objects.get(user=person)
    assert (reminder.weekday, reminder.language, reminder.enabled_on) == (5, "es", clock.today())


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"weekday": 1}, "enabled"),
        ({"enabled": "yes"}, "enabled"),
        ({"enabled": True, "weekday": 8}, "weekday"),
        ({"enabled": True, "weekday": "monday"}, "weekday"),
        ({"enabled": True, "weekday": True}, "weekday"),
        ({"enabled": True, "language": "fr"}, "language"),
    ],
)
def test_the_api_refuses_bad_settings_at_their_field(
    site_content, person, clock, person_api, body, field
):
    _plan(person, clock)

    response = person_api.put("/api/v1/plan/reminders/", body, format="json")

    assert response.status_code == 400
    assert field in json.dumps(response.json())
    assert not PlanReminder.objects.filter(user=person).exists()


def test_it_needs_a_confirmed_address_and_a_plan(site_content, clock, api):
    unconfirmed = factories.UserFactory(email=None)
    _plan(unconfirmed, clock)
    no_plan = factories.UserFactory()
    for user, problem in [(unconfirmed, "Confirm your e-mail"), (no_plan, "Make a plan first")]:
        api.force_authenticate(user)
        response = api.put("/api/v1/plan/reminders/", {"enabled": True}, format="json")
        assert response.status_code == 400
        assert "enabled" in json.dumps(response.json()) and problem in json.dumps(response.json())
    # Switching it off needs neither.
    assert api.put("/api/v1/plan/reminders/", {"enabled": False}, format="json").status_code == 200


def test_the_plan_page_offers_it_and_saves_it(site_content, person, clock, client):
    _plan(person, clock)
    client.force_login(person)

    page = client.get("/plan/")
    assert 'id="reminders"' in page.content.decode()
    assert page.context["reminder"].enabled is False

    response = client.post("/plan/reminders/", {"enabled": "on", "weekday": "3", "language": "es"})
    assert response.status_code == 302
    reminder = PlanReminder.objects.get(user=person)
    assert (reminder.enabled, reminder.weekday, reminder.language) == (True, 3, "es")

    refused = client.post("/plan/reminders/", {"enabled": "on", "weekday": "9"})
    assert refused.status_code == 400
    assert "from 1 (Monday) to 7 (Sunday)" in refused.content.decode()
    assert PlanReminder.objects.get(user=person).weekday == 3

    client.post("/plan/reminders/", {"weekday": "3", "language": "es"})
    assert PlanReminder.objects.get(user=person).enabled is False


def test_the_plan_page_asks_for_a_confirmed_address_first(site_content, clock, client):
    person = factories.UserFactory(email=None)
    _plan(person, clock)
    client.force_login(person)

    html = client.get("/plan/").content.decode()

    assert "Confirm your e-mail address" in html and 'name="weekday"' not in html


# Sending -----------------------------------------------------------------------------------


def test_on_its_day_it_lists_the_steps_due_and_the_progress(reminded, clock):
    assert reminders.plan_reminders_send_due() == 1

    [message] = mail.outbox
    assert message.to == [reminded.email]
    assert "1 due, 0 late" in message.subject
    assert "Docker, due 6 March 2026" in message.body
    assert "Kubeflow" not in message.body  # due the week after
    assert "0 of 80 hours (0%), 0 of 4 steps done" in message.body
    assert f"{SITE}/plan/" in message.body
    html, media_type = message.alternatives[0]
    assert media_type == "text/html" and "Mark it as done" in html
    assert message.extra_headers["List-Unsubscribe"].startswith(f"<{SITE}/plan/reminders/unsub")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["Message-ID"] == (
        f"<plan-reminder.{reminded.pk}.2026-03-02@careerguide.example>"
    )
    sent = PlanReminderSent.objects.get(user=reminded)
    assert (sent.week_of, sent.steps_due, sent.steps_late) == (clock.today(), 1, 0)


def test_it_is_sent_once_a_week(reminded, clock):
    reminders.plan_reminders_send_due()
    reminders.plan_reminders_send_due()
    clock.advance(timedelta(days=1))
    reminders.plan_reminders_send_due()
    assert len(mail.outbox) == 1

    clock.advance(timedelta(days=6))  # the next Monday: Kubeflow is due this week
    assert reminders.plan_reminders_send_due() == 1
    assert len(mail.outbox) == 2
    assert "Kubeflow" in mail.outbox[1].body


def test_it_waits_for_its_weekday_and_catches_up_two_days_at_most(site_content, person, clock):
    _plan(person, clock)
    _switch_on(person, weekday=2)  # Tuesday; the clock says Monday

    assert reminders.plan_reminders_send_due() == 0
    clock.advance(timedelta(days=3))  # Thursday: two days late, still this week's
    assert reminders.plan_reminders_send_due() == 1
    clock.advance(timedelta(days=8))  # the next Friday: three days after Tuesday, too late
    assert reminders.plan_reminders_send_due() == 0
    assert len(mail.outbox) == 1


def test_a_week_that_began_before_it_was_switched_on_gets_none(site_content, person, clock):
    _plan(person, clock)
    clock.advance(timedelta(days=1))  # Tuesday
    _switch_on(person, weekday=1)  # Monday's week began before

    assert reminders.plan_reminders_send_due() == 0


def test_nothing_is_sent_when_nothing_is_due(site_content, person, clock):
    _plan(person, clock, pace=1)  # Docker takes 20 weeks: nothing due this week
    _switch_on(person)

    assert reminders.plan_reminders_send_due() == 0
    assert mail.outbox == [] and not PlanReminderSent.objects.exists()


def test_a_late_step_is_listed_as_late(reminded, clock):
    clock.advance(timedelta(days=14))  # Docker was due on day 4: now late, and due today

    reminders.plan_reminders_send_due()

    [message] = mail.outbox
    assert "Running late (now due today):" in message.body
    assert "1 due, 1 late" in message.subject  # Kubeflow, pushed back by Docker, is due


def test_in_the_language_the_person_chose(site_content, person, clock):
    _plan(person, clock)
    _switch_on(person, language="es")

    reminders.plan_reminders_send_due()

    [message] = mail.outbox
    assert "Tu plan de aprendizaje" in message.subject
    assert f"{SITE}/es/plan/" in message.body


def test_none_for_a_switched_off_reminder_an_address_gone_or_an_inactive_account(
    site_content, clock
):
    people = factories.UserFactory.create_batch(3)
    for user in people:
        _plan(user, clock)
        _switch_on(user)
    reminders.reminder_settings_set(user=people[0], enabled=False)
    people[1].email = None
    people[1].save()
    people[2].is_active = False
    people[2].save()

    assert reminders.plan_reminders_send_due() == 0
    assert mail.outbox == []


def test_a_failed_mail_is_tried_again_at_the_next_run(reminded, clock, monkeypatch):
    def fail(self, fail_silently=False):
        raise OSError("the mail server is down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", fail)
    assert reminders.plan_reminders_send_due() == 0
    assert not PlanReminderSent.objects.exists()
    monkeypatch.undo()

    assert reminders.plan_reminders_send_due() == 1


# The links ---------------------------------------------------------------------------------


def _done_link(message, tool_name="Docker") -> str:
    line = message.body.split(tool_name, 1)[1]
    link = line.split("Mark it as done: ", 1)[1].split()[0]
    return link.removeprefix(SITE)


def test_a_done_link_shows_a_button_and_a_get_changes_nothing(reminded, clock):
    reminders.plan_reminders_send_due()
    link = _done_link(mail.outbox[0])
    browser = Client()  # the e-mail opened on another device: no session

    page = browser.get(link)
    assert page.status_code == 200
    assert "Mark Docker as done" in page.content.decode()
    assert not PlanStep.objects.filter(tool__slug="docker").exists()

    response = browser.post(link)
    assert response.status_code == 302
    step = PlanStep.objects.get(plan__user=reminded, tool__slug="docker")
    assert (step.status, step.done_on) == (planning.DONE, clock.today())
    assert "is done in your learning plan" in browser.get(link).content.decode()


def test_a_done_link_expires_and_a_forged_one_is_refused(reminded, clock):
    reminders.plan_reminders_send_due()
    link = _done_link(mail.outbox[0])

    assert Client().get(link[:-3] + "abc/").status_code == 404
    clock.advance(timedelta(days=15))
    assert Client().post(link).status_code == 404
    assert not PlanStep.objects.exists()


def test_one_click_unsubscribe_works_from_a_post_with_no_session(reminded, clock):
    reminders.plan_reminders_send_due()
    address = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>").removeprefix(SITE)
    mail_client = Client(enforce_csrf_checks=True)

    assert mail_client.get(address).status_code == 200  # a scanner's GET
    assert PlanReminder.objects.get(user=reminded).enabled is True

    response = mail_client.post(
        address, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert PlanReminder.objects.get(user=reminded).enabled is False
    assert Client().post(address.replace("/unsubscribe/", "/unsubscribe/x")).status_code == 404


# Exactly once, with two workers --------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_one_reminder(clock):
    factories.site_content_create()
    person = factories.UserFactory()
    _plan(person, clock)
    _switch_on(person)
    race = at_once(reminders.plan_reminders_send_due, reminders.plan_reminders_send_due)

    assert race.errors == []
    assert sorted(race.returned) == [0, 1]
    assert len(mail.outbox) == 1
    assert PlanReminderSent.objects.count() == 1


# The person's data ---------------------------------------------------------------------------


def test_in_the_export_and_gone_with_the_account(reminded, clock, client):
    reminders.plan_reminders_send_due()
    client.force_login(reminded)

    data = json.loads(client.get("/profile/export/").content)

    assert data["plan_reminder"]["enabled"] is True
    assert data["plan_reminder"]["sent"] == [
        {
            "week_of": clock.today().isoformat(),
            "sent": data["plan_reminder"]["sent"][0]["sent"],
            "steps_due": 1,
            "steps_late": 0,
        }
    ]
    from careerguide.accounts.services import user_remove

    user_remove(user=reminded)
    assert not PlanReminder.objects.exists() and not PlanReminderSent.objects.exists()


# Through the task queue ----------------------------------------------------------------------


def test_the_hourly_job_queues_and_sends_each_reminder_once(reminded, clock):
    from core.tasks import run_queue, schedule_due

    assert "plan-reminders" in schedule_due(now=clock.now())
    assert schedule_due(now=clock.now()) == []  # once per period, whoever asks
    run_queue()
    assert len(mail.outbox) == 1

    clock.advance(timedelta(hours=1))  # the next hour's run finds it sent
    schedule_due(now=clock.now())
    run_queue()
    assert len(mail.outbox) == 1


def test_a_failed_send_job_is_retried_and_then_sends(reminded, clock, monkeypatch):
    from core.tasks import run_queue, schedule_due

    def fail(self, fail_silently=False):
        raise OSError("the mail server is down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", fail)
    schedule_due(now=clock.now())
    run_queue()
    assert mail.outbox == [] and not PlanReminderSent.objects.exists()
    monkeypatch.undo()

    # The queue's backoff runs on the real clock (core.tasks), the reminder's on core.clock.
    run_queue(now=timezone.now() + timedelta(minutes=5))

    assert len(mail.outbox) == 1


def test_the_command_sends_what_is_due(reminded, clock):
    from django.core.management import call_command

    call_command("send_plan_reminders")
    call_command("send_plan_reminders")

    assert len(mail.outbox) == 1
