"""What the pages people take part in cost once warm: pinned query counts, flat as data grows."""

import re

import pytest
from django.test import Client

from tests.factories import TEST_PASSWORD, UserFactory, make_quiz_version

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("question_count", [14, 60])
def test_a_page_of_questions_reads_no_questions_once_warm(
    site_content, question_count, django_assert_num_queries
):
    if question_count != len(site_content.questions):
        site_content.version.is_current = False
        site_content.version.save()
        make_quiz_version(
            roles=site_content.roles,
            question_count=question_count,
            quiz=site_content.quiz,
            current=True,
        )
    Client().get("/assessment/step/1/")  # someone before: the version and questions are cached
    browser = Client()
    with django_assert_num_queries(0):  # a first visit: no session yet, the rest is cached
        first = browser.get("/assessment/step/1/")
    form = first.context["form"]
    browser.post(
        "/assessment/step/1/",
        {
            "version": form["version"].value(),
            "client_id": form["client_id"].value(),
            "action": "next",
            **{form.field_name(q): q.choices.all()[0].pk for q in form.questions},
        },
    )
    with django_assert_num_queries(1):  # the session, with the answers so far
        response = browser.get("/assessment/step/2/")
    assert response.status_code == 200


def test_a_logged_in_persons_page_of_questions_reads_only_who_they_are_and_their_progress(
    site_content, django_assert_num_queries
):
    person = UserFactory()
    browser = Client()
    browser.post("/accounts/login/", {"username": person.username, "password": TEST_PASSWORD})
    browser.get("/assessment/step/1/")
    with django_assert_num_queries(3):  # session, user, saved progress
        response = browser.get("/assessment/step/1/")
    assert response.status_code == 200


def _without_csrf(html: str) -> str:
    """The page less its CSRF token, which is masked afresh on every response."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_a_page_of_questions_from_the_cache_is_the_page_rendered_afresh(site_content):
    from core import caching

    browser = Client()
    form = browser.get("/assessment/step/1/").context["form"]
    chosen = {q.pk: q.choices.all()[1].pk for q in form.questions}
    browser.post(
        "/assessment/step/1/",
        {
            "version": form["version"].value(),
            "client_id": form["client_id"].value(),
            "action": "next",
            **{form.field_name(q): chosen[q.pk] for q in form.questions},
        },
    )
    cached = _without_csrf(browser.get("/assessment/step/1/").content.decode())
    caching.clear_all()
    fresh = _without_csrf(browser.get("/assessment/step/1/").content.decode())

    assert cached == fresh
    for choice_id in chosen.values():  # the answers so far are shown chosen
        assert f'value="{choice_id}" id="id_question_' in fresh
    assert fresh.count(" checked") == len(chosen)
