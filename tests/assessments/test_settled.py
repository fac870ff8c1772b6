"""A result records the question after which no remaining answer could have changed its top
role, and says so on its page and in the API."""

import pytest

from assessments.models import Assessment
from tests.assessments.helpers import DATA, MLOPS, detail, submit, text_of

pytestmark = pytest.mark.django_db


def test_a_clear_lean_is_settled_half_way(version, person):
    # 14 questions, each worth 100/14 points of fit to the role it leans to. Leaning to MLOps
    # throughout: after question 7 MLOps leads by 7 shares and the 7 left could give data
    # engineering 7: a tie at worst, which MLOps wins as first in the catalog.
    assert submit(version, person, (MLOPS,)).settled_at_question == 7
    # Leaning to data engineering, the same tie would go to MLOps: one more question needed.
    assert submit(version, person, (DATA,)).settled_at_question == 8


def test_a_close_call_is_settled_only_near_the_end(version, person):
    # Alternating MLOps, data: the lead is never more than one question's worth while two or
    # more are left. After question 13 MLOps leads by one and the last can only tie, which
    # MLOps wins.
    result = submit(version, person, (MLOPS, DATA))
    assert result.settled_at_question == 13


def test_the_result_page_says_when_it_was_settled(web, version, person):
    result = submit(version, person, (MLOPS,))
    page = text_of(web.get(result.get_absolute_url()))
    assert "Settled after question 7 of 14" in page


def test_an_old_result_without_it_says_nothing(web, version, person):
    result = submit(version, person, (MLOPS,))
    Assessment.objects.filter(pk=result.pk).update(settled_at_question=None)
    assert "Settled after" not in text_of(web.get(result.get_absolute_url()))


def test_the_api_gives_settled_at_question_and_close_call(person_api, version, person):
    clear = detail(person_api, submit(version, person, (MLOPS,)))
    close = detail(person_api, submit(version, person, (MLOPS, DATA)))
    assert (clear["settled_at_question"], clear["close_call"]) == (7, False)
    assert (close["settled_at_question"], close["close_call"]) == (13, True)
