"""A saved result's page is kept for its owner until their history changes."""

import re
import uuid

import pytest
from django.test import Client

from assessments.models import Assessment
from assessments.selectors.figures import peers_reference_role
from assessments.services.assessment import assessment_delete, assessment_submit
from assessments.services.feedback import feedback_set
from core.caching import peers_version
from tests.factories import TEST_PASSWORD, UserFactory
from tests.helpers import answers_leaning_to, committed, take_assessment

pytestmark = pytest.mark.django_db

MLOPS, DATA = "mlops-engineer", "data-engineer"


@pytest.fixture
def owner_with_result(site_content, version):
    person = UserFactory()
    web = Client()
    web.post("/accounts/login/", {"username": person.username, "password": TEST_PASSWORD})
    response = take_assessment(web, answers_leaning_to(version, [site_content.mlops.slug]))
    return web, response.url


def test_the_owners_second_look_costs_only_the_session_and_user(
    owner_with_result, django_assert_num_queries
):
    web, url = owner_with_result
    first = web.get(url)
    with django_assert_num_queries(2):  # the session and the user; the page from the cache
        again = web.get(url)
    assert again.status_code == 200 and again.content == first.content


def test_a_deleted_result_is_never_served_from_the_cache(owner_with_result):
    web, url = owner_with_result
    assert web.get(url).status_code == 200
    assessment = Assessment.objects.get()

    web.post(f"{url}delete/")

    assert not Assessment.objects.filter(pk=assessment.pk).exists()
    assert web.get(url).status_code == 404


def test_someone_else_never_gets_the_owners_cached_page(owner_with_result):
    web, url = owner_with_result
    web.get(url)
    stranger = Client()
    stranger.force_login(UserFactory())
    assert stranger.get(url).status_code == 404
    assert Client().get(url).status_code == 404


# Everyone's figures on the page: its key holds the version of everyone's counts -------------


def test_the_owners_first_look_costs_a_fixed_number_of_queries_whatever_everyone_did(
    owner_with_result, version, settings, django_assert_num_queries
):
    settings.PEERS_MIN_RESULTS = 5
    web, url = owner_with_result
    peers_reference_role()  # read once per catalog version, as on a warm site
    for lean_to in ([MLOPS], [DATA], [DATA, MLOPS]) * 10:
        _someone_submits(version, lean_to)
    peers_version()  # the shared versions, read at most once a second by each process
    # session, user, the result, its scores, answers and tools, everyone's counts, the
    # owner's feedback, their live share links (the result checked as theirs, the links), and
    # the follow-up they asked for (none)
    with django_assert_num_queries(11):
        response = web.get(url)
    assert response.status_code == 200 and response.context["lean_chart"].bars


def _someone_submits(version, lean_to=(MLOPS,)):
    with committed():
        assessment, _ = assessment_submit(
            version=version,
            answers=answers_leaning_to(version, list(lean_to)).items(),
            client_id=uuid.uuid4(),
            user=UserFactory(),
        )
    return assessment


def _needed(response) -> str:
    match = re.search(r"At most (\d+) more people need", response.content.decode())
    assert match, "the page gives no figure still needed"
    return match.group(1)


def test_the_cached_page_changes_when_someone_else_keeps_a_result(
    owner_with_result, version, settings, django_assert_num_queries
):
    settings.PEERS_MIN_RESULTS = 20
    web, url = owner_with_result
    for _ in range(3):
        _someone_submits(version)
    assert _needed(web.get(url)) == "20"  # 4 people: said in steps of 5
    with django_assert_num_queries(2):  # the session and the user: the page from the cache
        assert _needed(web.get(url)) == "20"

    _someone_submits(version)

    assert _needed(web.get(url)) == "15"


def test_the_cached_page_changes_when_someone_else_deletes_a_result(
    owner_with_result, version, settings
):
    settings.PEERS_MIN_RESULTS = 20
    web, url = owner_with_result
    theirs, *_others = [_someone_submits(version) for _ in range(4)]
    assert _needed(web.get(url)) == "15"
    assert _needed(web.get(url)) == "15"

    with committed():
        assessment_delete(assessment_id=theirs.pk, user=theirs.user)

    assert _needed(web.get(url)) == "20"


def test_the_cached_page_shows_the_owners_new_feedback(owner_with_result):
    web, url = owner_with_result
    assert "You said" not in web.get(url).content.decode()
    assessment = Assessment.objects.get()

    feedback_set(assessment_id=assessment.pk, user=assessment.user, feels_right=False)

    assert "You said: <strong>not really</strong>" in web.get(url).content.decode()
