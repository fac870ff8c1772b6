"""Reading an old result under the current version: the preview and the save."""

import uuid

import pytest
from django.core.exceptions import ValidationError

from assessments import rescoring
from assessments.models import Assessment
from assessments.selectors.assessment import assessment_get_owned
from assessments.selectors.rescoring import rescore_preview, version_keys
from assessments.services.rescoring import assessment_rescore
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def owned(assessment, person):
    return assessment_get_owned(assessment_id=assessment.pk, user=person)


def new_answers(preview, choice_key="for-data-engineer"):
    keys = preview.new_keys
    return [(keys.question_ids[key], keys.choice_ids[key][choice_key]) for key in preview.missing]


def test_only_the_new_questions_are_to_answer(old_result, version_two, person):
    preview = rescore_preview(assessment=owned(old_result, person))
    assert preview.missing == ["cloud", "dashboards"]
    assert len(preview.carried) == 13 and preview.comparison is None
    assert preview.to_version == version_two


def test_the_comparison_names_every_change_with_its_effect(old_result, version_two, person):
    first_look = rescore_preview(assessment=owned(old_result, person))
    preview = rescore_preview(assessment=owned(old_result, person), answers=new_answers(first_look))
    kinds = [(change.kind, change.question) for change in preview.comparison.changes]
    assert kinds == [
        (rescoring.REMOVED, "question-14"),
        (rescoring.REWEIGHTED, "question-1"),
        (rescoring.ANSWERED, "cloud"),
        (rescoring.ANSWERED, "dashboards"),
    ]
    old_percents = {score.role.slug: score.percent for score in old_result.scores.all()}
    assert {fit.role: fit.percent for fit in preview.comparison.old.fits} == old_percents


def test_saving_makes_a_new_linked_result_and_leaves_the_old_one(old_result, version_two, person):
    answers = new_answers(rescore_preview(assessment=owned(old_result, person)))
    client_id = uuid.uuid4()
    new, created = assessment_rescore(
        assessment_id=old_result.pk, user=person, answers=answers, client_id=client_id
    )
    assert created and new.rescored_from == old_result and new.version == version_two
    assert new.answers.count() == version_two.questions.count()
    old_result.refresh_from_db()
    assert old_result.version_id != version_two.pk and old_result.answers.count() == 14
    again, created = assessment_rescore(
        assessment_id=old_result.pk, user=person, answers=answers, client_id=client_id
    )
    assert (again, created) == (new, False)
    assert Assessment.objects.filter(user=person).count() == 2


def test_a_result_on_the_current_version_is_refused(old_result, person):
    with pytest.raises(ValidationError) as caught:
        rescore_preview(assessment=owned(old_result, person))
    assert "already on the current questions" in str(caught.value)


def test_an_answer_to_a_question_that_is_not_new_is_refused(old_result, version_two, person):
    keys = version_keys(version=version_two)
    carried = keys.question_ids["question-2"]
    choice = keys.choice_ids["question-2"]["middle"]
    with pytest.raises(ValidationError) as caught:
        rescore_preview(assessment=owned(old_result, person), answers=[(carried, choice)])
    assert "not new" in caught.value.message_dict["answers"][0]


@pytest.mark.parametrize("bad", ["unknown question", "foreign choice", "twice", "not a number"])
def test_bad_answers_are_refused(old_result, version_two, person, bad):
    keys = version_keys(version=version_two)
    cloud, dashboards = keys.question_ids["cloud"], keys.question_ids["dashboards"]
    cloud_choice = keys.choice_ids["cloud"]["middle"]
    answers = {
        "unknown question": [(999999, cloud_choice)],
        "foreign choice": [(dashboards, cloud_choice)],
        "twice": [(cloud, cloud_choice), (cloud, cloud_choice)],
        "not a number": [("cloud", "middle")],
    }[bad]
    with pytest.raises(ValidationError):
        rescore_preview(assessment=owned(old_result, person), answers=answers)


def test_saving_with_a_missing_answer_is_refused_and_saves_nothing(old_result, version_two, person):
    answers = new_answers(rescore_preview(assessment=owned(old_result, person)))[:1]
    with pytest.raises(ValidationError) as caught:
        assessment_rescore(
            assessment_id=old_result.pk, user=person, answers=answers, client_id=uuid.uuid4()
        )
    assert "1 left" in caught.value.message_dict["answers"][0]
    assert Assessment.objects.filter(user=person).count() == 1


def test_someone_elses_result_is_not_found(old_result, version_two):
    with pytest.raises(Assessment.DoesNotExist):
        assessment_rescore(
            assessment_id=old_result.pk, user=UserFactory(), answers=[], client_id=uuid.uuid4()
        )
