"""Reading an old result under today's questions on the site: the offer on the result and the
profile, the new questions only, the comparison (nothing written), the save (a new result
linked back, retry-safe), and every refusal."""

import re
import uuid

import pytest
from django.test import Client

from assessments.models import Assessment
from assessments.selectors.assessment import assessment_get_owned
from assessments.selectors.rescoring import rescore_preview
from assessments.services.assessment import assessment_submit
from quizzes.models import Question
from tests.assessments.helpers import (
    DATA,
    MLOPS,
    compare_data,
    hidden_fields,
    new_choice_id,
    new_question,
    rescore_page_url,
    save_data,
    text_of,
)
from tests.factories import UserFactory, make_quiz_version
from tests.helpers import answers_leaning_to, publish_changed_version

pytestmark = pytest.mark.django_db


# The offer ----------------------------------------------------------------------------------


def test_the_result_offers_it_only_once_its_version_is_no_longer_current(web, old_result, version):
    page = web.get(old_result.get_absolute_url())  # kept in the cache for the owner
    assert "See this under the current questions" not in page.content.decode()

    publish_changed_version(version)

    page = web.get(old_result.get_absolute_url())
    assert page.status_code == 200
    assert f'href="{rescore_page_url(old_result)}"' in page.content.decode()
    assert "See this under the current questions" in page.content.decode()


def test_only_the_owner_is_offered_it(old_result, version_two):
    anonymous = Client()
    stranger = Client()
    stranger.force_login(UserFactory())
    for client in (anonymous, stranger):
        assert client.get(old_result.get_absolute_url()).status_code == 404


def test_the_profile_offers_it_on_the_rows_of_older_versions_only(
    web, old_result, version_two, person
):
    new, _ = assessment_submit(
        version=version_two,
        answers=answers_leaning_to(version_two, [DATA]).items(),
        client_id=uuid.uuid4(),
        user=person,
    )
    html = web.get("/profile/").content.decode()
    assert f'href="{rescore_page_url(old_result)}"' in html
    assert rescore_page_url(new) not in html
    assert html.count("See this under the current questions") == 1


# The questions to answer ------------------------------------------------------------------


def test_the_page_says_what_carries_over_and_asks_only_the_new_questions(
    web, old_result, version_two
):
    response = web.get(rescore_page_url(old_result))

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    text = text_of(response)
    assert "13 of your answers carry over to today's questions (version 2)" in text
    assert "2 new questions to answer" in text
    html = response.content.decode()
    shown = re.findall(r'<fieldset class="question[^"]*" id="question-(\d+)"', html)
    assert [int(pk) for pk in shown] == [
        new_question(version_two, "cloud").pk,
        new_question(version_two, "dashboards").pk,
    ]
    assert html.count("<legend") == 2
    assert "Question 1 of 2." in html and "Question 2 of 2." in html
    # One radio per choice: one per role and the middle one.
    assert html.count('type="radio"') == 6
    assert Assessment.objects.count() == 1


def test_comparing_shows_both_readings_and_what_moved_them_and_writes_nothing(
    web, old_result, version_two, person
):
    response = web.post(rescore_page_url(old_result), compare_data(version_two))

    assert response.status_code == 200, text_of(response)[:2000]
    assert Assessment.objects.count() == 1
    preview = rescore_preview(
        assessment=assessment_get_owned(assessment_id=old_result.pk, user=person),
        answers=[
            (new_question(version_two, key).pk, new_choice_id(version_two, key))
            for key in ("cloud", "dashboards")
        ],
    )
    comparison = preview.comparison
    rows = re.findall(
        r"<tr><th scope=\"row\">([^<]+)</th><td>(\d+)%</td><td>(\d+)%</td><td>([^<]+)</td></tr>",
        response.content.decode(),
    )
    assert rows == [
        (
            name,
            str(comparison.old.percent(slug)),
            str(comparison.new.percent(slug)),
            _signed(comparison.new.percent(slug) - comparison.old.percent(slug)),
        )
        for slug, name in ((MLOPS, "MLOps engineer"), (DATA, "Data engineer"))
    ]
    text = text_of(response)
    # Answering both new questions for data engineering turns the lean around.
    assert comparison.old.top_role == MLOPS and comparison.new.top_role == DATA
    assert "Your lean has changed: Data engineer now comes first, where MLOps engineer did." in text
    assert "Then (version 1): a tie between MLOps engineer and Data engineer (50% each)." in text
    new_margin = comparison.new.margin
    assert f"Now (version 2): a close call towards Data engineer, {new_margin} points ahead" in text
    # The question removed with the old answer, the two new ones with the answer given, and
    # the carried answer whose weight changed; each with its effect per role.
    removed = Question.objects.get(version=old_result.version, key="question-14")
    old_choice = old_result.answers.get(question=removed).choice
    assert "Questions removed" in text
    assert f"{removed.text} You had answered: “{old_choice.text}”" in text
    assert "Questions you answered now" in text
    cloud = new_question(version_two, "cloud").text
    assert f"{cloud} You answered: “The Data engineer way”" in text
    assert "Answers that carry over but count differently now" in text
    effects = re.findall(r"Effect in percentage points: ([^<]+)</span>", response.content.decode())
    assert len(effects) == 4
    for line, change in zip(effects, comparison.changes, strict=True):
        assert line == ", ".join(
            f"{name} {_signed_tenths(change.effects[slug])}"
            for slug, name in ((MLOPS, "MLOps engineer"), (DATA, "Data engineer"))
        )
    assert "Save as a new result" in text


