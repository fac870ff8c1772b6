"""What a learning plan needs from each tool, as editors set it in the admin and as the tool
API shows it: hours to a working level, milestones, and prerequisites that never go round in
a circle."""

import html

import pytest
from django.contrib.admin.models import CHANGE, LogEntry

from roles.models import Tool
from roles.prerequisites import prerequisite_cycle
from tests import factories
from tests.admin_client import field_errors, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_content")]

CYCLE_TWO = "Docker -> Kubeflow -> Docker"


def _tool(slug: str) -> Tool:
    return Tool.objects.get(slug=slug)


def _change_page(client, tool: Tool):
    page = client.get(f"/admin/roles/tool/{tool.pk}/change/")
    assert page.status_code == 200
    return page


def _save_prerequisites(client, tool: Tool, prerequisites: list[Tool], **changes):
    page = _change_page(client, tool)
    return submit(
        client,
        page,
        "tool_form",
        {"prerequisites": [str(other.pk) for other in prerequisites], **changes},
    )


def _page_text(response) -> str:
    return html.unescape(response.content.decode())


# Admin: prerequisites ------------------------------------------------------------------------


def test_an_editor_sets_hours_milestones_and_prerequisites(editor_client, editor):
    airflow = _tool("airflow")
    milestones = "Write a DAG of three tasks\nBackfill a week of runs\nAlert on a failed task"
    typed = (
        "  Write a DAG of three tasks\r\n\r\nBackfill a week of runs\r\nAlert on a failed task\r\n"
    )

    response = _save_prerequisites(
        editor_client,
        airflow,
        [_tool("docker"), _tool("spark")],
        hours_to_learn=30,
        milestones_en=typed,
    )

    assert response.status_code == 302
    airflow.refresh_from_db()
    assert airflow.hours_to_learn == 30
    assert airflow.milestones == milestones  # one a line, as fixtures hold them
    assert set(airflow.prerequisites.values_list("slug", flat=True)) == {"docker", "spark"}
    entry = LogEntry.objects.get(object_id=str(airflow.pk), action_flag=CHANGE)
    assert entry.user == editor and "Prerequisites" in entry.get_change_message()


def test_a_cycle_of_two_is_refused_and_named(editor_client):
    docker, kubeflow = _tool("docker"), _tool("kubeflow")  # Kubeflow already requires Docker

    response = _save_prerequisites(
        editor_client, docker, [kubeflow], summary="Should not be saved."
    )

    assert response.status_code == 200
    [error] = field_errors(response, "prerequisites")
    assert CYCLE_TWO in error
    assert CYCLE_TWO in _page_text(response)
    assert not docker.prerequisites.exists()
    assert _tool("docker").summary != "Should not be saved."


def test_a_cycle_of_three_is_refused_and_named_in_order(editor_client):
    docker, kubeflow, mlflow = _tool("docker"), _tool("kubeflow"), _tool("mlflow")
    mlflow.prerequisites.set([kubeflow])  # MLflow -> Kubeflow -> Docker

    response = _save_prerequisites(editor_client, docker, [mlflow])

    assert response.status_code == 200
    [error] = field_errors(response, "prerequisites")
    assert "Docker -> MLflow -> Kubeflow -> Docker" in error
    assert not docker.prerequisites.exists()


def test_a_cycle_is_judged_with_the_name_being_saved(editor_client):
    response = _save_prerequisites(
        editor_client, _tool("docker"), [_tool("kubeflow")], name="Docker Engine"
    )

    [error] = field_errors(response, "prerequisites")
    assert "Docker Engine -> Kubeflow -> Docker Engine" in error
    assert _tool("docker").name == "Docker"


def test_a_tool_cant_require_itself(editor_client):
    spark = _tool("spark")

    response = _save_prerequisites(editor_client, spark, [spark, _tool("kafka")])

    assert response.status_code == 200
    assert field_errors(response, "prerequisites") == [
        "A tool can't require itself: take Apache Spark out of its prerequisites."
    ]
    assert not spark.prerequisites.exists()


def test_a_chain_that_closes_no_circle_is_saved(editor_client):
    # Docker <- Kubeflow already; MLflow <- Kubeflow and MLflow <- Docker is a diamond, not a cycle.
    mlflow = _tool("mlflow")

    response = _save_prerequisites(editor_client, mlflow, [_tool("kubeflow"), _tool("docker")])

    assert response.status_code == 302
    assert set(mlflow.prerequisites.values_list("slug", flat=True)) == {"docker", "kubeflow"}


def test_removing_a_prerequisite_is_judged_on_the_graph_after_the_save(editor_client):
    # Kubeflow drops Docker and Docker takes Kubeflow: fine once Kubeflow's page is saved.
    kubeflow, docker = _tool("kubeflow"), _tool("docker")
    assert _save_prerequisites(editor_client, kubeflow, []).status_code == 302

    assert _save_prerequisites(editor_client, docker, [kubeflow]).status_code == 302
    assert list(docker.prerequisites.all()) == [kubeflow]


