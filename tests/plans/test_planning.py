"""The planner's rules, as pure functions: order, hours, dates and progress."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.graphs import all_prerequisites, find_cycle
from plans import planning
from plans.planning import (
    DONE,
    IN_PROGRESS,
    SKIPPED,
    TO_DO,
    StepState,
    ToolFacts,
    days_for,
    hours_done_over_time,
    learning_order,
    personal_hours,
    plan_build,
)
from tests import factories

MONDAY = date(2026, 3, 2)


def tool(key, order, hours=10, requires=()):
    return ToolFacts(key=key, order=order, hours_to_learn=hours, prerequisites=tuple(requires))


def build(tools, *, ratings=None, states=None, pace=10, started=MONDAY, today=MONDAY):
    return plan_build(
        tools=tools,
        ratings=ratings or {},
        states=states or {},
        hours_per_week=pace,
        started_on=started,
        today=today,
    )


# Order ---------------------------------------------------------------------------------------


def test_steps_follow_the_tool_order_when_nothing_is_required():
    tools = [tool("b", 2), tool("a", 1), tool("c", 3)]
    assert learning_order(tools, ["c", "b", "a"]) == ["a", "b", "c"]


def test_a_prerequisite_comes_first_even_when_it_is_listed_later():
    tools = [tool("kubeflow", 1, requires=["docker"]), tool("docker", 2)]
    assert learning_order(tools, ["kubeflow", "docker"]) == ["docker", "kubeflow"]


def test_a_prerequisite_through_a_known_tool_still_orders_the_rest():
    # c needs b, b needs a; the person knows b, so only a and c are steps: a still comes first.
    tools = [tool("c", 1, requires=["b"]), tool("b", 2, requires=["a"]), tool("a", 3)]
    assert learning_order(tools, ["c", "a"]) == ["a", "c"]


def test_ties_among_free_tools_are_broken_by_order_after_a_prerequisite_is_placed():
    tools = [tool("x", 1, requires=["z"]), tool("y", 2), tool("z", 3)]
    assert learning_order(tools, ["x", "y", "z"]) == ["y", "z", "x"]


def test_a_cycle_loses_no_step():
    tools = [tool("a", 1, requires=["b"]), tool("b", 2, requires=["a"])]
    assert sorted(learning_order(tools, ["a", "b"])) == ["a", "b"]


@st.composite
def tool_graphs(draw):
    """Tools with random prerequisites that only point at earlier-made tools (so acyclic, as
    editors are made to keep them), shuffled orders, and a random subset still to learn."""
    count = draw(st.integers(min_value=1, max_value=12))
    keys = [f"t{index}" for index in range(count)]
    orders = draw(st.permutations(range(count)))
    tools = []
    for index, key in enumerate(keys):
        requires = draw(st.sets(st.sampled_from(keys[:index]), max_size=3)) if index else set()
        tools.append(tool(key, orders[index], hours=draw(st.integers(1, 80)), requires=requires))
    chosen = draw(st.sets(st.sampled_from(keys)))
    return tools, chosen


# No per-example deadline: on a busy shared machine one example can take longer than 200 ms.
@settings(deadline=None)
@given(tool_graphs())
def test_every_plan_respects_every_prerequisite(graph):
    tools, chosen = graph
    order = learning_order(tools, chosen)
    assert sorted(order) == sorted(chosen)
    position = {key: index for index, key in enumerate(order)}
    requires = {item.key: item.prerequisites for item in tools}
    for key in order:
        for needed in all_prerequisites(requires, key):
            if needed in position:
                assert position[needed] < position[key], (needed, key, order)


@settings(deadline=None)
@given(tool_graphs(), st.integers(1, 60))
def test_every_plan_dates_its_steps_one_after_another(graph, pace):
    tools, _ = graph
    outline = build(tools, pace=pace)
    previous_due = MONDAY
    for step in outline.steps:
        assert step.starts == previous_due
        assert step.due == step.starts + timedelta(days=days_for(step.hours, pace))
        previous_due = step.due
    assert outline.finish == (outline.steps[-1].due if outline.steps else None)


# Hours ---------------------------------------------------------------------------------------


def test_hours_shrink_for_what_the_person_already_knows():
    assert personal_hours(40, 0) == 40
    assert personal_hours(40, 1) == 30
    assert personal_hours(40, 2) == 20
    assert personal_hours(3, 2) == 2  # rounded up
    assert personal_hours(1, 2) == 1  # never zero


def test_days_are_whole_and_at_least_one():
    assert days_for(10, 10) == 7
    assert days_for(1, 60) == 1
    assert days_for(11, 10) == 8


# Which tools are steps -----------------------------------------------------------------------


def test_tools_rated_3_or_more_are_left_out_and_unrated_tools_are_in():
    tools = [tool("a", 1), tool("b", 2), tool("c", 3), tool("d", 4)]
    outline = build(tools, ratings={"a": 3, "b": 4, "c": 2})
    assert [step.tool for step in outline.steps] == ["c", "d"]


def test_a_status_already_set_keeps_its_step_after_a_higher_rating():
    tools = [tool("a", 1), tool("b", 2)]
    states = {"a": StepState(status=DONE, done_on=MONDAY, hours_done=10)}
    outline = build(tools, ratings={"a": 4, "b": 4}, states=states)
    assert [(step.tool, step.status) for step in outline.steps] == [("a", DONE)]


# Dates and progress --------------------------------------------------------------------------


def test_a_fresh_plan_is_dated_from_its_start_at_the_persons_pace():
    tools = [tool("a", 1, hours=10), tool("b", 2, hours=20)]
    outline = build(tools, pace=10)
    a, b = outline.steps
    assert (a.starts, a.due) == (MONDAY, MONDAY + timedelta(days=7))
    assert (b.starts, b.due) == (a.due, a.due + timedelta(days=14))
    assert outline.finish == b.due
    assert (outline.hours_total, outline.hours_done, outline.percent_done) == (30, 0, 0)


def test_a_faster_pace_brings_the_finish_closer():
    tools = [tool("a", 1, hours=30), tool("b", 2, hours=30)]
    slow, fast = build(tools, pace=5), build(tools, pace=20)
    assert fast.finish < slow.finish


def test_a_step_done_early_pulls_the_rest_forward():
    tools = [tool("a", 1, hours=20), tool("b", 2, hours=10)]
    planned = build(tools, pace=10)
    early = MONDAY + timedelta(days=3)
    states = {"a": StepState(status=DONE, started_on=MONDAY, done_on=early, hours_done=20)}
    outline = build(tools, pace=10, states=states, today=early)
    assert outline.steps[1].starts == early
    assert outline.finish < planned.finish
    assert (outline.hours_done, outline.percent_done, outline.steps_done) == (20, 66, 1)


def test_a_late_step_is_due_today_and_pushes_the_rest_back():
    tools = [tool("a", 1, hours=10), tool("b", 2, hours=10)]
    today = MONDAY + timedelta(days=20)  # a was due on day 7
    outline = build(tools, pace=10, states={"a": StepState(status=IN_PROGRESS)}, today=today)
    a, b = outline.steps
    assert a.late and a.due == today
    assert not b.late and b.starts == today and b.due == today + timedelta(days=7)


def test_skipped_steps_keep_their_place_without_dates_or_hours():
    tools = [tool("a", 1, hours=10), tool("b", 2, hours=10)]
    outline = build(tools, states={"a": StepState(status=SKIPPED)})
    a, b = outline.steps
    assert (a.status, a.starts, a.due) == (SKIPPED, None, None)
    assert b.starts == MONDAY
    assert outline.hours_total == 10


def test_done_hours_stay_as_counted_when_the_estimate_changes_later():
    states = {"a": StepState(status=DONE, done_on=MONDAY, hours_done=12)}
    outline = build([tool("a", 1, hours=99), tool("b", 2, hours=99)], states=states)
    assert outline.steps[0].hours == 12
    assert outline.hours_done == 12
    assert outline.steps[1].hours == 99


def test_a_plan_with_every_step_done_finishes_on_the_last_day_done():
    later = MONDAY + timedelta(days=9)
    states = {
        "a": StepState(status=DONE, done_on=MONDAY, hours_done=5),
        "b": StepState(status=DONE, done_on=later, hours_done=5),
    }
    outline = build([tool("a", 1), tool("b", 2)], states=states, today=later)
    assert outline.finish == later
    assert outline.percent_done == 100


def test_a_plan_with_nothing_to_learn_is_empty():
    outline = build([tool("a", 1)], ratings={"a": 4})
    assert (outline.steps, outline.finish, outline.hours_total, outline.percent_done) == (
        [],
        None,
        0,
        0,
    )


def test_statuses_to_do_and_in_progress_are_both_dated():
    outline = build([tool("a", 1), tool("b", 2)], states={"b": StepState(status=IN_PROGRESS)})
    assert [step.status for step in outline.steps] == [TO_DO, IN_PROGRESS]
    assert all(step.due for step in outline.steps)


# The chart of hours done over time -----------------------------------------------------------


def test_hours_done_over_time_adds_up_per_day_and_takes_back_an_undone_step():
    day1, day2, day3 = MONDAY, MONDAY + timedelta(days=1), MONDAY + timedelta(days=5)
    changes = [
        (day1, "a", 10),
        (day1, "b", 5),
        (day2, "a", 0),  # a went back to "in progress"
        (day3, "a", 10),
        (day3, "c", 7),
    ]
    assert hours_done_over_time(changes) == [(day1, 15), (day2, 5), (day3, 22)]


def test_hours_done_over_time_is_empty_without_changes():
    assert hours_done_over_time([]) == []


# The graph helpers ---------------------------------------------------------------------------


def test_find_cycle_names_the_tools_in_order():
    assert find_cycle({"a": ["b"], "b": ["c"], "c": ["a"]}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": ["a"]}) == ["a", "a"]
    assert find_cycle({"a": ["b"], "b": [], "c": ["a", "b"]}) is None


def test_all_prerequisites_follows_chains_and_tolerates_cycles():
    requires = {"a": ["b"], "b": ["c"], "c": ["a"], "d": []}
    assert all_prerequisites(requires, "a") == {"b", "c"}
    assert all_prerequisites(requires, "d") == set()


pytestmark = pytest.mark.django_db


# Order --------------------------------------------------------------------------------------


def test_a_prerequisite_through_a_tool_of_no_role_still_comes_first(client, db):
    # Serving (first in the role's order) needs Kubernetes, in no role of ours, which needs
    # Containers (last in the role's order): Containers must come before Serving.
    role = factories.RoleFactory(slug="platform")
    containers = factories.ToolFactory(slug="containers", order=9, roles=[role])
    kubernetes = factories.ToolFactory(slug="kubernetes", order=5, prerequisites=[containers])
    factories.ToolFactory(slug="serving", order=1, roles=[role], prerequisites=[kubernetes])

    client.post("/plan/", {"role": "platform"})
    steps = [item.tool.slug for item in client.get("/plan/").context["plan"].steps]

    assert steps == ["containers", "serving"]


def test_the_pure_planner_takes_the_tools_that_link_the_roles_ones():
    tools = [
        planning.ToolFacts("serving", 1, 10, ("kubernetes",)),
        planning.ToolFacts("containers", 9, 10),
    ]
    links = [planning.ToolFacts("kubernetes", 5, 10, ("containers",))]

    outline = planning.plan_build(
        tools=tools,
        ratings={},
        states={},
        hours_per_week=5,
        started_on=date(2026, 1, 5),
        today=date(2026, 1, 5),
        links=links,
    )

    assert [step.tool for step in outline.steps] == ["containers", "serving"]
