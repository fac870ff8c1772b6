"""Plan writes racing each other, in threads with their own connections (run them against
PostgreSQL too: DATABASE_URL=postgres://...). Each held when the plan was reviewed; they keep
it so: one plan per person, one status change per status, no prerequisite cycle by halves."""

from datetime import date

import pytest
from django.db import transaction
from django.forms.models import model_to_dict

from plans import services
from plans.models import Plan, PlanStep, PlanStepChange, SkillRating
from roles.admin_forms import ToolAdminForm
from roles.models import Tool
from roles.prerequisites import prerequisite_cycle
from tests import factories
from tests.helpers import at_once, while_the_first_waits

TODAY = date(2026, 3, 2)
pytestmark = pytest.mark.django_db(transaction=True)


def test_first_plans_made_at_once_are_one_plan():
    factories.site_content_create()  # committed, so that every thread's connection sees it
    person = factories.UserFactory()

    race = at_once(
        lambda: services.plan_update(user=person, today=TODAY, role="mlops-engineer"),
        lambda: services.plan_update(
            user=person, today=TODAY, role="data-engineer", hours_per_week=9
        ),
    )

    assert race.errors == []
    assert Plan.objects.filter(user=person).count() == 1


def test_the_same_status_sent_three_times_at_once_is_one_change():
    factories.site_content_create()
    person = factories.UserFactory()
    services.plan_update(user=person, today=TODAY, role="mlops-engineer")

    def done():
        services.step_status_set(user=person, tool="docker", status="done", today=TODAY)

    assert at_once(done, done, done).errors == []
    assert PlanStep.objects.get().status == "done"
    assert PlanStepChange.objects.count() == 1


def test_two_log_ins_claiming_one_sessions_work_at_once_make_one_plan():
    factories.site_content_create()
    person = factories.UserFactory()

    def claim():
        services.anonymous_plan_claim(
            user=person,
            levels={"docker": 1, "kafka": 2},
            role="mlops-engineer",
            hours_per_week=3,
            today=TODAY,
        )

    assert at_once(claim, claim).errors == []
    assert Plan.objects.get(user=person).hours_per_week == 3
    assert SkillRating.objects.filter(user=person).count() == 2


def test_two_editors_each_adding_half_a_cycle_save_one_half():
    first, second = factories.ToolFactory(), factories.ToolFactory()
    outcomes: list[object] = []

    def require(tool: Tool, other: Tool) -> None:
        with transaction.atomic():  # as the admin's change view
            tool = Tool.objects.get(pk=tool.pk)
            data = model_to_dict(tool, fields=["hours_to_learn", "milestones"])
            form = ToolAdminForm(data={**data, "prerequisites": [other.pk]}, instance=tool)
            if form.is_valid():
                form.save()
                outcomes.append("saved")
            else:
                outcomes.append(form.errors["prerequisites"])

    assert at_once(lambda: require(first, second), lambda: require(second, first)).errors == []
    assert outcomes.count("saved") == 1
    assert prerequisite_cycle() is None


def test_two_reminder_settings_at_once_make_one_row_and_no_error():
    # A double click, or the site and the app at once, on a person who has no reminder row yet:
    # the second used to insert beside the first's uncommitted row and fail on the
    # one-per-person constraint (a 500).
    from plans import reminders, reminding
    from plans.models import PlanReminder

    person = factories.UserFactory()
    # It pauses after finding no row, its transaction still open.
    race = while_the_first_waits(
        lambda: reminders.reminder_settings_set(user=person, enabled=False, weekday=3),
        pause_in=reminding,
        name="is_weekday",
    )

    assert race.errors == []
    assert PlanReminder.objects.filter(user=person).count() == 1
