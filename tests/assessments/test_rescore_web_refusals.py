"""Re-scoring an old result on the site: what is refused (someone else's result, stale or
forged answers, bad input) and what the pages cost."""

import re
import uuid

import pytest
from django.test import Client

from assessments.models import Assessment
from assessments.services.assessment import assessment_submit
from quizzes.models import Question
from tests.assessments.helpers import (
    DATA,
    MLOPS,
    compare_data,
    hidden_fields,
    new_choice_id,
    new_field,
    new_question,
    rescore_page_url,
    save_data,
    text_of,
)
from tests.factories import UserFactory, make_quiz_version
from tests.helpers import answers_leaning_to, committed, publish_changed_version

pytestmark = pytest.mark.django_db


# Refusals -----------------------------------------------------------------------------------


def test_a_missing_answer_shows_the_questions_again_with_the_message_at_it(
    web, old_result, version_two
):
    response = web.post(rescore_page_url(old_result), compare_data(version_two, dashboards=None))

    assert response.status_code == 400
    html = response.content.decode()
    dashboards = new_question(version_two, "dashboards").pk
    cloud = new_question(version_two, "cloud").pk
    assert f'id="error-{dashboards}">Please answer this question.' in html
    assert f'id="error-{cloud}"' not in html
    assert 'id="form-errors"' in html
    # The answer that was given stays ticked.
    assert re.search(rf'value="{new_choice_id(version_two, "cloud")}" id="[^"]+" checked', html)


def test_a_save_with_a_missing_answer_saves_nothing(web, old_result, version_two):
    comparison = web.post(rescore_page_url(old_result), compare_data(version_two))
    data = save_data(comparison)
    data.pop(new_field(version_two, "cloud"))

    response = web.post(rescore_page_url(old_result), data)

    assert response.status_code == 400
    assert "Please answer this question." in text_of(response)
    assert Assessment.objects.count() == 1


@pytest.mark.parametrize(
    "tamper, message",
    [
        ("foreign choice", "Please pick one of the answers shown."),
        ("not a number", "Please pick one of the answers shown."),
        ("old version", "The questions changed since this page was shown"),
        ("no version", "The questions changed since this page was shown"),
    ],
)
def test_tampered_posts_are_refused_with_400_and_nothing_saved(
    web, old_result, version_two, tamper, message
):
    data = save_data(web.post(rescore_page_url(old_result), compare_data(version_two)))
    cloud = new_field(version_two, "cloud")
    if tamper == "foreign choice":
        data[cloud] = str(new_choice_id(version_two, "dashboards"))
    elif tamper == "not a number":
        data[cloud] = "cloud\x00"
    elif tamper == "old version":
        data["version"] = str(old_result.version_id)
    else:
        data.pop("version")

    response = web.post(rescore_page_url(old_result), data)

    assert response.status_code == 400
    assert message in text_of(response)
    assert Assessment.objects.count() == 1


def test_an_answer_to_a_question_that_is_not_new_is_not_taken(web, old_result, version_two):
    carried = Question.objects.get(version=version_two, key="question-2")
    data = compare_data(version_two)
    data[f"question_{carried.pk}"] = carried.choices.get(key="middle").pk

    comparison = web.post(rescore_page_url(old_result), data)
    assert comparison.status_code == 200
    assert f"question_{carried.pk}" not in hidden_fields(comparison)
    web.post(rescore_page_url(old_result), {**save_data(comparison), f"question_{carried.pk}": "1"})

    new = Assessment.objects.exclude(pk=old_result.pk).get()
    old_choice = old_result.answers.get(question__key="question-2").choice
    assert new.answers.get(question=carried).choice.key == old_choice.key


def test_a_save_without_its_client_id_or_with_another_results_is_refused(
    web, old_result, version_two
):
    data = save_data(web.post(rescore_page_url(old_result), compare_data(version_two)))

    missing = web.post(rescore_page_url(old_result), {**data, "client_id": ""})
    taken = web.post(rescore_page_url(old_result), {**data, "client_id": str(old_result.client_id)})

    assert missing.status_code == taken.status_code == 400
    assert "please compare again, then save" in text_of(missing)
    assert "This page was used to save another result" in text_of(taken)
    assert Assessment.objects.count() == 1


def test_another_persons_result_is_not_found(old_result, version_two):
    stranger = Client()
    stranger.force_login(UserFactory())
    assert stranger.get(rescore_page_url(old_result)).status_code == 404
    assert stranger.post(rescore_page_url(old_result), compare_data(version_two)).status_code == 404
    assert stranger.get(f"/assessment/result/{uuid.uuid4()}/rescore/").status_code == 404
    assert Assessment.objects.count() == 1


def test_an_anonymous_person_is_sent_to_log_in(old_result, version_two):
    response = Client().get(rescore_page_url(old_result))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert Client().post(rescore_page_url(old_result), compare_data(version_two)).status_code == 302


def test_a_result_already_on_the_current_questions_goes_back_to_it(web, old_result):
    response = web.get(rescore_page_url(old_result), follow=True)

    assert response.redirect_chain == [(old_result.get_absolute_url(), 302)]
    assert "This result is already on the current questions." in text_of(response)

    posted = web.post(
        rescore_page_url(old_result), {"action": "save", "version": old_result.version_id}
    )
    assert posted.status_code == 400
    assert "This result is already on the current questions." in text_of(posted)
    assert Assessment.objects.count() == 1


def test_other_methods_are_refused(web, old_result, version_two):
    assert web.put(rescore_page_url(old_result)).status_code == 405
    assert web.delete(rescore_page_url(old_result)).status_code == 405


def test_posts_need_the_csrf_token(person, old_result, version_two):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(person)
    assert browser.post(rescore_page_url(old_result), compare_data(version_two)).status_code == 403


# What the pages cost --------------------------------------------------------------------------


@pytest.mark.parametrize("question_count", [14, 60])
def test_the_rescore_pages_cost_a_fixed_number_of_queries(
    site_content, person, question_count, django_assert_num_queries
):
    old = site_content.version
    if question_count != len(site_content.questions):
        old.is_current = False
        old.save()
        old = make_quiz_version(
            roles=site_content.roles,
            question_count=question_count,
            quiz=site_content.quiz,
            current=True,
        )
    assessment, _ = assessment_submit(
        version=old,
        answers=answers_leaning_to(old, [MLOPS, DATA]).items(),
        client_id=uuid.uuid4(),
        user=person,
    )
    new = publish_changed_version(old)
    client = Client()
    client.force_login(person)
    client.get(
        rescore_page_url(assessment)
    )  # someone before: the versions' keys and questions are cached

    # session, user; the result with its scores, answers and tools
    with django_assert_num_queries(6):
        assert client.get(rescore_page_url(assessment)).status_code == 200
    # the same, and the roles, once: for the new reading and their names (the page read them
    # twice before the comparison had one presenter)
    data = compare_data(new)
    with django_assert_num_queries(7):
        comparison = client.post(rescore_page_url(assessment), data)
    assert comparison.status_code == 200
    # The save: the result read by the page and again by the service, the replay and
    # client_id checks, then the submission (the version's stamp as answered, its scoring
    # table read once, bulk inserts, the kept counts, the UPDATE of the person's history
    # version in the same transaction and the one of the counts' version after the commit)
    # and the session's message: the same whatever the number of questions. Counting
    # people, not results, adds 6 (the person's row locked, their counted result on the new
    # version before and after).
    save = save_data(comparison)
    with django_assert_num_queries(41), committed():
        client.post(rescore_page_url(assessment), save)
    assert Assessment.objects.filter(rescored_from=assessment).count() == 1
