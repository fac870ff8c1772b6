"""The self-check as a web page: /plan/skills/."""

import re

import pytest

from plans import planning
from plans.models import Plan, SkillRating
from tests import factories
from tests.plans.helpers import MLOPS_TOOLS, all_levels

pytestmark = pytest.mark.django_db


def _levels(**levels) -> dict[str, int]:
    return {f"level-{slug}": level for slug, level in levels.items()}


# The self-check ---------------------------------------------------------------------------


def test_the_self_check_shows_each_tool_of_the_role_with_five_plain_levels(client, site_content):
    response = client.get("/plan/skills/?role=mlops-engineer")

    assert response.status_code == 200
    html = response.content.decode()
    assert [tool.slug for tool, _ in response.context["form"].rows()] == MLOPS_TOOLS
    assert html.count("<fieldset") == len(MLOPS_TOOLS)
    assert "<legend" in html and "Packages a model and everything it needs" in html
    for meaning in planning.LEVELS.values():
        assert html.count(meaning) == len(MLOPS_TOOLS)
    assert html.count('type="radio"') == 5 * len(MLOPS_TOOLS)
    assert "no-store" in response["Cache-Control"]


def test_the_self_check_of_every_tool_lists_the_whole_catalog(client, site_content):
    response = client.get("/plan/skills/?all=1")

    assert response.status_code == 200
    assert len(response.context["form"].rows()) == len(site_content.tools)


def test_the_self_check_is_prefilled_with_the_latest_ratings(signed_in, person, site_content):
    factories.SkillRatingFactory(user=person, tool=site_content.tools["docker"], level=3)

    html = signed_in.get("/plan/skills/?role=mlops-engineer").content.decode()

    checked = re.findall(r'name="level-docker" value="(\d)"[^>]*checked', html)
    assert checked == ["3"]


def test_an_unknown_role_is_not_found(client, site_content):
    assert client.get("/plan/skills/?role=astronaut").status_code == 404


def test_a_role_with_no_tools_says_so_with_a_400(client, site_content):
    factories.RoleFactory(name="Data steward", slug="data-steward")

    response = client.get("/plan/skills/?role=data-steward")

    assert response.status_code == 400
    assert "Data steward has no tools to plan yet." in response.content.decode()


def test_saving_the_self_check_signed_in_keeps_ratings_and_sets_the_role(
    signed_in, person, site_content
):
    response = signed_in.post(
        "/plan/skills/?role=mlops-engineer", {**all_levels(MLOPS_TOOLS, 1), "level-docker": 4}
    )

    assert response.status_code == 302 and response.url == "/plan/"
    levels = dict(SkillRating.objects.filter(user=person).values_list("tool__slug", "level"))
    assert levels == {**dict.fromkeys(MLOPS_TOOLS, 1), "docker": 4}
    assert Plan.objects.get(user=person).role == site_content.mlops


def test_retaking_the_self_check_replaces_the_levels(planned, person):
    planned.post("/plan/skills/?role=mlops-engineer", all_levels(MLOPS_TOOLS, 2))

    assert set(SkillRating.objects.filter(user=person).values_list("level", flat=True)) == {2}
    assert SkillRating.objects.filter(user=person).count() == len(MLOPS_TOOLS)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"level-docker": "7"}, "Choose one of the five levels, from 0 to 4."),
        ({"level-docker": "-1"}, "Choose one of the five levels, from 0 to 4."),
        ({"level-docker": "two"}, "Choose one of the five levels, from 0 to 4."),
        ({"level-docker": None}, "Choose how well you know Docker."),
        ({"level-nosuch": "2"}, "&#x27;nosuch&#x27; is not a tool in the catalog."),
        ({"level-mlflow": "9", "level-kafka": "9"}, "the level of kafka must be from 0 to 4"),
    ],
)
def test_bad_levels_are_refused_at_the_field_and_nothing_is_saved(
    signed_in, person, change, message
):
    data = {**all_levels(MLOPS_TOOLS, 1), **change}
    data = {name: value for name, value in data.items() if value is not None}

    response = signed_in.post("/plan/skills/?role=mlops-engineer", data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SkillRating.objects.filter(user=person).exists()
    assert not Plan.objects.filter(user=person).exists()


def test_the_error_is_shown_at_the_tools_fieldset(signed_in):
    data = {**all_levels(MLOPS_TOOLS, 1)}
    del data["level-kubeflow"]

    html = signed_in.post("/plan/skills/?role=mlops-engineer", data).content.decode()

    fieldset = re.search(r'<fieldset[^>]*id="tool-kubeflow"[^>]*>', html).group(0)
    assert 'aria-describedby="summary-kubeflow error-kubeflow"' in fieldset
    assert 'id="error-kubeflow">Choose how well you know Kubeflow.' in html


def test_a_posted_level_of_a_catalog_tool_outside_the_role_is_kept(signed_in, person):
    signed_in.post(
        "/plan/skills/?role=mlops-engineer", {**all_levels(MLOPS_TOOLS), "level-kafka": 2}
    )

    assert SkillRating.objects.get(user=person, tool__slug="kafka").level == 2


def test_the_self_check_of_a_plan_whose_role_lost_its_tools_offers_every_tool(
    client, person, site_content
):
    client.force_login(person)
    client.post("/plan/", {"role": "mlops-engineer"})
    site_content.mlops.tools.clear()

    response = client.get("/plan/skills/")  # the profile's and the plan's link: no ?role=

    # Before, a 400 for following a link (as if the person had asked for that role).
    assert response.status_code == 200
    assert len(response.context["form"].rows()) == len(site_content.tools)
