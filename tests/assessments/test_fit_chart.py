"""The profile's fit chart (assessments.charts.fit_chart over fit_history): dates under its
x-axis, the points in bands across the whole width, one result as a labelled view rather than
floating dots, and everything in the page's language, role names included."""

import datetime
import uuid

import pytest
from django.test import Client
from django.utils import timezone, translation

from assessments.charts import fit_chart
from assessments.models import Assessment
from assessments.selectors.assessment import fit_history
from assessments.services.assessment import assessment_submit
from core import charts
from roles.models import Role
from tests.factories import UserFactory
from tests.helpers import answers_leaning_to

pytestmark = pytest.mark.django_db


def _results(version, person, days_ago):
    made = []
    for days in days_ago:
        assessment, _ = assessment_submit(
            version=version,
            answers=answers_leaning_to(version, ["mlops-engineer"]).items(),
            client_id=uuid.uuid4(),
            user=person,
        )
        Assessment.objects.filter(pk=assessment.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=days)
        )
        made.append(assessment)
    return made


def test_the_roles_are_named_in_the_active_language(version):
    Role.objects.filter(slug="mlops-engineer").update(name_es="Ingeniería de MLOps")
    person = UserFactory()
    _results(version, person, [3, 1])

    with translation.override("es"):
        chart = fit_chart(fit_history(user=person))
    with translation.override("en"):
        english = fit_chart(fit_history(user=person))

    assert "Ingeniería de MLOps" in chart.roles
    assert "MLOps engineer" not in chart.roles
    assert "MLOps engineer" in english.roles
    # A role without a Spanish name falls back to its English one.
    assert len(chart.roles) == len(english.roles)


def test_the_x_axis_names_the_dates_and_the_points_fill_the_width(version):
    person = UserFactory()
    _results(version, person, [40, 20, 0])

    with translation.override("es"):
        chart = fit_chart(fit_history(user=person))

    assert [date["text"] for date in chart.dates] == [
        timezone.localtime(timezone.now() - datetime.timedelta(days=days)).strftime("%-d ")
        + date_month_es(days)
        for days in (40, 20, 0)
    ]
    xs = [point.x for point in chart.series[0].points]
    assert xs[0] > charts.PADDING_LEFT and xs[-1] < charts.PLOT_RIGHT
    assert xs[-1] - xs[0] > charts.PLOT_WIDTH / 2
    assert not chart.single
    assert all("\u00a0%" in row["percents"][0] for row in chart.rows)


def date_month_es(days):
    months = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"]
    return months[timezone.localtime(timezone.now() - datetime.timedelta(days=days)).month - 1]


def test_many_results_name_a_few_dates_the_latest_always(version):
    person = UserFactory()
    _results(version, person, range(14, 0, -1))

    chart = fit_chart(fit_history(user=person))

    assert 1 < len(chart.dates) <= 6
    assert chart.dates[-1]["x"] == chart.series[0].points[-1].cx


def test_one_result_is_labelled_in_the_middle_with_a_word_on_what_comes(version):
    person = UserFactory()
    _results(version, person, [0])
    web = Client()
    web.force_login(person)

    chart = fit_chart(fit_history(user=person))
    html = web.get("/profile/").content.decode()

    assert chart.single
    assert [point.x for point in chart.series[0].points] == [
        charts.PADDING_LEFT + charts.PLOT_WIDTH / 2
    ]
    assert 'class="fit-value"' in html
    assert "One result so far" in html
