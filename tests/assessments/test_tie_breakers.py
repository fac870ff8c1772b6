"""Settling a close call with the version's tie-breakers: the one service, the result page and
`POST assessments/{id}/tie-breakers/`."""

import json
import uuid

import pytest
from django.core.exceptions import ValidationError

from assessments import peers
from assessments.models import Assessment, PeerCount
from assessments.services.tie_breakers import tie_breakers_answer
from quizzes import authoring
from quizzes.models import ChoiceWeight
from tests.assessments.helpers import DATA, MLOPS, detail, submit, text_of
from tests.factories import UserFactory, add_tie_breakers

pytestmark = pytest.mark.django_db


@pytest.fixture
def tie_breakers(version, site_content):
    """Five tie-breakers on the current version, added before anyone answers it."""
    return add_tie_breakers(version, roles=site_content.roles)


def _answers(tie_breakers, role_slug):
    return [(q.pk, q.choices.get(key=f"for-{role_slug}").pk) for q in tie_breakers]


def _api_answers(tie_breakers, role_slug):
    return [{"question": q, "choice": c} for q, c in _answers(tie_breakers, role_slug)]


@pytest.fixture
def close_call(tie_breakers, version, person):
    """The person's result: 7 questions each way, a tie (MLOps first, by catalog order)."""
    result = submit(version, person, (MLOPS, DATA))
    assert (result.margin, result.top_role.slug) == (0, MLOPS)
    return result


def _settle(result, tie_breakers, role=DATA, client_id=None, user=None):
    return tie_breakers_answer(
        assessment_id=result.pk,
        user=user or result.user,
        answers=_answers(tie_breakers, role),
        client_id=client_id or uuid.uuid4(),
    )


# --- the service ----------------------------------------------------------------------------


def test_settling_scores_again_and_keeps_the_first_reading(close_call, tie_breakers):
    _settle(close_call, tie_breakers, DATA)

    result = Assessment.objects.get(pk=close_call.pk)
    # Data engineering: 7·3 + 5·3 = 36 of 14·3 + 5·3 = 57 -> 63%; MLOps 21 of 57 -> 37%.
    assert result.settled_by_tie_breakers
    assert (result.top_role.slug, result.margin) == (DATA, 26)
    assert [(s.role.slug, s.percent) for s in result.scores.all()] == [(DATA, 63), (MLOPS, 37)]
    assert result.first_reading == {
        "top_role": MLOPS,
        "margin": 0,
        "settled_at_question": 13,
        "scores": [{"role": MLOPS, "percent": 50}, {"role": DATA, "percent": 50}],
    }
    assert result.answers.count() == 14 + 5
    assert result.answers.filter(reason_rank__isnull=False).count() == 3
    assert result.settled_at_question is not None and result.settled_at_question <= 19
    assert {t.tool.roles.filter(slug=DATA).exists() for t in result.recommended_tools.all()} == {
        True
    }


def test_everyones_figures_and_the_history_follow_in_the_same_transaction(
    close_call, tie_breakers, person
):
    def top_count(slug):
        row = PeerCount.objects.filter(
            version_id=close_call.version_id, kind=peers.TOP_ROLE, key=slug
        ).first()
        return row.count if row else 0

    assert (top_count(MLOPS), top_count(DATA)) == (1, 0)
    history = type(person).objects.get(pk=person.pk).history_version

    _settle(close_call, tie_breakers, DATA)

    assert (top_count(MLOPS), top_count(DATA)) == (0, 1)
    assert type(person).objects.get(pk=person.pk).history_version != history


def test_the_same_answers_again_change_nothing(close_call, tie_breakers):
    client_id = uuid.uuid4()
    _settle(close_call, tie_breakers, DATA, client_id)
    before = Assessment.objects.get(pk=close_call.pk)

    again = _settle(close_call, tie_breakers, MLOPS, client_id)  # a retry of the same post

    assert again.pk == close_call.pk
    after = Assessment.objects.get(pk=close_call.pk)
    assert (after.top_role_id, after.margin, after.first_reading) == (
        before.top_role_id,
        before.margin,
        before.first_reading,
    )
    assert after.answers.count() == 19


