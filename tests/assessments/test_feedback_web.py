""" "Does this feel right?" on a result page: the person's feedback, set, changed and taken back,
and shown to nobody else."""

import re
import uuid

import pytest
from django.test import Client

from assessments.models import ResultFeedback
from assessments.services.feedback import feedback_set
from tests.assessments.helpers import html_of, submit, text_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


# Does this feel right? -----------------------------------------------------------------------


def feedback_url(assessment) -> str:
    return f"{assessment.get_absolute_url()}feedback/"


def test_the_owner_answers_changes_and_removes_their_feedback(owner_web, mine_mlops):
    form = owner_web.get(mine_mlops.get_absolute_url())
    html = html_of(form)
    assert "Does this feel right?" in html
    assert "<legend" in html and 'name="feels_right" value="yes"' in html
    # No maxlength: a browser would count UTF-16 units, the server counts what people see.
    assert 'data-max="500"' in html and "500</span> left" in html and "maxlength" not in html

    saved = owner_web.post(
        feedback_url(mine_mlops), {"feels_right": "yes", "comment": " Spot on. "}
    )
    assert saved.status_code == 302 and saved.url == mine_mlops.get_absolute_url()
    feedback = ResultFeedback.objects.get(assessment=mine_mlops)
    assert (feedback.feels_right, feedback.comment) == (True, "Spot on.")
    page = owner_web.get(mine_mlops.get_absolute_url())
    text = text_of(page)
    assert "Thank you: your answer is saved." in text
    assert "You said: yes, MLOps engineer on top feels right" in text
    assert "Spot on." in text and "Change my answer" in text and "Remove my answer" in text
    assert "492</span> left" in html_of(page)  # the change form holds the comment

    changed = owner_web.post(feedback_url(mine_mlops), {"feels_right": "no", "comment": ""})
    assert changed.status_code == 302
    feedback.refresh_from_db()
    assert (feedback.feels_right, feedback.comment) == (False, "")
    assert "You said: not really" in text_of(owner_web.get(mine_mlops.get_absolute_url()))

    removed = owner_web.post(f"{feedback_url(mine_mlops)}delete/")
    assert removed.status_code == 302 and removed.url == mine_mlops.get_absolute_url()
    assert not ResultFeedback.objects.exists()
    after = text_of(owner_web.get(mine_mlops.get_absolute_url()))
    assert "Your answer was removed." in after and "You said" not in after


@pytest.mark.parametrize(
    ("data", "field_id", "message"),
    [
        ({}, "feels-right-error", "Say yes or not really."),
        ({"feels_right": "maybe"}, "feels-right-error", "Say yes or not really."),
        (
            {"feels_right": "yes", "comment": "x" * 501},
            "feedback-comment-error",
            "Keep the comment",
        ),
        ({"feels_right": "no", "comment": "a\x00b"}, "feedback-comment-error", "a character"),
    ],
    ids=["nothing", "not-a-choice", "too-long", "null-character"],
)
def test_bad_feedback_shows_the_result_again_with_the_message_at_its_field(
    owner_web, mine_mlops, data, field_id, message
):
    response = owner_web.post(feedback_url(mine_mlops), data)

    assert response.status_code == 400
    html = html_of(response)
    assert re.search(rf'id="{field_id}">[^<]*{re.escape(message)}', html), html
    assert 'aria-invalid="true"' in html
    assert "Your result: MLOps engineer" in html
    assert not ResultFeedback.objects.exists()


def test_a_refused_change_keeps_the_answer_and_opens_the_form(owner_web, mine_mlops, owner):
    feedback_set(assessment_id=mine_mlops.pk, user=owner, feels_right=True, comment="Mine")

    response = owner_web.post(feedback_url(mine_mlops), {"feels_right": "no", "comment": "y" * 600})

    assert response.status_code == 400
    assert '<details class="feedback-change mb-2" open>' in html_of(response)
    feedback = ResultFeedback.objects.get()
    assert (feedback.feels_right, feedback.comment) == (True, "Mine")


def test_line_breaks_count_as_one_character_as_the_browser_counts_them(owner_web, mine_mlops):
    comment = "\r\n".join(["x" * 9] * 50)  # 500 characters with "\n", 549 as sent

    assert (
        owner_web.post(
            feedback_url(mine_mlops), {"feels_right": "yes", "comment": comment}
        ).status_code
        == 302
    )
    assert ResultFeedback.objects.get().comment == comment.replace("\r\n", "\n")


def test_someone_elses_result_is_not_found_for_feedback(version, mine_mlops, owner):
    feedback_set(assessment_id=mine_mlops.pk, user=owner, feels_right=True, comment="Mine")
    stranger = Client()
    stranger.force_login(UserFactory())

    for web in (stranger, Client()):
        assert web.post(feedback_url(mine_mlops), {"feels_right": "no"}).status_code == 404
        assert web.post(f"{feedback_url(mine_mlops)}delete/").status_code == 404
        assert web.get(mine_mlops.get_absolute_url()).status_code == 404
    missing = f"/assessment/result/{uuid.uuid4()}/feedback/"
    assert stranger.post(missing, {"feels_right": "no"}).status_code == 404
    feedback = ResultFeedback.objects.get()
    assert (feedback.feels_right, feedback.comment) == (True, "Mine")


def test_feedback_is_posted_only(owner_web, mine_mlops):
    assert owner_web.get(feedback_url(mine_mlops)).status_code == 405
    assert owner_web.get(f"{feedback_url(mine_mlops)}delete/").status_code == 405


def test_a_comment_is_shown_to_its_author_only(client, version, mine_mlops, owner, settings):
    settings.PEERS_MIN_RESULTS = 1
    secret = "I secretly prefer spreadsheets"
    feedback_set(assessment_id=mine_mlops.pk, user=owner, feels_right=False, comment=secret)
    author = Client()
    author.force_login(owner)
    assert secret in html_of(author.get(mine_mlops.get_absolute_url()))

    someone = UserFactory()
    theirs = submit(version, someone)
    other = Client()
    other.force_login(someone)
    for response in (
        other.get(theirs.get_absolute_url()),
        other.get(mine_mlops.get_absolute_url()),
        client.get("/methodology/"),
        other.get("/methodology/"),
        author.get("/methodology/"),
    ):
        assert secret not in html_of(response)
