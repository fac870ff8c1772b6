"""An anonymous result belongs to the browser that took it: a client_id alone gives no one
else's result, and a double click on "See my result" keeps the result."""

import uuid

import pytest
from django.test import Client

from assessments.models import Assessment
from tests.helpers import answers_leaning_to, take_assessment

pytestmark = pytest.mark.django_db


# 10. A client_id alone gives no one else's anonymous result ---------------------------------


def _walk_with_client_id(client, answers, client_id):
    """Answer every page as a browser would, but with `client_id` in each page's hidden field."""
    response = client.get("/assessment/step/1/")
    while True:
        form = response.context["form"]
        step, is_last = response.context["step"], response.context["is_last"]
        data = {
            "version": form["version"].value(),
            "client_id": client_id,
            "action": "submit" if is_last else "next",
            **{form.field_name(q): answers[q.pk] for q in form.questions},
        }
        response = client.post(f"/assessment/step/{step}/", data)
        if is_last or response.status_code != 302:
            return response
        response = client.get(response.url)


def test_someone_elses_anonymous_client_id_gives_nothing(site_content, version):
    owner = Client()
    answers = answers_leaning_to(version, [site_content.mlops.slug])
    take_assessment(owner, answers)
    result = Assessment.objects.get()

    thief = Client()
    response = _walk_with_client_id(thief, answers, str(result.client_id))

    assert response.status_code == 400  # refused on the first page it was posted with
    assert str(result.pk) not in thief.session.get("anonymous_assessments", [])
    assert thief.get(result.get_absolute_url()).status_code == 404
    assert Assessment.objects.count() == 1


def test_a_stolen_client_id_on_a_page_of_an_attempt_under_way_is_refused(site_content, version):
    take_assessment(Client(), answers_leaning_to(version, [site_content.mlops.slug]))
    result = Assessment.objects.get()
    thief = Client()
    thief.get("/assessment/step/1/")
    thief.post("/assessment/restart/")  # an attempt of the thief's own is under way
    thief.post(
        "/assessment/step/1/",
        {"version": version.pk, "client_id": str(uuid.uuid4()), "action": "back"},
    )

    response = thief.post(
        "/assessment/step/1/",
        {"version": version.pk, "client_id": str(result.client_id), "action": "next"},
    )
    assert response.status_code == 400
    assert thief.get(result.get_absolute_url()).status_code == 404


def test_the_same_browser_replaying_its_own_submission_gets_its_result(site_content, version):
    browser = Client()
    answers = answers_leaning_to(version, [site_content.data.slug])
    take_assessment(browser, answers)
    result = Assessment.objects.get()
    last = take_assessment(browser, answers, submit=False)
    form = last.context["form"]
    data = {
        "version": version.pk,
        "client_id": str(result.client_id),
        "action": "submit",
        **{form.field_name(q): answers[q.pk] for q in form.questions},
    }
    response = browser.post(f"/assessment/step/{last.context['step']}/", data)
    assert response.status_code == 302 and response.url == result.get_absolute_url()
    assert Assessment.objects.count() == 1


def test_a_double_click_on_see_my_result_keeps_the_result(site_content, version):
    """The second click carries the session as it was before the first one was saved."""
    browser = Client()
    answers = answers_leaning_to(version, [site_content.data.slug])
    last = take_assessment(browser, answers, submit=False)
    before = dict(browser.session.items())
    form = last.context["form"]
    data = {
        "version": form["version"].value(),
        "client_id": form["client_id"].value(),
        "action": "submit",
        **{form.field_name(q): answers[q.pk] for q in form.questions},
    }
    url = f"/assessment/step/{last.context['step']}/"
    first = browser.post(url, data)
    session = browser.session
    session.clear()
    session.update(before)
    session.save()

    second = browser.post(url, data)

    assert second.status_code == 302 and second.url == first.url
    assert browser.get(second.url).status_code == 200
    assert Assessment.objects.count() == 1