def test_a_settled_result_is_not_settled_twice(close_call, tie_breakers):
    _settle(close_call, tie_breakers, DATA)
    with pytest.raises(ValidationError) as error:
        _settle(close_call, tie_breakers, MLOPS)
    assert "detail" in error.value.message_dict


def test_a_clear_lean_has_nothing_to_settle(tie_breakers, version, person):
    clear = submit(version, person, (MLOPS,))
    with pytest.raises(ValidationError) as error:
        _settle(clear, tie_breakers)
    assert "not a close call" in " ".join(error.value.message_dict["detail"])


def test_someone_elses_result_does_not_exist(close_call, tie_breakers):
    with pytest.raises(Assessment.DoesNotExist):
        _settle(close_call, tie_breakers, user=UserFactory())


def test_every_tie_breaker_needs_an_answer(close_call, tie_breakers):
    with pytest.raises(ValidationError) as error:
        tie_breakers_answer(
            assessment_id=close_call.pk,
            user=close_call.user,
            answers=_answers(tie_breakers, DATA)[:4],
            client_id=uuid.uuid4(),
        )
    assert "answers" in error.value.message_dict
    assert not Assessment.objects.get(pk=close_call.pk).settled_by_tie_breakers


def test_a_version_without_tie_breakers_offers_none(version, person):
    result = submit(version, person, (MLOPS, DATA))
    with pytest.raises(ValidationError) as error:
        _settle(result, [])
    assert "no tie-breaker" in " ".join(error.value.message_dict["detail"])


# --- publishing -----------------------------------------------------------------------------


def test_publishing_checks_the_tie_breakers_can_score_every_role(version, site_content):
    draft = authoring.version_copy_as_draft(version=version)
    tie_breakers = add_tie_breakers(draft, roles=site_content.roles, count=2)
    assert authoring.version_problems(version=draft) == []

    ChoiceWeight.objects.filter(choice__question__in=tie_breakers, role__slug=DATA).update(weight=0)

    problems = authoring.version_problems(version=draft)
    assert any("No tie-breaker choice counts towards" in p for p in problems)


def test_a_copied_version_keeps_its_tie_breakers(tie_breakers, version):
    draft = authoring.version_copy_as_draft(version=version)
    assert draft.questions.filter(is_tie_breaker=True).count() == 5


# --- the API --------------------------------------------------------------------------------


def _url(result):
    return f"/api/v1/assessments/{result.pk}/tie-breakers/"


def test_the_api_offers_and_settles_the_tie_breakers(person_api, close_call, tie_breakers):
    before = detail(person_api, close_call)
    assert before["close_call"] is True and before["settled_by_tie_breakers"] is False
    assert [q["id"] for q in before["tie_breakers"]] == [q.pk for q in tie_breakers]
    assert before["first_reading"] is None

    body = {"answers": _api_answers(tie_breakers, DATA), "client_id": str(uuid.uuid4())}
    response = person_api.post(_url(close_call), body, format="json")

    assert response.status_code == 200, response.content
    settled = response.json()
    assert settled["settled_by_tie_breakers"] is True
    assert (settled["top_role"], settled["margin"], settled["close_call"]) == (DATA, 26, False)
    assert settled["tie_breakers"] == []
    assert settled["first_reading"]["scores"] == [
        {"role": MLOPS, "percent": 50},
        {"role": DATA, "percent": 50},
    ]
    retry = person_api.post(_url(close_call), body, format="json")
    assert retry.status_code == 200
    assert retry.json() == settled


