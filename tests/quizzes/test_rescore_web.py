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
from tests.factories import TEST_PASSWORD, UserFactory, make_quiz_version
from tests.helpers import answers_leaning_to, publish_changed_version

pytestmark = pytest.mark.django_db

MLOPS, DATA = "mlops-engineer", "data-engineer"


@pytest.fixture
def old_result(version, person):
    """The person's result on version 1: a tie, so MLOps (first in the catalog) comes first."""
    assessment, _ = assessment_submit(
        version=version,
        answers=answers_leaning_to(version, [MLOPS, DATA]).items(),
        client_id=uuid.uuid4(),
        user=person,
    )
    return assessment


@pytest.fixture
def version_two(old_result, version):
    return publish_changed_version(version)


@pytest.fixture
def web(person):
    """The person, logged in through the log-in page as a browser is."""
    client = Client()
    client.post("/accounts/login/", {"username": person.username, "password": TEST_PASSWORD})
    return client


def _url(assessment) -> str:
    return f"/assessment/result/{assessment.pk}/rescore/"


def _new_question(version, key) -> Question:
    return Question.objects.get(version=version, key=key)


def _choice(version, key, choice_key="for-data-engineer") -> int:
    return _new_question(version, key).choices.get(key=choice_key).pk


def _field(version, key) -> str:
    return f"question_{_new_question(version, key).pk}"


def _compare_data(version, *, cloud="for-data-engineer", dashboards="for-data-engineer"):
    data = {"version": version.pk, "action": "compare"}
    for key, choice in (("cloud", cloud), ("dashboards", dashboards)):
        if choice is not None:
            data[_field(version, key)] = _choice(version, key, choice)
    return data


def _hidden_fields(response) -> dict[str, str]:
    """The hidden fields of the comparison's save form, as the browser sends them back."""
    form = response.content.decode().split('class="rescore-save"')[1].split("</form>")[0]
    return dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', form))


def _save_data(comparison) -> dict[str, str]:
    return {**_hidden_fields(comparison), "action": "save"}


