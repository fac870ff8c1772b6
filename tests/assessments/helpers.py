"""Helpers of the tests of people's results: submitting, sharing, re-scoring, figures."""

import re
import uuid

from assessments.models import ShareLink
from assessments.selectors.rescoring import version_keys
from assessments.services.assessment import assessment_submit
from assessments.services.sharing import share_create
from quizzes.models import Question
from tests.factories import UserFactory
from tests.helpers import answers_leaning_to, committed

MLOPS, DATA = "mlops-engineer", "data-engineer"


def share(assessment, *, show_name=False) -> ShareLink:
    return share_create(assessment_id=assessment.pk, user=assessment.user, show_name=show_name)


def submit(version, person=None, lean_to=(MLOPS,)):
    """A result of the person's (anonymous without one), leaning to the roles given, committed
    as far as the figures' version is concerned."""
    with committed():
        assessment, _ = assessment_submit(
            version=version,
            answers=answers_leaning_to(version, list(lean_to)).items(),
            client_id=uuid.uuid4(),
            user=person,
        )
    return assessment


def html_of(response) -> str:
    return response.content.decode()


def text_of(response) -> str:
    """The page's words, tags and runs of white space taken out."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html_of(response)))


def rescore_page_url(assessment) -> str:
    return f"/assessment/result/{assessment.pk}/rescore/"


def new_question(version, key) -> Question:
    return Question.objects.get(version=version, key=key)


def new_choice_id(version, key, choice_key="for-data-engineer") -> int:
    return new_question(version, key).choices.get(key=choice_key).pk


def new_field(version, key) -> str:
    return f"question_{new_question(version, key).pk}"


def compare_data(version, *, cloud="for-data-engineer", dashboards="for-data-engineer"):
    data = {"version": version.pk, "action": "compare"}
    for key, choice in (("cloud", cloud), ("dashboards", dashboards)):
        if choice is not None:
            data[new_field(version, key)] = new_choice_id(version, key, choice)
    return data


def hidden_fields(response) -> dict[str, str]:
    """The hidden fields of the comparison's save form, as the browser sends them back."""
    form = response.content.decode().split('class="rescore-save"')[1].split("</form>")[0]
    return dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', form))


def save_data(comparison) -> dict[str, str]:
    return {**hidden_fields(comparison), "action": "save"}


NEW_KEYS = ["cloud", "dashboards"]


def rescore_url(assessment_id):
    return f"/api/v1/assessments/{assessment_id}/rescore/"


def new_answers(version_two, choice_key="for-data-engineer", keys=NEW_KEYS):
    ids = version_keys(version=version_two)
    return [
        {"question": ids.question_ids[key], "choice": ids.choice_ids[key][choice_key]}
        for key in keys
    ]


def others_submit(version, count, lean_to=(MLOPS,)):
    return [submit(version, UserFactory(), lean_to) for _ in range(count)]


def detail(client, assessment):
    response = client.get(f"/api/v1/assessments/{assessment.pk}/")
    assert response.status_code == 200, response.content
    return response.json()
