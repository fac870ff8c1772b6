"""Share links over the API (issue 17): POST and GET assessments/{id}/shares/, DELETE
assessments/{id}/shares/{token}/; one's own results only, at most ten live links, a strict
boolean `show_name`, and 404 for a revoked, unknown or malformed token."""

import uuid

import pytest
from rest_framework.test import APIClient

from assessments.models import SHARE_LINKS_LIVE_MAX, ShareLink
from assessments.services.assessment import assessment_submit
from assessments.services.sharing import share_create, share_revoke
from tests.factories import UserFactory
from tests.helpers import answers_leaning_to, problem, problem_messages

pytestmark = pytest.mark.django_db

SHARE_FIELDS = {"token", "url", "card_url", "created", "show_name"}


def shares_url(assessment_id) -> str:
    return f"/api/v1/assessments/{assessment_id}/shares/"


def submit(version, person):
    assessment, _ = assessment_submit(
        version=version,
        answers=answers_leaning_to(version, ["mlops-engineer"]).items(),
        client_id=uuid.uuid4(),
        user=person,
    )
    return assessment


@pytest.fixture
def theirs(version):
    """Someone else's result, with a live link."""
    assessment = submit(version, UserFactory())
    share_create(assessment_id=assessment.pk, user=assessment.user)
    return assessment


def test_a_link_is_made_listed_and_revoked(person_api, result, client):
    url = shares_url(result.pk)

    made = person_api.post(url, {"show_name": True}, format="json")

    assert made.status_code == 201
    body = made.json()
    assert set(body) == SHARE_FIELDS
    link = ShareLink.objects.get()
    assert body["token"] == link.token and len(link.token) == 32
    assert body["url"] == f"http://testserver/s/{link.token}/"
    assert body["card_url"] == f"http://testserver/s/{link.token}/card.png"
    assert body["show_name"] is True and link.show_name is True
    assert body["created"].startswith(link.created_at.date().isoformat())
    # The page and the card answer at those addresses, to anyone.
    assert client.get(f"/s/{link.token}/").status_code == 200
    assert client.get(f"/s/{link.token}/card.png")["Content-Type"] == "image/png"

    listed = person_api.get(url)
    assert listed.status_code == 200 and listed.json()["results"] == [body]

    revoked = person_api.delete(f"{url}{link.token}/")
    assert revoked.status_code == 204
    assert person_api.get(url).json()["results"] == []
    assert client.get(f"/s/{link.token}/").status_code == 404
    assert person_api.delete(f"{url}{link.token}/").status_code == 404  # revoked already


def test_show_name_left_out_means_no_name(person_api, result):
    response = person_api.post(shares_url(result.pk), {}, format="json")

    assert response.status_code == 201 and response.json()["show_name"] is False
    assert ShareLink.objects.get().show_name is False


def test_the_list_is_newest_first_and_leaves_revoked_links_out(person_api, person, result):
    first, second, third = (share_create(assessment_id=result.pk, user=person) for _ in range(3))
    share_revoke(assessment_id=result.pk, token=second.token, user=person)

    tokens = [row["token"] for row in person_api.get(shares_url(result.pk)).json()["results"]]

    assert tokens == [third.token, first.token]


def test_urls_are_built_from_site_url_never_the_host(person_api, result, settings):
    settings.SITE_URL = "https://careerguide.example.com"
    settings.ALLOWED_HOSTS = ["*"]

    body = person_api.post(
        shares_url(result.pk), {}, format="json", HTTP_HOST="made-up.example"
    ).json()

    assert body["url"] == f"https://careerguide.example.com/s/{body['token']}/"
    assert body["card_url"] == f"https://careerguide.example.com/s/{body['token']}/card.png"


@pytest.mark.parametrize(
    "show_name", ["yes", "true", "false", "", 1, 0, None, [True], {"value": True}, 1.0]
)
def test_a_show_name_that_is_not_a_boolean_is_400_at_the_field(person_api, result, show_name):
    response = person_api.post(shares_url(result.pk), {"show_name": show_name}, format="json")

    assert response.status_code == 400
    errors = problem_messages(response)
    assert list(errors) == ["show_name"]
    assert all(isinstance(message, str) and message for message in errors["show_name"])
    assert not ShareLink.objects.exists()


@pytest.mark.parametrize("raw", ["[true]", '"yes"', "true", "{", "null"])
def test_a_body_that_is_not_an_object_is_400(person_api, result, raw):
    response = person_api.generic("POST", shares_url(result.pk), raw, "application/json")

    assert response.status_code == 400
    assert not ShareLink.objects.exists()