def test_the_api_refuses_a_second_settling(person_api, close_call, tie_breakers):
    first = {"answers": _api_answers(tie_breakers, DATA), "client_id": str(uuid.uuid4())}
    assert person_api.post(_url(close_call), first, format="json").status_code == 200
    second = {"answers": _api_answers(tie_breakers, MLOPS), "client_id": str(uuid.uuid4())}

    response = person_api.post(_url(close_call), second, format="json")

    assert response.status_code == 400
    assert "already settled" in json.dumps(response.json())


def test_the_api_refuses_a_clear_lean(person_api, tie_breakers, version, person):
    clear = submit(version, person, (MLOPS,))
    assert detail(person_api, clear)["tie_breakers"] == []
    body = {"answers": _api_answers(tie_breakers, DATA), "client_id": str(uuid.uuid4())}

    response = person_api.post(_url(clear), body, format="json")

    assert response.status_code == 400
    assert "not a close call" in json.dumps(response.json())


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda body: body.update(answers=body["answers"][:4]), "answers"),
        (lambda body: body.update(answers=[]), "answers"),
        (lambda body: body.pop("client_id"), "client_id"),
        (lambda body: body.update(client_id="not-a-uuid"), "client_id"),
        (lambda body: body["answers"][0].update(choice=999999), "answers"),
    ],
)
def test_the_api_names_the_field_at_fault(person_api, close_call, tie_breakers, change, field):
    body = {"answers": _api_answers(tie_breakers, DATA), "client_id": str(uuid.uuid4())}
    change(body)

    response = person_api.post(_url(close_call), body, format="json")

    assert response.status_code == 400
    assert field in json.dumps(response.json())
    assert not Assessment.objects.get(pk=close_call.pk).settled_by_tie_breakers


def test_someone_elses_result_is_404_in_the_api(api, close_call, tie_breakers):
    stranger = UserFactory()
    api.force_authenticate(stranger)
    body = {"answers": _api_answers(tie_breakers, DATA), "client_id": str(uuid.uuid4())}
    assert api.post(_url(close_call), body, format="json").status_code == 404
    assert (
        api.post(
            f"/api/v1/assessments/{uuid.uuid4()}/tie-breakers/", body, format="json"
        ).status_code
        == 404
    )


# --- the result page ------------------------------------------------------------------------


def _page_url(result):
    return f"/assessment/result/{result.pk}/tie-breakers/"


def _form_data(tie_breakers, role, client_id=None):
    return {
        "client_id": str(client_id or uuid.uuid4()),
        **{f"question_{q}": c for q, c in _answers(tie_breakers, role)},
    }


def test_the_page_offers_the_tie_breakers_and_shows_both_readings(web, close_call, tie_breakers):
    page = text_of(web.get(close_call.get_absolute_url()))
    assert "It's close: 5 more questions to settle it" in page

    response = web.post(_page_url(close_call), _form_data(tie_breakers, DATA))

    assert response.status_code == 302
    page = text_of(web.get(close_call.get_absolute_url()))
    assert "Settled with the tie-breakers" in page
    assert (
        "Before the tie-breakers: MLOps engineer 50% · Data engineer 50% (0 points apart)" in page
    )
    assert "With the tie-breakers: Data engineer 63% · MLOps engineer 37% (26 points apart)" in page
    assert "It's close" not in page


def test_the_page_shows_missing_answers_at_their_questions(web, close_call, tie_breakers):
    data = _form_data(tie_breakers, DATA)
    del data[f"question_{tie_breakers[2].pk}"]

    response = web.post(_page_url(close_call), data)

    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="error-{tie_breakers[2].pk}"' in html
    assert not Assessment.objects.get(pk=close_call.pk).settled_by_tie_breakers


def test_the_page_settles_once_even_when_posted_twice(web, close_call, tie_breakers):
    data = _form_data(tie_breakers, DATA)
    assert web.post(_page_url(close_call), data).status_code == 302
    assert web.post(_page_url(close_call), data).status_code == 302  # the same post again
    other = _form_data(tie_breakers, MLOPS)
    response = web.post(_page_url(close_call), other)
    assert response.status_code == 400
    assert "already settled" in text_of(response)


