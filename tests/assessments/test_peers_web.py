"""The evidence behind a result on the site: "you against everyone" on the result page, "does
this feel right?" on one's own result, the methodology page, the editors' figures in the admin
and the person's feedback in their data export."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import charts, peers
from assessments.models import Assessment
from assessments.services.feedback import feedback_set
from tests.assessments.helpers import MLOPS, html_of, submit, text_of
from tests.factories import UserFactory
from tests.helpers import answers_leaning_to, take_assessment

pytestmark = pytest.mark.django_db


DATA = "data-engineer"


def everyone(version, *, mlops: int, data: int, mixed: int = 0) -> None:
    """Other people's kept results: all-MLOps, all-data and mixed ones."""
    for lean_to, count in (((MLOPS,), mlops), ((DATA,), data), ((DATA, DATA, MLOPS), mixed)):
        for _ in range(count):
            submit(version, UserFactory(), lean_to)


# You against everyone ------------------------------------------------------------------------


def test_below_the_threshold_the_page_says_how_many_more_are_needed(
    owner_web, version, mine_mlops, settings
):
    settings.PEERS_MIN_RESULTS = 5
    everyone(version, mlops=1, data=0)

    response = owner_web.get(mine_mlops.get_absolute_url())

    assert response.status_code == 200
    # 3 missing, said in a step of 5, so that the number never moves with one person.
    assert "At most 5 more people need to keep a result on this version before figures" in (
        text_of(response)
    )
    assert response.context["lean_chart"] is None
    assert "you are here" not in html_of(response)
    assert "chose the same" not in html_of(response)


def test_the_people_still_needed_are_said_in_steps_of_five(
    owner_web, version, mine_mlops, settings
):
    settings.PEERS_MIN_RESULTS = 20
    everyone(version, mlops=12, data=0)  # 13 people, 7 missing
    assert "At most 10 more people need to keep a result" in text_of(
        owner_web.get(mine_mlops.get_absolute_url())
    )


def test_at_the_threshold_the_figures_place_the_result(owner_web, version, mine_mlops, settings):
    settings.PEERS_MIN_RESULTS = 20
    everyone(version, mlops=11, data=6, mixed=2)  # 20 with mine; 12 have MLOps on top

    response = owner_web.get(mine_mlops.get_absolute_url())
    html, text = html_of(response), text_of(response)

    assert response.status_code == 200
    # 12 of 20 have MLOps on top: 10 of 20 as shown (counts rounded to 5).
    assert (
        "50% of the about 20 people who kept a result on this version (you included) have "
        "MLOps engineer on top" in text
    )
    chart = response.context["lean_chart"]
    assert [bar.has_you for bar in chart.bars].count(True) == 1
    assert all(bar.count >= peers.SMALLEST_BAR for bar in chart.bars)
    assert all(bar.count % peers.COUNT_STEP == 0 for bar in chart.bars)
    # The chart: an image with a title and a description, "you are here", labelled axis ends.
    assert (
        'role="img" aria-labelledby="lean-chart-title" aria-describedby="lean-chart-desc"' in html
    )
    assert "you are here" in html
    assert "← Data engineer" in html and "MLOps engineer →" in html
    # Its table alternative: every bar's range and count, this result's marked.
    rows = re.findall(
        r'<tr( class="table-primary")?><th scope="row">([^<]+)</th><td>(\d+)</td></tr>', html
    )
    assert [(words, int(count)) for _, words, count in rows] == [
        (bar.words[0].upper() + bar.words[1:] + (" (yours)" if bar.has_you else ""), bar.count)
        for bar in chart.bars
    ]
    assert [bool(marked) for marked, _, _ in rows] == [bar.has_you for bar in chart.bars]
    # Each deciding answer, with how many chose the same.
    same_choice = response.context["figures"].same_choice
    assert [same.choice for same in same_choice] == [
        answer.choice.text for answer in response.context["reasons"]
    ]
    for same in same_choice:
        assert f"You answered “{same.choice}”: {same.percent}% chose the same" in text
    # The 12 results leaning to MLOps chose those answers (a mixed one may have too): 10 or 15
    # of 20 as shown.
    assert len(same_choice) == 3 and all(same.percent in {50, 75} for same in same_choice)
    assert "How these figures are kept private" in text


