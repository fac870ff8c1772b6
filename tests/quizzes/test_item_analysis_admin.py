"""The item analysis of a version in the admin: editors see per question the spread of its
choices, its corrected item-total correlation, alpha if left out and agreement by choice,
sortable and as CSV; nobody else does."""

import csv
import io
import uuid

import pytest

from assessments.services.assessment import assessment_submit
from assessments.services.feedback import feedback_set
from quizzes import selectors as quiz_selectors
from quizzes.admin.item_analysis import csv_safe
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MLOPS, DATA = "mlops-engineer", "data-engineer"


def _choice(question, role_slug):
    """The question's choice weighing most for the role."""
    return max(
        question.choices.all(),
        key=lambda choice: next(
            (w.weight for w in choice.weights.all() if w.role.slug == role_slug), 0
        ),
    )


def _middle(question):
    """The choice weighing the same for every role."""
    return next(
        choice
        for choice in question.choices.all()
        if len({w.weight for w in choice.weights.all()}) == 1
    )


def _seed(version, people, *, feels_right=True):
    """`people` people: each leans one way (alternately) on every question but the last two;
    everyone picks the middle choice of the second-to-last (one choice takes 100%), and the
    other way on the last (it pulls against the rest)."""
    questions = quiz_selectors.question_list(version=version, with_weights=True)
    results = []
    for index in range(people):
        lean, other = (MLOPS, DATA) if index % 2 else (DATA, MLOPS)
        # A few people stray on question 2, so not everything correlates perfectly.
        answers = {q.pk: _choice(q, lean).pk for q in questions[:-2]}
        if index % 5 == 0:
            answers[questions[1].pk] = _choice(questions[1], other).pk
        answers[questions[-2].pk] = _middle(questions[-2]).pk
        answers[questions[-1].pk] = _choice(questions[-1], other).pk
        result, _ = assessment_submit(
            version=version, answers=answers.items(), client_id=uuid.uuid4(), user=UserFactory()
        )
        feedback_set(
            assessment_id=result.pk, user=result.user, feels_right=bool(feels_right and index % 3)
        )
        results.append(result)
    return questions


def _url(version, suffix="items/"):
    return f"/admin/quizzes/quizversion/{version.pk}/{suffix}"


def test_editors_see_the_item_analysis_with_its_flags(editor_client, version, settings):
    settings.PEERS_MIN_RESULTS = 10
    questions = _seed(version, 20)

    response = editor_client.get(_url(version))

    assert response.status_code == 200
    analysis = response.context["analysis"]
    assert analysis.shown and analysis.people_shown == 20
    assert analysis.alpha is not None and analysis.low <= analysis.alpha <= analysis.high
    rows = {row.question_id: row for row in analysis.questions}
    same = rows[questions[-2].pk]
    assert same.top_percent == 100 and same.one_choice
    assert same.correlation is None  # nobody's item score varies on it
    against = rows[questions[-1].pk]
    assert against.correlation == -1.0 and against.negative and against.low_correlation
    # Leaving out the question that pulls against the rest raises alpha.
    assert against.alpha_without > analysis.alpha
    assert rows[questions[0].pk].correlation > 0.2 and not rows[questions[0].pk].low_correlation
    page = response.content.decode()
    assert "one choice takes over 90%" in page
    assert "negative: pulls against the rest" in page
    assert "higher without it" in page
    # Agreement by choice: 13 of the 20 said yes (index % 3 != 0), shown where 5 or more are
    # on each side.
    middle = next(c for c in same.choices if c.percent == 100)
    assert (middle.agreement.n, middle.agreement.yes) == (20, 15)  # 20 and 13, rounded
    assert middle.agreement.percent is not None


def test_the_questions_sort_by_any_column(editor_client, version, settings):
    settings.PEERS_MIN_RESULTS = 10
    questions = _seed(version, 20)

    by_correlation = editor_client.get(_url(version) + "?o=correlation").context["rows"]
    descending = editor_client.get(_url(version) + "?o=-spread").context["rows"]
    by_order = editor_client.get(_url(version) + "?o=nonsense").context["rows"]

    assert by_correlation[0].question_id == questions[-1].pk  # the negative one
    assert by_correlation[-1].correlation is None  # no correlation sorts last
    assert descending[0].question_id == questions[-2].pk  # the 100% one
    assert [row.order for row in by_order] == list(range(1, len(questions) + 1))


def test_the_csv_has_a_row_per_choice(editor_client, version, settings):
    settings.PEERS_MIN_RESULTS = 10
    questions = _seed(version, 20)

    response = editor_client.get(_url(version, "items.csv"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == sum(q.choices.count() for q in questions)
    last = [row for row in rows if row["question_key"] == questions[-1].key]
    assert {row["item_total_correlation"] for row in last} == {"-1.0"}  # a number
    assert {row["low_correlation"] for row in last} == {"True"}


def test_nothing_is_shown_under_the_minimum(editor_client, version, settings):
    settings.PEERS_MIN_RESULTS = 30
    _seed(version, 20)

    response = editor_client.get(_url(version))

    assert response.context["analysis"].shown is False
    assert "Shown once 30 people" in response.content.decode()
    csv_rows = editor_client.get(_url(version, "items.csv")).content.decode().splitlines()
    assert len(csv_rows) == 1  # the header only


def test_only_those_who_may_view_versions_see_it(client, staff_client, version):
    assert staff_client.get(_url(version)).status_code == 403
    assert staff_client.get(_url(version, "items.csv")).status_code == 403
    anonymous = client.get(_url(version))
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]


def test_an_unknown_version_is_404(editor_client):
    assert editor_client.get("/admin/quizzes/quizversion/999999/items/").status_code == 404


def test_the_version_page_links_to_it(editor_client, version):
    page = editor_client.get(f"/admin/quizzes/quizversion/{version.pk}/change/")
    assert _url(version) in page.content.decode()


@pytest.mark.parametrize("people", [10, 40])
def test_the_page_costs_a_fixed_number_of_queries(
    editor_client, version, settings, django_assert_num_queries, people
):
    settings.PEERS_MIN_RESULTS = 10
    _seed(version, people)
    editor_client.get(_url(version))  # the session and permissions are read the same way

    # The session, the user, the second factor the session passed (django-otp), their
    # permissions (2), then the analysis's seven: the version,
    # the roles, the questions, their choices, the weights, the counted answers, the feedback.
    with django_assert_num_queries(12):
        response = editor_client.get(_url(version))
    assert response.status_code == 200


def test_csv_cells_never_start_a_formula():
    assert csv_safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert csv_safe("-0.5") == "'-0.5"
    assert csv_safe("plain") == "plain"
    assert csv_safe(None) == ""
