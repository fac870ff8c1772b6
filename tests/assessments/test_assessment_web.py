import uuid

import pytest
from django.test import Client

from assessments.answers import InvalidAnswers
from assessments.models import Assessment, AssessmentProgress
from assessments.services.assessment import assessment_submit
from assessments.views.attempt import QUESTIONS_PER_PAGE
from quizzes.models import Question
from tests.factories import TEST_PASSWORD, UserFactory
from tests.helpers import answers_leaning_to, take_assessment

pytestmark = pytest.mark.django_db

MLOPS = "mlops-engineer"
DATA = "data-engineer"


def _result(response):
    assert response.status_code == 302, response.content.decode()[:2000]
    return response.url


def _last_step(version) -> int:
    """The number of the assessment's last page."""
    return -(-version.questions.count() // QUESTIONS_PER_PAGE)


def test_anyone_can_take_it_and_see_an_explained_result(client, site_content, version):
    first_tool = site_content.mlops.tools.order_by("order", "name")[0]

    url = _result(take_assessment(client, answers_leaning_to(version, [MLOPS])))

    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert [(s.role.slug, s.percent) for s in response.context["scores"]] == [
        (MLOPS, 100),
        (DATA, 0),
    ]
    assert "Your result: MLOps engineer" in html
    assert "A clear lean" in html
    assert len(response.context["reasons"]) == 3
    assert next(tool.name for tool in response.context["tools"]) == first_tool.name
    assert 'aria-label="MLOps engineer: 100% fit"' in html
    assert "Sign up" in html and "Keep this result" in html


def test_the_quiz_is_balanced(client, version):
    all_data = _result(take_assessment(client, answers_leaning_to(version, [DATA])))
    mixed = _result(take_assessment(client, answers_leaning_to(version, [MLOPS, DATA])))

    data_scores = client.get(all_data).context["scores"]
    assert [(s.role.slug, s.percent) for s in data_scores] == [(DATA, 100), (MLOPS, 0)]
    mixed_response = client.get(mixed)
    percents = [score.percent for score in mixed_response.context["scores"]]
    assert all(40 <= percent <= 60 for percent in percents)
    assert "a close call" in mixed_response.content.decode().lower()


def test_progress_shows_where_the_person_is(client, version):
    assert _last_step(version) >= 3
    response = client.get("/assessment/step/2/", follow=True)
    assert response.redirect_chain == [("/assessment/step/1/", 302)]
    html = response.content.decode()
    assert f"questions 1–{QUESTIONS_PER_PAGE} of {version.questions.count()}" in html
    assert 'aria-valuenow="0"' in html


def test_answers_are_kept_between_pages_and_through_back(client, version):
    answers = answers_leaning_to(version, [DATA])
    first_page = client.get("/assessment/step/1/").context["form"]
    data = {
        "version": version.pk,
        "client_id": first_page["client_id"].value(),
        "action": "next",
    }
    for question in first_page.questions:
        data[first_page.field_name(question)] = answers[question.pk]
    assert client.post("/assessment/step/1/", data).url == "/assessment/step/2/"

    # On page 2, answer one question and go back: both pages keep their answers.
    second_page = client.get("/assessment/step/2/").context["form"]
    question = second_page.questions[0]
    client.post(
        "/assessment/step/2/",
        {
            "version": version.pk,
            "client_id": data["client_id"],
            "action": "back",
            second_page.field_name(question): answers[question.pk],
        },
    )
    back = client.get("/assessment/step/1/")
    html = back.content.decode()
    for q in first_page.questions:
        assert f'value="{answers[q.pk]}" id="id_question_{q.pk}_' in html
    assert html.count(" checked") == QUESTIONS_PER_PAGE
    refreshed = client.get("/assessment/step/2/").content.decode()
    assert refreshed.count(" checked") == 1


def test_an_unanswered_question_is_shown_again_with_its_error_and_other_answers_kept(
    client, version
):
    answers = answers_leaning_to(version, [MLOPS])
    form = client.get("/assessment/step/1/").context["form"]
    skipped = form.questions[2]
    data = {"version": version.pk, "client_id": form["client_id"].value(), "action": "next"}
    for question in form.questions:
        if question != skipped:
            data[form.field_name(question)] = answers[question.pk]

    response = client.post("/assessment/step/1/", data)

    html = response.content.decode()
    assert response.status_code == 400
    assert response.context["form"].errors == {
        form.field_name(skipped): ["Please answer this question."]
    }
    assert f'id="error-{skipped.pk}"' in html
    assert html.count(" checked") == QUESTIONS_PER_PAGE - 1
    assert Assessment.objects.count() == 0


@pytest.mark.parametrize(
    "tamper",
    [
        "choice_of_another_question",
        "not_a_number",
        "unknown_choice",
        "version",
        "client_id_garbage",
    ],
)
def test_tampered_posts_are_refused_with_400_and_nothing_saved(client, version, tamper):
    answers = answers_leaning_to(version, [MLOPS])
    take_assessment(client, answers, submit=False)  # all pages but the submit
    last_url = f"/assessment/step/{_last_step(version)}/"
    last = client.get(last_url).context["form"]
    data = {"version": version.pk, "client_id": last["client_id"].value(), "action": "submit"}
    for question in last.questions:
        data[last.field_name(question)] = answers[question.pk]
    first_question = last.questions[0]
    field = last.field_name(first_question)
    other_question = Question.objects.filter(version=version).exclude(pk=first_question.pk).first()
    if tamper == "choice_of_another_question":
        data[field] = other_question.choices.first().pk
    elif tamper == "not_a_number":
        data[field] = "abc"
    elif tamper == "unknown_choice":
        data[field] = 999_999
    elif tamper == "version":
        data["version"] = version.pk + 1000
    elif tamper == "client_id_garbage":
        data["client_id"] = "not-a-uuid"

    response = client.post(last_url, data)

    assert response.status_code == 400
    assert response.context["form"].errors
    assert Assessment.objects.count() == 0


def test_a_question_of_another_version_is_refused_by_the_service(version):
    from tests.factories import QuestionFactory

    stranger = QuestionFactory()
    answers = [*list(answers_leaning_to(version, [MLOPS]).items()), (stranger.pk, 1)]
    with pytest.raises(InvalidAnswers) as error:
        assessment_submit(version=version, answers=answers, client_id=uuid.uuid4())
    assert "not part of this quiz version" in str(error.value)
    assert Assessment.objects.count() == 0


def test_submitting_twice_or_replaying_creates_one_assessment(client, version):
    answers = answers_leaning_to(version, [MLOPS])
    take_assessment(client, answers, submit=False)
    last_url = f"/assessment/step/{_last_step(version)}/"
    last = client.get(last_url).context["form"]
    data = {"version": version.pk, "client_id": last["client_id"].value(), "action": "submit"}
    for question in last.questions:
        data[last.field_name(question)] = answers[question.pk]

    first = client.post(last_url, data)
    replay = client.post(last_url, data)

    assert first.status_code == 302 and replay.status_code == 302
    assert first.url == replay.url
    assert Assessment.objects.count() == 1


def test_a_logged_in_person_can_leave_and_resume_later(version):
    person = UserFactory()
    browser = Client()
    browser.force_login(person)
    answers = answers_leaning_to(version, [DATA])
    form = browser.get("/assessment/step/1/").context["form"]
    data = {"version": version.pk, "client_id": form["client_id"].value(), "action": "next"}
    for question in form.questions:
        data[form.field_name(question)] = answers[question.pk]
    browser.post("/assessment/step/1/", data)
    assert len(AssessmentProgress.objects.get(user=person).answers) == QUESTIONS_PER_PAGE

    later = Client()  # another day, another browser
    later.post("/accounts/login/", {"username": person.username, "password": TEST_PASSWORD})
    start = later.get("/assessment/")
    assert "Resume where you left off" in start.content.decode()
    assert start.context["resume_step"] == 2
    assert later.get("/assessment/step/1/").content.decode().count(" checked") == (
        QUESTIONS_PER_PAGE
    )

    url = _result(take_assessment(later, answers))
    assert later.get(url).status_code == 200
    assert not AssessmentProgress.objects.filter(user=person).exists()


def test_restart_forgets_the_unfinished_answers(client, version):
    take_assessment(client, answers_leaning_to(version, [DATA]), submit=False)
    client.post("/assessment/restart/")
    assert client.get("/assessment/").context["answered"] == 0


def test_an_anonymous_result_is_saved_to_the_account_after_sign_up(client, version):
    url = _result(take_assessment(client, answers_leaning_to(version, [MLOPS])))
    assessment = Assessment.objects.get()
    assert assessment.user is None

    response = client.post(
        f"/accounts/signup/?next={url}",
        {
            "username": "newcomer",
            "email": "newcomer@example.com",
            "password1": TEST_PASSWORD,
            "password2": TEST_PASSWORD,
            "next": url,
        },
    )

    assert response.status_code == 302 and response.url == url
    assessment.refresh_from_db()
    assert assessment.user.username == "newcomer"
    assert "Keep this result" not in client.get(url).content.decode()


def test_an_anonymous_result_is_saved_to_the_account_after_log_in(client, version):
    person = UserFactory()
    _result(take_assessment(client, answers_leaning_to(version, [MLOPS])))

    client.post("/accounts/login/", {"username": person.username, "password": TEST_PASSWORD})

    assert Assessment.objects.get().user == person


def test_another_persons_result_is_not_found(client, version):
    owner = UserFactory()
    client.force_login(owner)
    url = _result(take_assessment(client, answers_leaning_to(version, [MLOPS])))
    assessment = Assessment.objects.get()

    stranger = Client()
    stranger.force_login(UserFactory())
    assert stranger.get(url).status_code == 404
    assert stranger.get(f"{url}delete/").status_code == 404
    assert stranger.post(f"{url}delete/").status_code == 404
    assert Client().get(url).status_code == 404  # anonymous, another browser
    assert Assessment.objects.filter(pk=assessment.pk).exists()


def test_an_anonymous_result_is_not_visible_to_another_browser(client, version):
    url = _result(take_assessment(client, answers_leaning_to(version, [MLOPS])))
    assert Client().get(url).status_code == 404


def test_unknown_result_ids_are_404(client, version):
    assert client.get(f"/assessment/result/{uuid.uuid4()}/").status_code == 404
    assert client.get("/assessment/result/not-a-uuid/").status_code == 404
    assert client.get("/assessment/step/99/").status_code == 404


def test_state_changing_requests_need_the_csrf_token(version):
    browser = Client(enforce_csrf_checks=True)
    assert browser.post("/assessment/restart/").status_code == 403
    assert browser.post("/assessment/step/1/", {"action": "next"}).status_code == 403


def test_a_first_page_sent_with_gaps_can_be_corrected_and_sent_again(client, version):
    answers = answers_leaning_to(version, [MLOPS])
    form = client.get("/assessment/step/1/").context["form"]
    data = {"version": version.pk, "client_id": form["client_id"].value(), "action": "next"}
    first, *others = form.questions
    for question in others:
        data[form.field_name(question)] = answers[question.pk]
    assert client.post("/assessment/step/1/", data).status_code == 400

    data[form.field_name(first)] = answers[first.pk]
    response = client.post("/assessment/step/1/", data)

    assert response.status_code == 302 and response.url == "/assessment/step/2/"


def test_an_out_of_date_page_is_shown_again_with_the_current_attempt(client, version):
    take_assessment(client, answers_leaning_to(version, [MLOPS]), submit=False)
    form = client.get("/assessment/step/1/").context["form"]
    current = form["client_id"].value()
    stale = {"version": version.pk, "client_id": str(uuid.uuid4()), "action": "next"}

    response = client.post("/assessment/step/1/", stale)

    assert response.status_code == 400
    assert "out of date" in response.content.decode()
    assert str(response.context["form"]["client_id"].value()) == str(current)
