"""The whole assessment with the keyboard alone: Tab, the arrow keys, Space and Enter.

After every key press something has focus (never the bare page) and shows a focus ring; only
a page load resets focus, and the first Tab then lands on the skip link.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    RESULT_URL,
    assert_focus_visible,
    expect_listed_answers,
    focus_state,
    planned_answers,
    question_ids_on_page,
)

pytestmark = pytest.mark.e2e


def press(page, key: str) -> dict:
    """Press a key that keeps us on the page; focus must stay visible."""
    page.keyboard.press(key)
    return assert_focus_visible(page)


def tab_until(page, wanted, limit: int = 30) -> dict:
    """Tab forwards until `wanted(focus state)`; every stop on the way shows its focus."""
    for _ in range(limit):
        state = press(page, "Tab")
        if wanted(state):
            return state
    raise AssertionError(f"Tab never reached the element; focus ended on {focus_state(page)}")


def skip_to_main(page) -> None:
    """After a page load: the first Tab shows the skip link, Enter moves focus into <main>."""
    page.wait_for_load_state()
    assert focus_state(page)["lost"], "a new page starts with focus at its top"
    state = press(page, "Tab")
    assert state["text"] == "Skip to main content", state
    page.keyboard.press("Enter")
    # <main> (tabindex=-1) takes focus, so the next Tab starts inside it: focus is not lost.
    expect(page.locator("main#main")).to_be_focused()


def choose(page, question_id: int, choice_id: int, *, upwards: bool) -> None:
    """Tab into the question's radios and pick the choice: Space for the first one, else the
    arrow keys, which move along the group and tick as they go (ArrowUp wraps to the last)."""
    options = page.locator(f"#question-{question_id} input[type=radio]")
    values = [int(value) for value in options.evaluate_all("nodes => nodes.map(n => n.value)")]
    state = press(page, "Tab")
    # Tab enters a group with nothing ticked at its first radio.
    assert (state["name"], state["value"]) == (f"question_{question_id}", str(values[0])), state
    assert not state["checked"], state
    target = values.index(choice_id)
    if target == 0:
        state = press(page, "Space")
    elif upwards:
        for _ in range(len(values) - target):
            state = press(page, "ArrowUp")
    else:
        for _ in range(target):
            state = press(page, "ArrowDown")
    assert state["value"] == str(choice_id) and state["checked"], state
    expect(options.and_(page.locator(":checked"))).to_have_attribute("value", str(choice_id))


def test_the_whole_assessment_with_the_keyboard_alone(page):
    answers = planned_answers(["mlops-engineer", "data-engineer", "mlops-engineer"])

    page.goto("/assessment/")
    tab_until(page, lambda state: state["text"] == "Start the assessment")
    page.keyboard.press("Enter")

    step = 1
    while True:
        expect(page).to_have_url(re.compile(rf"/assessment/step/{step}/$"))
        skip_to_main(page)
        shown = question_ids_on_page(page)
        for index, question_id in enumerate(shown):
            choose(page, question_id, answers[question_id], upwards=index % 2 == 1)
        if step == 2:
            # Enter on a radio sends the form with its first button: "Next", never "Back".
            page.keyboard.press("Enter")
        else:
            state = press(page, "Tab")
            assert state["tag"] == "button", state
            assert state["text"] in {"Next", "See my result"}, state
            is_last = state["text"] == "See my result"
            page.keyboard.press("Enter")
            if is_last:
                break
        step += 1

    expect(page).to_have_url(RESULT_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your result: MLOps engineer")
    # The answers given by keyboard are the ones kept: open "All your answers" with Enter.
    tab_until(page, lambda state: state["tag"] == "summary")
    page.keyboard.press("Enter")
    expect_listed_answers(page, answers)
