"""From a result to a learning plan, start to finish, in Chromium: the assessment, "Build my
learning plan", the self-check, the plan kept on sign-up, two steps done, the profile's
progress and the calendar file."""

import re

import pytest
from playwright.sync_api import expect

from plans import selectors as plan_selectors
from tests.e2e.helpers import (
    answer_assessment,
    log_in,
    planned_answers,
    sign_up,
    start_assessment,
)

pytestmark = pytest.mark.e2e


def rate_shown_tools(page, levels: dict[str, str]) -> list[str]:
    """Tick a level (its plain meaning) for every tool on the self-check, "Never heard of
    it" unless `levels` names another; returns the tools' names in the order shown."""
    names = []
    for fieldset in page.locator("fieldset.skill").all():
        name = fieldset.locator("legend").inner_text().strip()
        names.append(name)
        meaning = levels.get(name, "Never heard of it")
        # Clicking the label, as a person does (it also proves the label is tied to it).
        fieldset.locator("label", has_text=meaning).click()
        expect(fieldset.get_by_label(meaning)).to_be_checked()
    return names


def test_from_a_result_to_a_plan_tracked_on_the_profile_and_in_a_calendar(page, tmp_path):
    # The assessment, taken before signing up, leaning to MLOps.
    start_assessment(page)
    answer_assessment(page, planned_answers(["mlops-engineer"]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your result: MLOps engineer")

    page.get_by_role("link", name="Build my learning plan").click()
    expect(page).to_have_url(re.compile(r"/plan/skills/\?role=mlops-engineer$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("How well do you know these tools?")
    role_tools = [tool.name for tool in plan_selectors.role_tools("mlops-engineer")]
    known = role_tools[-1]  # used it for real work: no step for it
    shown = rate_shown_tools(page, {known: "I used it for real work"})
    assert shown == role_tools
    page.get_by_role("button", name="Save and see my plan").click()

    # The plan, worked out from the session, and an offer to keep it.
    expect(page).to_have_url(re.compile(r"/plan/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your learning plan: MLOps engineer")
    steps = page.locator("li.plan-step")
    expect(steps).to_have_count(len(role_tools) - 1)
    expect(steps.filter(has_text=known)).to_have_count(0)
    expect(page.get_by_label(re.compile("^Status of"))).to_have_count(0)
    page.get_by_role("status").get_by_role("link", name="Sign up").click()
    sign_up(page, "morgan")

    # Kept on sign-up: the same steps, now with a status to set on each.
    expect(page).to_have_url(re.compile(r"/plan/$"))
    expect(steps).to_have_count(len(role_tools) - 1)
    step_names = [step.locator("h3 a").inner_text().strip() for step in steps.all()]
    for name in step_names[:2]:
        page.get_by_label(f"Status of {name}").select_option("done")
        page.get_by_role("button", name=f"Save the status of {name}").click()
        expect(page.get_by_text(f"{name}: done.")).to_be_visible()
        done = page.locator("li.plan-step[data-status=done] h3")
        expect(done.get_by_role("link", name=name, exact=True)).to_have_count(1)
    expect(page.locator("li.plan-step[data-status=done]")).to_have_count(2)
    expect(page.locator("label[for=plan-progress]")).to_contain_text(
        f"2 of {len(step_names)} steps"
    )

    # The profile shows the progress and its chart.
    page.get_by_role("link", name="Profile (morgan)").click()
    expect(page.locator(".plan-steps-done")).to_have_text(f"2 of {len(step_names)}")
    expect(page.locator(".plan-hours-done")).to_contain_text(" of ")
    expect(page.get_by_role("img", name=re.compile("Line chart of the hours"))).to_be_visible()
    expect(page.locator(".hours-point")).to_have_count(1)  # both done today

    # And the dates go to a calendar.
    page.get_by_role("link", name="See my learning plan").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the dates for your calendar (.ics)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    content = path.read_text()
    assert content.startswith("BEGIN:VCALENDAR")
    for name in step_names[2:]:
        assert f"SUMMARY:Learn {name}" in content
    for name in step_names[:2]:  # done: no longer in the calendar
        assert f"SUMMARY:Learn {name}" not in content


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_the_weekly_reminder_takes_the_browsers_time_zone_or_works_without_it(
    new_context, javascript
):
    from core import clock
    from plans import services
    from plans.models import PlanReminder
    from tests import factories

    person = factories.UserFactory(username="rosa")
    services.plan_update(user=person, today=clock.today(), role="mlops-engineer", hours_per_week=10)
    page = new_context(timezone_id="America/Mexico_City", java_script_enabled=javascript).new_page()
    log_in(page, "rosa", next_url="/plan/")

    # The browser's zone while none is chosen (with the script), else what was saved: UTC.
    zone = "America/Mexico_City" if javascript else "UTC"
    expect(page.get_by_label("Time zone")).to_have_value(zone)
    note = page.get_by_text("Filled in from your browser: save to keep it.")
    if javascript:
        expect(note).to_be_visible()
    else:
        expect(note).to_be_hidden()
    page.get_by_label("E-mail me a weekly reminder of this plan").check()
    page.get_by_label("Day of the week").select_option(label="Wednesday")
    page.get_by_role("button", name="Save the reminder").click()

    expect(page.get_by_text("Your weekly reminder is on.")).to_be_visible()
    expect(page.locator(".reminder-when")).to_have_text(
        f"On: it comes every Wednesday at about 8:00, {zone} time."
    )
    expect(note).to_be_hidden()  # chosen now: the script leaves the field alone
    assert PlanReminder.objects.get(user=person).time_zone == zone

    # A name that is not a time zone is refused at the field, and nothing changes.
    page.get_by_label("Time zone").fill("Mars/Base")
    page.get_by_role("button", name="Save the reminder").click()
    expect(page.locator("#reminder-time-zone-error")).to_contain_text("such as Europe/Madrid")
    expect(page.get_by_label("Time zone")).to_have_attribute("aria-invalid", "true")
    assert PlanReminder.objects.get(user=person).time_zone == zone