def _text(response) -> str:
    """The page's words, without tags or runs of white space."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# The offer ----------------------------------------------------------------------------------


def test_the_result_offers_it_only_once_its_version_is_no_longer_current(web, old_result, version):
    page = web.get(old_result.get_absolute_url())  # kept in the cache for the owner
    assert "See this under the current questions" not in page.content.decode()

    publish_changed_version(version)

    page = web.get(old_result.get_absolute_url())
    assert page.status_code == 200
    assert f'href="{_url(old_result)}"' in page.content.decode()
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
    assert f'href="{_url(old_result)}"' in html
    assert _url(new) not in html
    assert html.count("See this under the current questions") == 1


# The questions to answer ------------------------------------------------------------------


def test_the_page_says_what_carries_over_and_asks_only_the_new_questions(
    web, old_result, version_two
):
    response = web.get(_url(old_result))

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    text = _text(response)
    assert "13 of your answers carry over to today's questions (version 2)" in text
    assert "2 new questions to answer" in text
    html = response.content.decode()
    shown = re.findall(r'<fieldset class="question[^"]*" id="question-(\d+)"', html)
    assert [int(pk) for pk in shown] == [
        _new_question(version_two, "cloud").pk,
        _new_question(version_two, "dashboards").pk,
    ]
    assert html.count("<legend") == 2
    assert "Question 1 of 2." in html and "Question 2 of 2." in html
    # One radio per choice: one per role and the middle one.
    assert html.count('type="radio"') == 6
    assert Assessment.objects.count() == 1


def test_comparing_shows_both_readings_and_what_moved_them_and_writes_nothing(
    web, old_result, version_two, person
):
    response = web.post(_url(old_result), _compare_data(version_two))

    assert response.status_code == 200, _text(response)[:2000]
    assert Assessment.objects.count() == 1
    preview = rescore_preview(
        assessment=assessment_get_owned(assessment_id=old_result.pk, user=person),
        answers=[
            (_new_question(version_two, key).pk, _choice(version_two, key))
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
    text = _text(response)
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
    cloud = _new_question(version_two, "cloud").text
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
    comparison = web.post(_url(old_result), _compare_data(version_two, cloud="middle"))
    response = web.post(_url(old_result), {**_hidden_fields(comparison), "action": "change"})

    assert response.status_code == 200
    html = response.content.decode()
    checked = re.findall(r'value="(\d+)" id="[^"]+" checked', html)
    assert sorted(int(pk) for pk in checked) == sorted(
        [_choice(version_two, "cloud", "middle"), _choice(version_two, "dashboards")]
    )
    assert "Please answer" not in html and Assessment.objects.count() == 1


# Saving -------------------------------------------------------------------------------------


def test_saving_makes_a_new_result_linked_back_and_leaves_the_old_one(
    web, old_result, version_two, person
):
    old_scores = list(old_result.scores.values_list("role__slug", "percent"))
    comparison = web.post(_url(old_result), _compare_data(version_two))

    response = web.post(_url(old_result), _save_data(comparison))

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
    text = _text(page)
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
    comparison = web.post(_url(old_result), _compare_data(version_two))
    data = _save_data(comparison)

    first = web.post(_url(old_result), data)
    again = web.post(_url(old_result), data)

    assert first.status_code == again.status_code == 302
    assert first.url == again.url
    assert Assessment.objects.count() == 2


def test_each_showing_of_the_comparison_saves_under_its_own_client_id(web, old_result, version_two):
    first = _hidden_fields(web.post(_url(old_result), _compare_data(version_two)))
    second = _hidden_fields(web.post(_url(old_result), _compare_data(version_two)))
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

    response = web.get(_url(assessment))

    assert response.status_code == 200
    assert "Nothing: the questions you answered count the same today." in _text(response)
    assert "Your lean holds: MLOps engineer still comes first." in _text(response)
    assert "Change my answers" not in _text(response)
    saved = web.post(_url(assessment), _save_data(response))
    assert saved.status_code == 302
    assert Assessment.objects.get(pk=saved.url.split("/")[-2]).rescored_from == assessment


# Refusals -----------------------------------------------------------------------------------


def test_a_missing_answer_shows_the_questions_again_with_the_message_at_it(
    web, old_result, version_two
):
    response = web.post(_url(old_result), _compare_data(version_two, dashboards=None))

    assert response.status_code == 400
    html = response.content.decode()
    dashboards = _new_question(version_two, "dashboards").pk
    cloud = _new_question(version_two, "cloud").pk
    assert f'id="error-{dashboards}">Please answer this question.' in html
    assert f'id="error-{cloud}"' not in html
    assert 'id="form-errors"' in html
    # The answer that was given stays ticked.
    assert re.search(rf'value="{_choice(version_two, "cloud")}" id="[^"]+" checked', html)


def test_a_save_with_a_missing_answer_saves_nothing(web, old_result, version_two):
    comparison = web.post(_url(old_result), _compare_data(version_two))
    data = _save_data(comparison)
    data.pop(_field(version_two, "cloud"))

    response = web.post(_url(old_result), data)

    assert response.status_code == 400
    assert "Please answer this question." in _text(response)
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
    data = _save_data(web.post(_url(old_result), _compare_data(version_two)))
    cloud = _field(version_two, "cloud")
    if tamper == "foreign choice":
        data[cloud] = str(_choice(version_two, "dashboards"))
    elif tamper == "not a number":
        data[cloud] = "cloud\x00"
    elif tamper == "old version":
        data["version"] = str(old_result.version_id)
    else:
        data.pop("version")

    response = web.post(_url(old_result), data)

    assert response.status_code == 400
    assert message in _text(response)
    assert Assessment.objects.count() == 1


def test_an_answer_to_a_question_that_is_not_new_is_not_taken(web, old_result, version_two):
    carried = Question.objects.get(version=version_two, key="question-2")
    data = _compare_data(version_two)
    data[f"question_{carried.pk}"] = carried.choices.get(key="middle").pk

    comparison = web.post(_url(old_result), data)
    assert comparison.status_code == 200
    assert f"question_{carried.pk}" not in _hidden_fields(comparison)
    web.post(_url(old_result), {**_save_data(comparison), f"question_{carried.pk}": "1"})

    new = Assessment.objects.exclude(pk=old_result.pk).get()
    old_choice = old_result.answers.get(question__key="question-2").choice
    assert new.answers.get(question=carried).choice.key == old_choice.key


def test_a_save_without_its_client_id_or_with_another_results_is_refused(
    web, old_result, version_two
):
    data = _save_data(web.post(_url(old_result), _compare_data(version_two)))

    missing = web.post(_url(old_result), {**data, "client_id": ""})
    taken = web.post(_url(old_result), {**data, "client_id": str(old_result.client_id)})

    assert missing.status_code == taken.status_code == 400
    assert "please compare again, then save" in _text(missing)
    assert "This page was used to save another result" in _text(taken)
    assert Assessment.objects.count() == 1


def test_another_persons_result_is_not_found(old_result, version_two):
    stranger = Client()
    stranger.force_login(UserFactory())
    assert stranger.get(_url(old_result)).status_code == 404
    assert stranger.post(_url(old_result), _compare_data(version_two)).status_code == 404
    assert stranger.get(f"/assessment/result/{uuid.uuid4()}/rescore/").status_code == 404
    assert Assessment.objects.count() == 1


def test_an_anonymous_person_is_sent_to_log_in(old_result, version_two):
    response = Client().get(_url(old_result))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert Client().post(_url(old_result), _compare_data(version_two)).status_code == 302


def test_a_result_already_on_the_current_questions_goes_back_to_it(web, old_result):
    response = web.get(_url(old_result), follow=True)

    assert response.redirect_chain == [(old_result.get_absolute_url(), 302)]
    assert "This result is already on the current questions." in _text(response)

    posted = web.post(_url(old_result), {"action": "save", "version": old_result.version_id})
    assert posted.status_code == 400
    assert "This result is already on the current questions." in _text(posted)
    assert Assessment.objects.count() == 1


def test_other_methods_are_refused(web, old_result, version_two):
    assert web.put(_url(old_result)).status_code == 405
    assert web.delete(_url(old_result)).status_code == 405


def test_posts_need_the_csrf_token(person, old_result, version_two):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(person)
    assert browser.post(_url(old_result), _compare_data(version_two)).status_code == 403


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
    client.get(_url(assessment))  # someone before: the versions' keys and questions are cached

    # session, user; the result with its scores, answers and tools
    with django_assert_num_queries(6):
        assert client.get(_url(assessment)).status_code == 200
    # the same, and the roles, once: for the new reading and their names (the page read them
    # twice before the comparison had one presenter)
    data = _compare_data(new)
    with django_assert_num_queries(7):
        comparison = client.post(_url(assessment), data)
    assert comparison.status_code == 200
    # The save: the result read by the page and again by the service, the replay and
    # client_id checks, then the submission (the version's stamp as answered, its scoring
    # table read once, bulk inserts, the kept counts) and the session's message: the same
    # whatever the number of questions.
    save = _save_data(comparison)
    with django_assert_num_queries(33):
        client.post(_url(assessment), save)
    assert Assessment.objects.filter(rescored_from=assessment).count() == 1
