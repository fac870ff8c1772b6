"""The plan API's self-check: GET and PUT skills/."""

import pytest

from plans.models import Plan, SkillRating
from tests.factories import (
    SkillRatingFactory,
    UserFactory,
)
from tests.helpers import problem_fields, problem_messages
from tests.plans.helpers import TODAY

pytestmark = pytest.mark.django_db


def test_put_sets_the_levels_listed_and_keeps_the_others(person_api, person, site_content):
    first = person_api.put(
        "/api/v1/skills/",
        {"ratings": [{"tool": "kafka", "level": 4}, {"tool": "docker", "level": 2}]},
        format="json",
    )
    again = person_api.put(
        "/api/v1/skills/", {"ratings": [{"tool": "docker", "level": 3}]}, format="json"
    )

    assert first.status_code == again.status_code == 200
    # Catalog order, every rated tool, the one left out kept.
    assert again.json()["ratings"] == [
        {"tool": "docker", "level": 3},
        {"tool": "kafka", "level": 4},
    ]
    assert again.json()["updated"] is not None
    assert person_api.get("/api/v1/skills/").json() == again.json()
    assert SkillRating.objects.filter(user=person).count() == 2


def test_an_empty_list_changes_nothing(person_api, person, site_content):
    SkillRatingFactory(user=person, tool=site_content.tools["spark"], level=1)

    response = person_api.put("/api/v1/skills/", {"ratings": []}, format="json")

    assert response.status_code == 200
    assert response.json()["ratings"] == [{"tool": "spark", "level": 1}]


def test_someone_elses_ratings_are_never_shown_or_changed(person_api, site_content):
    stranger = UserFactory()
    SkillRatingFactory(user=stranger, tool=site_content.tools["docker"], level=4)

    assert person_api.get("/api/v1/skills/").json()["ratings"] == []
    person_api.put("/api/v1/skills/", {"ratings": [{"tool": "docker", "level": 1}]}, format="json")
    assert SkillRating.objects.get(user=stranger).level == 4


GOOD = {"tool": "docker", "level": 2}


@pytest.mark.parametrize(
    ("ratings", "says"),
    [
        ([GOOD, {"tool": "kafka", "level": 5}], "Entry 2: the level of kafka must be from 0 to 4"),
        ([GOOD, {"tool": "kafka", "level": -1}], "Entry 2: the level of kafka must be from 0 to 4"),
        ([GOOD, {"tool": "kafka", "level": "3"}], "Entry 2: the level of kafka must be a whole"),
        ([GOOD, {"tool": "kafka", "level": 2.5}], "Entry 2: the level of kafka must be a whole"),
        ([GOOD, {"tool": "kafka", "level": True}], "Entry 2: the level of kafka must be a whole"),
        ([GOOD, {"tool": "kafka", "level": None}], "Entry 2: the level of kafka must be a whole"),
        ([GOOD, {"tool": "cobol", "level": 1}], "Entry 2: 'cobol' is not a tool in the catalog"),
        ([GOOD, {"tool": 7, "level": 1}], "Entry 2: '7' is not a tool in the catalog"),
        ([GOOD, {"tool": "docker", "level": 1}], "Entry 2: docker is rated more than once"),
        ([GOOD, {"tool": "kafka"}], "Entry 2: send an object with a tool and a level"),
        ([GOOD, ["kafka", 1]], "Entry 2: send an object with a tool and a level"),
        ([GOOD, 3], "Entry 2: send an object with a tool and a level"),
        ("docker", "Send a list of ratings"),
        ({"docker": 2}, "Send a list of ratings"),
        (None, "Send a list of ratings"),
        ([GOOD] * 201, "at most 200 ratings"),
    ],
)
def test_a_bad_rating_is_a_400_naming_it_and_nothing_is_saved(
    person_api, person, site_content, ratings, says
):
    SkillRatingFactory(user=person, tool=site_content.tools["docker"], level=0)

    response = person_api.put("/api/v1/skills/", {"ratings": ratings}, format="json")

    assert response.status_code == 400
    assert list(problem_fields(response)) == ["ratings"]
    assert any(says in message for message in problem_messages(response)["ratings"]), (
        response.json()
    )
    assert list(SkillRating.objects.filter(user=person).values_list("tool__slug", "level")) == [
        ("docker", 0)
    ]


def test_every_bad_entry_is_named_at_once(person_api, site_content):
    response = person_api.put(
        "/api/v1/skills/",
        {"ratings": [{"tool": "nope", "level": 1}, GOOD, {"tool": "kafka", "level": 9}]},
        format="json",
    )

    messages = problem_messages(response)["ratings"]
    assert [message.split(":")[0] for message in messages] == ["Entry 1", "Entry 3"]


@pytest.mark.parametrize("body", [[GOOD], "ratings", {}])
def test_a_body_that_is_not_an_object_with_ratings_is_a_400(person_api, site_content, body):
    response = person_api.put("/api/v1/skills/", body, format="json")

    assert response.status_code == 400
    assert not SkillRating.objects.exists()


# --- the plan ------------------------------------------------------------------------------


def test_with_no_result_and_no_plan_there_is_nothing_to_plan(person_api, site_content, today):
    body = person_api.get("/api/v1/plan/").json()

    assert body == {
        "saved": False,
        "role": None,
        "role_name": None,
        "hours_per_week": 5,
        "started": TODAY.isoformat(),
        "finish": None,
        "hours_total": 0,
        "hours_done": 0,
        "percent_done": 0,
        "steps_done": 0,
        "steps": [],
    }
    assert not Plan.objects.exists()