def test_a_new_tool_may_require_existing_ones(editor_client):
    page = editor_client.get("/admin/roles/tool/add/")
    docker = _tool("docker")

    response = submit(
        editor_client,
        page,
        "tool_form",
        {
            "name": "Kubernetes",
            "slug": "kubernetes",
            "category": docker.category_id,
            "roles": [str(role.pk) for role in docker.roles.all()],
            "summary_en": "Runs containers on a cluster.",
            "usage_en": "Deployments, services and jobs.",
            "hours_to_learn": 40,
            "milestones_en": "Deploy a service\nScale it\nRoll it back",
            "prerequisites": [str(docker.pk)],
        },
    )

    assert response.status_code == 302
    assert list(_tool("kubernetes").prerequisites.all()) == [docker]


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("hours_to_learn", "0", "Ensure this value is greater than or equal to 1."),
        ("hours_to_learn", "401", "Ensure this value is less than or equal to 400."),
        ("hours_to_learn", "a lot", "Enter a whole number."),
        ("milestones_en", "Only one", "Write 3 to 6 milestones, one per line (1 given)."),
        (
            "milestones_en",
            "a\nb\nc\nd\ne\nf\ng",
            "Write 3 to 6 milestones, one per line (7 given).",
        ),
        ("milestones_en", f"a\nb\n{'x' * 161}", "Milestone 3 is longer than 160 characters."),
    ],
)
def test_bad_hours_or_milestones_show_the_error_at_the_field(editor_client, field, value, error):
    spark = _tool("spark")

    response = submit(
        editor_client,
        _change_page(editor_client, spark),
        "tool_form",
        {field: value, "summary_en": "Should not be saved."},
    )

    assert response.status_code == 200
    assert field_errors(response, field) == [error]
    assert _tool("spark").summary != "Should not be saved."


def test_the_change_page_shows_which_tools_require_it(editor_client):
    docker = _tool("docker")
    _tool("mlflow").prerequisites.add(docker)

    page = _page_text(_change_page(editor_client, docker))

    assert "Required by" in page
    for slug in ("kubeflow", "mlflow"):
        other = _tool(slug)
        assert f'<a href="/admin/roles/tool/{other.pk}/change/">{other.name}</a>' in page
    assert "No tool requires it." in _page_text(_change_page(editor_client, _tool("kafka")))
    assert "No tool requires it yet." in _page_text(editor_client.get("/admin/roles/tool/add/"))


def test_the_change_page_reads_required_by_in_one_query(
    editor_client, django_assert_max_num_queries
):
    docker = _tool("docker")
    for tool in factories.ToolFactory.create_batch(30):
        tool.prerequisites.add(docker)
    _change_page(editor_client, docker)  # the session and the like, once

    with django_assert_max_num_queries(20) as few:
        _change_page(editor_client, docker)
    for tool in factories.ToolFactory.create_batch(30):
        tool.prerequisites.add(docker)
    with django_assert_max_num_queries(len(few)) as many:
        _change_page(editor_client, docker)
    assert len(many) == len(few)


def test_prerequisite_cycle_reads_the_saved_graph():
    assert prerequisite_cycle() is None
    _tool("docker").prerequisites.add(_tool("kubeflow"))
    assert prerequisite_cycle() == ["Docker", "Kubeflow", "Docker"]


# API ---------------------------------------------------------------------------------------


def test_tool_detail_has_hours_milestones_and_prerequisites(api):
    mlflow = _tool("mlflow")
    mlflow.prerequisites.set([_tool("kubeflow"), _tool("docker")])

    body = api.get("/api/v1/tools/mlflow/").json()

    assert body["hours_to_learn"] == mlflow.hours_to_learn
    assert body["milestones"] == mlflow.milestone_list and len(body["milestones"]) == 3
    assert body["prerequisites"] == ["docker", "kubeflow"]  # in catalog order
    assert api.get("/api/v1/tools/docker/").json()["prerequisites"] == []


def test_tool_detail_shows_a_new_prerequisite_at_once(api):
    assert api.get("/api/v1/tools/spark/").json()["prerequisites"] == []  # now cached

    _tool("spark").prerequisites.add(_tool("kafka"))

    assert api.get("/api/v1/tools/spark/").json()["prerequisites"] == ["kafka"]


def test_the_tool_list_stays_a_summary(api):
    tool = api.get("/api/v1/tools/").json()["results"][0]
    assert not {"hours_to_learn", "milestones", "prerequisites"} & set(tool)


@pytest.mark.parametrize("prerequisite_count", [1, 60])
def test_tool_detail_runs_a_fixed_number_of_queries(
    api, django_assert_num_queries, prerequisite_count
):
    tool = _tool("spark")
    tool.prerequisites.set(factories.ToolFactory.create_batch(prerequisite_count))
    tool.roles.set(factories.RoleFactory.create_batch(prerequisite_count))

    # the tool with its category, its roles, its prerequisites
    with django_assert_num_queries(3):
        response = api.get("/api/v1/tools/spark/")
    assert response.status_code == 200
    assert len(response.json()["prerequisites"]) == prerequisite_count


def test_the_schema_describes_the_new_fields(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    tool = schema["components"]["schemas"]["Tool"]["properties"]

    assert tool["hours_to_learn"]["type"] == "integer"
    assert tool["milestones"]["type"] == "array"
    assert tool["milestones"]["items"] == {"type": "string"}
    assert tool["prerequisites"]["type"] == "array"
    assert tool["prerequisites"]["items"]["type"] == "string"