def test_no_bar_stands_for_fewer_than_five_results(owner_web, version, mine_mlops, settings):
    settings.PEERS_MIN_RESULTS = 10
    everyone(version, mlops=3, data=8, mixed=2)  # bands of 4, 8 and 2

    chart = owner_web.get(mine_mlops.get_absolute_url()).context["lean_chart"]

    counts = [bar.count for bar in chart.bars]
    assert min(counts) >= peers.SMALLEST_BAR and all(count % 5 == 0 for count in counts)
    assert len(counts) == 2  # the mixed 2 joined a neighbour, mine (+100) too


def test_an_anonymous_result_is_placed_but_not_counted_nor_asked_about(client, version, settings):
    settings.PEERS_MIN_RESULTS = 5
    everyone(version, mlops=5, data=5)
    url = take_assessment(client, answers_leaning_to(version, [MLOPS])).url

    response = client.get(url)

    text = text_of(response)
    assert (
        "50% of the about 10 people who kept a result on this version have MLOps engineer on "
        "top, like yours" in text
    )
    assert "Does this feel right?" not in text
    assert 'action="' + url + 'feedback/"' not in html_of(response)


def test_the_lean_is_put_in_words_from_either_side():
    assert charts.lean_range_words(10, 20, toward="M", away="D") == "10 to 19 points towards M"
    assert charts.lean_range_words(90, 100, toward="M", away="D") == "90 to 100 points towards M"
    assert charts.lean_range_words(-30, 0, toward="M", away="D") == "1 to 30 points towards D"
    assert (
        charts.lean_range_words(-10, 10, toward="M", away="D")
        == "from 10 points towards D to 9 towards M"
    )
    assert charts.lean_words(0, toward="M", away="D") == "even: no lean either way"
    assert charts.lean_words(-1, toward="M", away="D") == "1 point towards D"


def test_the_chart_keeps_you_are_here_inside_its_frame():
    bars = [peers.Bar(-100, -90, 5), peers.Bar(90, 100, 7, has_you=True)]
    chart = charts.lean_chart(bars, toward="M", away="D", you=100)
    assert chart.you_bar is chart.bars[1]
    assert float(chart.you_label_x) + charts.YOU_LABEL_HALF_WIDTH <= chart.plot_right
    assert float(chart.bars[1].y) < float(chart.bars[0].y)  # the taller bar
    assert chart.bars[1].y == f"{charts.charts.PADDING_TOP:.1f}"


# The methodology page ------------------------------------------------------------------------


def test_the_methodology_page_explains_the_fit_and_is_linked_from_every_result(
    client, owner_web, mine_mlops, settings
):
    settings.PEERS_MIN_RESULTS = 20
    result_page = html_of(owner_web.get(mine_mlops.get_absolute_url()))
    assert 'href="/methodology/"' in result_page
    assert 'href="/methodology/"' in html_of(client.get("/assessment/"))

    response = client.get("/methodology/")

    assert response.status_code == 200
    text = text_of(response)
    assert (
        "fit = points your answers gave the role ÷ the most points the role could get × 100" in text
    )
    assert "Under 10 points apart we call it a close call" in text
    assert "Once anyone has answered a version, it is frozen" in text
    assert "We count people, not results" in text
    assert "no figure until at least 20 people have kept a result on a version" in text
    assert "No bar, count or share stands for fewer than 5 people" in text
    assert "Every count is rounded to the nearest 5" in text
    assert 'id="privacy"' in html_of(response)
    assert "Fewer than 5 people have kept a result." in text
    assert "At most 20 more answers to “does this feel right?” needed" in text


def feedback_from(version, *, clear_yes=0, clear_no=0, close_yes=0, close_no=0) -> None:
    """Feedback from other people on results with a clear lean and with a close call."""
    for lean_to, margin, feels_right, count in (
        ((MLOPS,), 30, True, clear_yes),
        ((MLOPS,), 30, False, clear_no),
        ((DATA, MLOPS), 2, True, close_yes),
        ((DATA, MLOPS), 2, False, close_no),
    ):
        for _ in range(count):
            person = UserFactory()
            result = submit(version, person, lean_to)
            Assessment.objects.filter(pk=result.pk).update(margin=margin)
            feedback_set(assessment_id=result.pk, user=person, feels_right=feels_right)