def _signed_tenths(value) -> str:
    """An effect as the page and the API show it: to one decimal (".0" left out), signed."""
    points = round(float(value), 1)
    if not points:
        return "0"
    return f"{points:+.1f}".removesuffix(".0")


def _signed(points: int) -> str:
    return f"{points:+d}" if points else "0"


def test_change_my_answers_shows_the_questions_with_the_answers_given(web, old_result, version_two):
    comparison = web.post(rescore_page_url(old_result), compare_data(version_two, cloud="middle"))
    response = web.post(
        rescore_page_url(old_result), {**hidden_fields(comparison), "action": "change"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    checked = re.findall(r'value="(\d+)" id="[^"]+" checked', html)
    assert sorted(int(pk) for pk in checked) == sorted(
        [new_choice_id(version_two, "cloud", "middle"), new_choice_id(version_two, "dashboards")]
    )
    assert "Please answer" not in html and Assessment.objects.count() == 1


# Saving -------------------------------------------------------------------------------------


def test_saving_makes_a_new_result_linked_back_and_leaves_the_old_one(
    web, old_result, version_two, person
):
    old_scores = list(old_result.scores.values_list("role__slug", "percent"))
    comparison = web.post(rescore_page_url(old_result), compare_data(version_two))

    response = web.post(rescore_page_url(old_result), save_data(comparison))

    assert response.status_code == 302
    new = Assessment.objects.exclude(pk=old_result.pk).get()
    assert response.url == new.get_absolute_url()
    assert new.rescored_from == old_result and new.version == version_two
    assert new.user == person and new.answers.count() == version_two.questions.count()
    assert new.top_role.slug == DATA
    old_result.refresh_from_db()
    assert old_result.version_id != version_two.pk and old_result.answers.count() == 14
    assert list(old_result.scores.values_list("role__slug", "percent")) == old_scores

    page = web.get(response.url)
    text = text_of(page)
    when = f"{old_result.created_at:%-d %B %Y}"
    assert f"Re-scored from your result of {when}" in text
    assert f'href="{old_result.get_absolute_url()}">your result of {when}</a>' in (
        page.content.decode()
    )
    assert "Saved as a new result" in text
    assert "See this under the current questions" not in text  # the new one is current

    profile = web.get("/profile/").content.decode()
    assert new.get_absolute_url() in profile and old_result.get_absolute_url() in profile
    assert (
        f'Re-scored from <a href="{old_result.get_absolute_url()}">your result of {when}</a>'
        in (profile)
    )
    # The old result's page is unchanged, offer included.
    assert (
        "See this under the current questions"
        in web.get(old_result.get_absolute_url()).content.decode()
    )


def test_a_double_click_or_a_retry_saves_one_result(web, old_result, version_two):
    comparison = web.post(rescore_page_url(old_result), compare_data(version_two))
    data = save_data(comparison)

    first = web.post(rescore_page_url(old_result), data)
    again = web.post(rescore_page_url(old_result), data)

    assert first.status_code == again.status_code == 302
    assert first.url == again.url
    assert Assessment.objects.count() == 2


def test_each_showing_of_the_comparison_saves_under_its_own_client_id(web, old_result, version_two):
    first = hidden_fields(web.post(rescore_page_url(old_result), compare_data(version_two)))
    second = hidden_fields(web.post(rescore_page_url(old_result), compare_data(version_two)))
    assert first["client_id"] != second["client_id"]
    uuid.UUID(first["client_id"])


def test_a_version_where_every_answer_carries_over_shows_the_comparison_at_once(
    web, person, site_content
):
    old = make_quiz_version(
        roles=site_content.roles, question_count=6, quiz=site_content.quiz, number=7
    )
    assessment, _ = assessment_submit(
        version=old,
        answers=answers_leaning_to(old, [MLOPS]).items(),
        client_id=uuid.uuid4(),
        user=person,
    )
    # Today's version (site_content's) has the same 6 first keys and 8 more: so some are new.
    # Made to carry everything: a version with only those 6 questions, current.
    from quizzes import authoring

    draft = authoring.version_copy_as_draft(version=old)
    authoring.version_publish(version=draft)

    response = web.get(rescore_page_url(assessment))

    assert response.status_code == 200
    assert "Nothing: the questions you answered count the same today." in text_of(response)
    assert "Your lean holds: MLOps engineer still comes first." in text_of(response)
    assert "Change my answers" not in text_of(response)
    saved = web.post(rescore_page_url(assessment), save_data(response))
    assert saved.status_code == 302
    assert Assessment.objects.get(pk=saved.url.split("/")[-2]).rescored_from == assessment