def test_beyond_ten_live_links_is_400_with_the_message(person_api, person, result):
    for _ in range(SHARE_LINKS_LIVE_MAX):
        assert person_api.post(shares_url(result.pk), {}, format="json").status_code == 201

    response = person_api.post(shares_url(result.pk), {"show_name": True}, format="json")

    assert response.status_code == 400
    assert problem(response)["detail"] == (
        "A result can have at most 10 live links: revoke one you no longer need first."
    )
    assert ShareLink.objects.count() == SHARE_LINKS_LIVE_MAX
    # Revoking one makes room.
    token = person_api.get(shares_url(result.pk)).json()["results"][-1]["token"]
    assert person_api.delete(f"{shares_url(result.pk)}{token}/").status_code == 204
    assert person_api.post(shares_url(result.pk), {}, format="json").status_code == 201


def test_someone_elses_result_and_links_are_404(person_api, theirs):
    link = ShareLink.objects.get()
    url = shares_url(theirs.pk)

    assert person_api.get(url).status_code == 404
    assert person_api.post(url, {"show_name": True}, format="json").status_code == 404
    assert person_api.delete(f"{url}{link.token}/").status_code == 404
    assert ShareLink.objects.count() == 1 and ShareLink.objects.live().count() == 1


def test_an_unknown_result_is_404(person_api):
    url = shares_url(uuid.uuid4())

    assert person_api.get(url).status_code == 404
    assert person_api.post(url, {}, format="json").status_code == 404
    assert person_api.delete(f"{url}{'A' * 32}/").status_code == 404


def test_a_token_of_another_result_is_404_under_this_one(person_api, person, result, version):
    other = submit(version, person)
    link = share_create(assessment_id=other.pk, user=person)

    assert person_api.delete(f"{shares_url(result.pk)}{link.token}/").status_code == 404
    assert ShareLink.objects.live().count() == 1


def test_someone_elses_token_under_ones_own_result_is_404(person_api, result, theirs):
    link = ShareLink.objects.get()

    assert person_api.delete(f"{shares_url(result.pk)}{link.token}/").status_code == 404
    assert ShareLink.objects.live().count() == 1


@pytest.mark.parametrize(
    "bad_token",
    [
        "short",
        "x" * 33,
        "a" * 5000,
        "%00" * 32,  # PostgreSQL refuses a NUL in a query: this was a 500 there
        "%F0%9F%8E%89" * 32,
        "%ED%A0%80" * 32,
        "%FF%FE",
        "ü" * 32,
        "%E2%80%AE" + "a" * 31,
        "A" * 32,  # the right shape, but no link has it
    ],
)
def test_a_malformed_or_unknown_token_is_404_never_500(person_api, person, result, bad_token):
    share_create(assessment_id=result.pk, user=person)

    assert person_api.delete(f"{shares_url(result.pk)}{bad_token}/").status_code == 404
    assert ShareLink.objects.live().count() == 1


def test_shares_need_a_person(api, result):
    url = shares_url(result.pk)

    assert api.get(url).status_code == 401
    assert api.post(url, {}, format="json").status_code == 401
    assert api.delete(f"{url}{'A' * 32}/").status_code == 401
    assert not ShareLink.objects.exists()


def test_other_methods_are_refused(person_api, result):
    url = shares_url(result.pk)

    assert person_api.put(url, {}, format="json").status_code == 405
    assert person_api.delete(url).status_code == 405
    assert person_api.get(f"{url}{'A' * 32}/").status_code == 405


def test_the_sites_session_needs_its_csrf_token(person, result):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(person)

    assert client.post(shares_url(result.pk), {}, format="json").status_code == 403
    assert not ShareLink.objects.exists()


def test_the_share_endpoints_cost_a_fixed_number_of_queries(
    person_api, person, result, django_assert_num_queries
):
    url = shares_url(result.pk)
    for _ in range(SHARE_LINKS_LIVE_MAX - 1):
        share_create(assessment_id=result.pk, user=person)

    # the token with its user; the result checked as theirs; the links
    with django_assert_num_queries(3):
        assert person_api.get(url).json()["count"] == SHARE_LINKS_LIVE_MAX - 1
    # the token, then in a transaction (a savepoint under the test's): the result locked, the
    # live links counted, the insert, and the UPDATE of the person's history version (their
    # cached answers list the links), in the same transaction: a bump can't be lost
    with django_assert_num_queries(7):
        token = person_api.post(url, {}, format="json").json()["token"]
    # the token, then in a transaction: the link locked, its update, the live links left, the
    # history version's UPDATE
    with django_assert_num_queries(7):
        assert person_api.delete(f"{url}{token}/").status_code == 204