def test_someone_elses_result_is_404_on_the_site(client, close_call, tie_breakers):
    client.force_login(UserFactory())
    response = client.post(_page_url(close_call), _form_data(tie_breakers, DATA))
    assert response.status_code == 404


def test_a_clear_lean_offers_no_tie_breakers(web, tie_breakers, version, person):
    clear = submit(version, person, (MLOPS,))
    assert "It's close" not in text_of(web.get(clear.get_absolute_url()))


# --- what the pages cost --------------------------------------------------------------------


def _warm(version):
    """The catalog reads a warm site has in its cache (once per catalog version)."""
    from assessments.selectors.figures import peers_reference_role
    from core.caching import peers_version
    from quizzes import selectors as quiz_selectors

    peers_reference_role()
    peers_version()  # the shared versions, read at most once a second by each process
    quiz_selectors.tie_breakers_to_answer(version=version)
    quiz_selectors.tie_breaker_scoring_questions(version=version)


def test_a_close_calls_page_with_its_tie_breakers_costs_what_any_result_costs(
    web, close_call, tie_breakers, version, django_assert_num_queries
):
    _warm(version)
    # session, user, the result, its scores, answers and tools, everyone's counts, the
    # owner's feedback, their live share links and their follow-up: the tie-breakers come
    # from the cache.
    with django_assert_num_queries(11):
        response = web.get(close_call.get_absolute_url())
    assert response.context["tie_breakers_form"] is not None

    _settle(close_call, tie_breakers, DATA)
    with django_assert_num_queries(11):
        response = web.get(close_call.get_absolute_url())
    assert response.context["first_reading"] is not None


def test_a_close_calls_api_answer_costs_a_fixed_number_of_queries(
    person_api, close_call, tie_breakers, version, django_assert_num_queries
):
    _warm(version)
    url = f"/api/v1/assessments/{close_call.pk}/"
    # the token, the result, its scores, answers and tools, and everyone's counts: the
    # tie-breakers come from the cache.
    with django_assert_num_queries(6):
        body = person_api.get(url).json()
    assert len(body["tie_breakers"]) == 5


def test_a_settled_result_re_scores_from_the_quizs_own_answers(
    person_api, close_call, tie_breakers, version
):
    from tests.assessments.helpers import new_answers, rescore_url
    from tests.helpers import publish_changed_version

    _settle(close_call, tie_breakers, DATA)
    # A copy keeps the tie-breakers (the helper removes the last question by order, here a
    # tie-breaker, and adds two questions to the quiz).
    version_two = publish_changed_version(version)
    assert version_two.questions.filter(is_tie_breaker=True).count() == 4

    response = person_api.post(
        rescore_url(close_call.pk),
        {"answers": new_answers(version_two), "save": True, "client_id": str(uuid.uuid4())},
        format="json",
    )

    assert response.status_code == 201, response.content
    rescored = Assessment.objects.get(pk=response.json()["id"])
    # The quiz's own 14 answers carried and the 2 new ones; no tie-breaker carried over.
    assert rescored.answers.count() == 16
    assert not rescored.answers.filter(question__is_tie_breaker=True).exists()
    assert not rescored.settled_by_tie_breakers


def test_the_browser_that_took_an_anonymous_close_call_settles_it(client, tie_breakers, version):
    from tests.helpers import answers_leaning_to, take_assessment

    response = take_assessment(client, answers_leaning_to(version, [MLOPS, DATA]))
    result = Assessment.objects.get()
    assert "It's close" in text_of(client.get(response.url))

    assert client.post(_page_url(result), _form_data(tie_breakers, DATA)).status_code == 302

    result.refresh_from_db()
    assert result.settled_by_tie_breakers and result.user_id is None
    # Another browser can't.
    other = type(client)()
    assert other.post(_page_url(result), _form_data(tie_breakers, MLOPS)).status_code == 404
