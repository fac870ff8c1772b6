"""The methodology's figures have one presenter (selectors.figures): the page, the API and the
editors' admin ("how people received it") show the same numbers under the same rules."""

import re
import uuid

import pytest

from assessments.selectors.figures import version_figures_get
from assessments.services.assessment import assessment_submit
from assessments.services.feedback import feedback_set
from quizzes import authoring
from tests.factories import UserFactory
from tests.helpers import answers_leaning_to

pytestmark = pytest.mark.django_db


def _kept_with_feedback(version, feels_right: bool, lean_to=("mlops-engineer",)):
    person = UserFactory()
    assessment, _ = assessment_submit(
        version=version,
        answers=answers_leaning_to(version, list(lean_to)).items(),
        client_id=uuid.uuid4(),
        user=person,
    )
    feedback_set(assessment_id=assessment.pk, user=person, feels_right=feels_right)
    return assessment


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_the_admin_page_api_and_methodology_page_show_the_same_figures(
    editor_client, client, api, version, settings
):
    settings.PEERS_MIN_RESULTS = 5
    for feels_right in [True] * 10 + [False] * 5:
        _kept_with_feedback(version, feels_right)
    figures = version_figures_get(version_id=version.pk)
    assert (figures.results, figures.answers, figures.feels_right) == (15, 15, 10)
    assert figures.feels_right_percent == 67
    # Every result so far leans clearly: the close-call side has too few answers to split.
    assert figures.clear.feels_right_percent is None and not figures.split_shown

    admin = _text(
        editor_client.get(f"/admin/quizzes/quizversion/{version.pk}/change/").content.decode()
    )
    assert "About 15 people have kept a result." in admin
    assert "All 15 10 (67%)" in admin
    assert "The split by clear lean and close call appears once each has enough answers." in admin
    assert "With a clear lean" not in admin

    page = _text(client.get("/methodology/").content.decode())
    assert "All 15 10 (67%)" in page
    (shown,) = [
        row
        for row in api.get("/api/v1/methodology/").json()["versions"]
        if row["version"] == version.pk
    ]
    assert (shown["results"], shown["answers"], shown["feels_right_percent"]) == (15, 15, 67)
    assert shown["clear"] == {"answers": None, "feels_right_percent": None}


def test_the_admin_says_how_many_answers_are_still_needed_and_nothing_for_a_draft(
    editor_client, version, settings
):
    settings.PEERS_MIN_RESULTS = 3
    _kept_with_feedback(version, True)

    admin = _text(
        editor_client.get(f"/admin/quizzes/quizversion/{version.pk}/change/").content.decode()
    )
    assert (
        "Fewer than 5 people have kept a result. At most 5 more answers to “does this feel "
        "right?” needed" in admin
    )

    draft = authoring.version_copy_as_draft(version=version)
    page = _text(
        editor_client.get(f"/admin/quizzes/quizversion/{draft.pk}/change/").content.decode()
    )
    assert "A draft: nobody can take it yet, so there are no figures." in page