def test_the_methodology_figures_appear_with_enough_answers_and_split_only_when_both_sides_have(
    client, version, settings
):
    settings.PEERS_MIN_RESULTS = 5
    feedback_from(version, clear_yes=5, clear_no=5, close_yes=1)

    text = text_of(client.get("/methodology/"))
    assert "About 10 people have kept a result." in text  # 11
    assert "All 10 5 (50%)" in text  # 11 answers, 6 yes: shown from the rounded counts
    assert "With a close call" not in text  # one answer: it would give that person away
    assert "The split by clear lean and close call appears once each has 5 answers" in text

    feedback_from(version, close_yes=2, close_no=2)
    text = text_of(client.get("/methodology/"))
    assert "All 15 10 (67%)" in text  # 15 answers, 8 yes
    assert "With a clear lean 10 5 (50%)" in text
    # 5 close calls, 3 yes: no count of fewer than 5, and no share with one side under 5.
    assert "With a close call 5 fewer than 5 Version" in text


def test_the_methodology_page_costs_the_same_whatever_the_number_of_results(
    client, version, settings, django_assert_num_queries
):
    settings.PEERS_MIN_RESULTS = 2
    feedback_from(version, clear_yes=2, close_no=2)
    # versions, kept result counts, feedback counts, the follow-ups' outcomes; and the
    # evidence's seven (tests/assessments/test_evidence_figures.py)
    with django_assert_num_queries(11):
        small = client.get("/methodology/")
    feedback_from(version, clear_yes=10, close_no=10)
    with django_assert_num_queries(11):
        big = client.get("/methodology/")
    assert small.status_code == big.status_code == 200


# Editors' figures and the person's export ----------------------------------------------------


def test_editors_see_the_figures_on_the_versions_page(editor_client, version, settings):
    settings.PEERS_MIN_RESULTS = 5
    url = f"/admin/quizzes/quizversion/{version.pk}/change/"
    before = text_of(editor_client.get(url))
    assert "At most 5 more answers to “does this feel right?” needed" in before

    feedback_from(version, clear_yes=5, clear_no=5, close_yes=7, close_no=3)
    response = editor_client.get(url)
    assert response.status_code == 200
    text = text_of(response)
    assert "About 20 people have kept a result." in text
    assert "All 20 10 (50%)" in text  # 12 yes of 20, shown from the rounded counts
    assert "With a clear lean 10 5 (50%)" in text
    # 7 yes (shown 5) and 3 "not really": no share, which would give the three away.
    assert "With a close call 10 5 " in text and "With a close call 10 5 (" not in text


def test_the_add_page_has_no_figures_yet(editor_client):
    response = editor_client.get("/admin/quizzes/quizversion/add/")
    assert response.status_code == 200


def test_the_data_export_holds_each_results_own_feedback(owner_web, version, owner, mine_mlops):
    feedback_set(assessment_id=mine_mlops.pk, user=owner, feels_right=True, comment="Yes!")
    second = submit(version, owner, (DATA,))

    data = json.loads(owner_web.get("/profile/export/").content)

    by_id = {row["id"]: row for row in data["assessments"]}
    assert by_id[str(mine_mlops.pk)]["feedback"]["feels_right"] is True
    assert by_id[str(mine_mlops.pk)]["feedback"]["comment"] == "Yes!"
    assert by_id[str(mine_mlops.pk)]["feedback"]["updated"]
    assert by_id[str(second.pk)]["feedback"] is None


def test_the_data_export_costs_the_same_whatever_the_number_of_results(owner_web, version, owner):
    def export_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert owner_web.get("/profile/export/").status_code == 200
        return len(captured)

    for _ in range(2):
        result = submit(version, owner)
        feedback_set(assessment_id=result.pk, user=owner, feels_right=True)
    few = export_queries()
    for _ in range(8):
        result = submit(version, owner, (DATA,))
        feedback_set(assessment_id=result.pk, user=owner, feels_right=False)
    assert export_queries() == few
