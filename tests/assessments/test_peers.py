"""Everyone's results as kept counts: the pure rules, the counts kept by every write, the
rebuild, the figures' privacy thresholds, and concurrent submissions."""

import random
import uuid
from collections import Counter
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from assessments import peers
from assessments.models import Assessment, PeerCount, ResultFeedback
from assessments.selectors.assessment import assessment_get_for_viewer
from assessments.selectors.figures import methodology_get, peer_figures, peers_reference_role
from assessments.services.assessment import assessment_delete, assessment_submit
from assessments.services.attempt import anonymous_assessments_claim
from assessments.services.feedback import feedback_delete, feedback_set
from assessments.services.figures import peer_counts_rebuild
from careerguide.accounts import services as account_services
from quizzes import selectors as quiz_selectors
from tests.factories import UserFactory, site_content_create
from tests.helpers import answers_leaning_to, at_once

# The pure rules ------------------------------------------------------------------------------


def test_lean_is_the_reference_roles_fit_minus_the_best_other():
    assert peers.lean({"mlops": 80, "data": 30}, "mlops") == 50
    assert peers.lean({"mlops": 30, "data": 80}, "mlops") == -50
    assert peers.lean({"mlops": 50, "data": 20, "ml": 60}, "mlops") == -10
    assert peers.lean({"mlops": 50}, "mlops") == 0


@pytest.mark.parametrize(
    ("lean", "band"), [(-100, -100), (-91, -100), (-1, -10), (0, 0), (9, 0), (95, 90), (100, 90)]
)
def test_every_lean_falls_in_one_band_of_ten(lean, band):
    assert peers.lean_band(lean) == band


def test_small_bands_merge_with_their_neighbours_and_no_bar_is_under_five():
    bars = peers.histogram({-30: 2, -20: 2, -10: 9, 0: 1, 10: 6, 40: 3}, you=12)
    assert [(bar.start, bar.end, bar.count) for bar in bars] == [
        (-30, 0, 15),  # 2 + 2 alone are too few: merged up to the band of 9 (13, shown 15)
        (0, 50, 10),  # 1 + 6 make a bar; the 3 left at the right join it
    ]
    assert [bar.has_you for bar in bars] == [False, True]
    assert all(bar.count >= peers.SMALLEST_BAR for bar in bars)


def test_fewer_than_five_in_all_make_no_bar():
    assert peers.histogram({0: 2, 50: 2}) == []


def test_shares_round_half_up():
    assert peers.percent_of(1, 8) == 13  # 12.5
    assert peers.percent_of(2, 3) == 67
    assert peers.percent_of(0, 0) == 0


def test_counted_keys_name_the_results_lean_top_role_choices_and_language():
    keys = peers.counted_keys(
        percents={"a": 70, "b": 40}, reference="a", top_role="a", choice_ids=[5, 9], language="es"
    )
    assert keys == [
        ("people", ""),
        ("lean", "30"),
        ("top", "a"),
        ("choice", "5"),
        ("choice", "9"),
        ("language", "es"),
    ]


# Counts kept by every write ------------------------------------------------------------------


def kept_counts() -> Counter:
    return Counter(
        {
            (version_id, kind, key): count
            for version_id, kind, key, count in PeerCount.objects.values_list(
                "version_id", "kind", "key", "count"
            )
            if count
        }
    )


def rebuilt_counts() -> Counter:
    peer_counts_rebuild()
    return kept_counts()


def submit(version, person=None, lean_to=("mlops-engineer",), language="en"):
    assessment, _ = assessment_submit(
        version=version,
        answers=answers_leaning_to(version, list(lean_to)).items(),
        client_id=uuid.uuid4(),
        user=person,
        language=language,
    )
    return assessment


def test_a_kept_result_counts_and_a_deleted_one_stops_counting(version, person):
    assessment = submit(version, person)
    assert kept_counts()[(version.pk, "people", "")] == 1
    assert kept_counts()[(version.pk, "top", "mlops-engineer")] == 1
    assessment_delete(assessment_id=assessment.pk, user=person)
    assert kept_counts() == Counter()


def test_an_anonymous_result_counts_once_it_is_kept(version, person):
    assessment = submit(version, None)
    assert kept_counts() == Counter()
    anonymous_assessments_claim(user=person, assessment_ids=[str(assessment.pk)], attempt=None)
    assert kept_counts()[(version.pk, "people", "")] == 1
    # Claiming again (another log-in of the same browser) counts nothing twice.
    anonymous_assessments_claim(user=person, assessment_ids=[str(assessment.pk)], attempt=None)
    assert kept_counts()[(version.pk, "people", "")] == 1


def test_a_deleted_account_stops_counting_at_once(version):
    person = UserFactory(password="a-long-password-1")
    submit(version, person)
    submit(version, person, ["data-engineer"])
    submit(version, UserFactory())
    assert kept_counts()[(version.pk, "people", "")] == 2
    account_services.user_delete(user=person, password="a-long-password-1")
    assert kept_counts()[(version.pk, "people", "")] == 1
    assert kept_counts() == rebuilt_counts()


def test_rebuilt_counts_equal_the_kept_ones_after_a_random_mix(version):
    randomness = random.Random(20261202)
    people = [UserFactory() for _ in range(4)]
    kept: list[Assessment] = []
    anonymous: list[Assessment] = []
    for _ in range(40):
        move = randomness.choice(["submit", "submit", "anonymous", "claim", "delete"])
        lean_to = randomness.choice(
            [["mlops-engineer"], ["data-engineer"], ["data-engineer", "mlops-engineer"]]
        )
        if move == "submit":
            kept.append(submit(version, randomness.choice(people), lean_to))
        elif move == "anonymous":
            anonymous.append(submit(version, None, lean_to))
        elif move == "claim" and anonymous:
            claimed = anonymous.pop()
            owner = randomness.choice(people)
            anonymous_assessments_claim(user=owner, assessment_ids=[str(claimed.pk)], attempt=None)
            claimed.refresh_from_db()
            kept.append(claimed)
        elif move == "delete" and kept:
            gone = kept.pop(randomness.randrange(len(kept)))
            assessment_delete(assessment_id=gone.pk, user=gone.user)
    before = kept_counts()
    assert before[(version.pk, "people", "")] == len({result.user_id for result in kept})
    assert rebuilt_counts() == before


# The figures on a result ---------------------------------------------------------------------


def figures_for(assessment, viewer):
    shown = assessment_get_for_viewer(
        assessment_id=assessment.pk, user=viewer, session_assessment_ids=[]
    )
    return peer_figures(assessment=shown)


def test_below_the_threshold_only_the_number_still_needed_is_given(version, person, settings):
    settings.PEERS_MIN_RESULTS = 5
    mine = submit(version, person)
    for _ in range(3):
        submit(version, UserFactory())
    figures = figures_for(mine, person)
    # 1 missing, said in a step of 5 ("at most 5 more"), and no count of the 4 given.
    assert (figures.shown, figures.people, figures.people_needed) == (False, None, 5)
    assert figures.histogram == [] and figures.same_choice == []


def test_at_the_threshold_the_figures_place_the_result(version, person, settings):
    settings.PEERS_MIN_RESULTS = 5
    mine = submit(version, person)
    for lean_to in (["mlops-engineer"],) * 9 + (["data-engineer"],) * 5:
        submit(version, UserFactory(), lean_to)
    figures = figures_for(mine, person)
    assert figures.shown and figures.people == 15
    assert figures.same_lean_percent == 67  # 10 of 15 have MLOps on top, this one included
    assert sum(bar.count for bar in figures.histogram) == 15
    assert [bar.has_you for bar in figures.histogram].count(True) == 1
    assert all(bar.count >= 5 for bar in figures.histogram)
    assert len(figures.same_choice) == len(mine.answers.filter(reason_rank__isnull=False))
    assert all(same.percent is None or 0 < same.percent < 100 for same in figures.same_choice)


def test_the_figures_cost_one_query_whatever_the_number_of_results(
    version, person, settings, django_assert_num_queries
):
    settings.PEERS_MIN_RESULTS = 1
    mine = submit(version, person)
    for _ in range(30):
        submit(version, UserFactory())
    shown = assessment_get_for_viewer(assessment_id=mine.pk, user=person, session_assessment_ids=[])
    peers_reference_role()  # from the catalog cache, as on a warm site
    with django_assert_num_queries(1):
        peer_figures(assessment=shown)


# The methodology figures ---------------------------------------------------------------------


def test_methodology_figures_split_feedback_by_clear_lean_and_close_call(version, settings):
    settings.PEERS_MIN_RESULTS = 5
    clear = [submit(version, UserFactory()) for _ in range(10)]
    close = [submit(version, UserFactory(), ["data-engineer", "mlops-engineer"]) for _ in range(15)]
    Assessment.objects.filter(pk__in=[a.pk for a in clear]).update(margin=30)
    Assessment.objects.filter(pk__in=[a.pk for a in close]).update(margin=2)
    said = [True] * 5 + [False] * 5 + [True] * 10 + [False] * 5
    for assessment, feels_right in zip(clear + close, said, strict=True):
        feedback_set(assessment_id=assessment.pk, user=assessment.user, feels_right=feels_right)
    (figures,) = [row for row in methodology_get().versions if row.version == version]
    assert (figures.results, figures.answers, figures.feels_right_percent) == (25, 25, 60)
    assert (figures.clear.answers, figures.clear.feels_right_percent) == (10, 50)
    assert (figures.close_call.answers, figures.close_call.feels_right_percent) == (15, 67)
    assert figures.shown


def test_methodology_figures_split_by_the_language_results_were_taken_in(version, settings):
    settings.PEERS_MIN_RESULTS = 5
    english = [submit(version, UserFactory(), language="en") for _ in range(12)]
    spanish = [submit(version, UserFactory(), language="es") for _ in range(10)]
    submit(version, None, language="es")  # not kept (anonymous): not counted
    said = [True] * 7 + [False] * 5 + [True] * 5 + [False] * 5
    for assessment, feels_right in zip(english + spanish, said, strict=True):
        feedback_set(assessment_id=assessment.pk, user=assessment.user, feels_right=feels_right)

    (figures,) = [row for row in methodology_get().versions if row.version == version]

    # As shown: rounded to 5 (12 is 10, 22 is 20, 7 is 5).
    assert [
        (row.language, row.results, row.answers, row.feels_right) for row in figures.languages
    ] == [
        ("en", 10, 10, 5),
        ("es", 10, 10, 5),
    ]
    assert (figures.results, figures.answers, figures.feels_right) == (20, 20, 10)
    assert figures.languages_split_shown
    assert [row.feels_right_percent for row in figures.languages] == [50, 50]
    assert kept_counts()[(version.pk, "language", "es")] == 10
    assert kept_counts() == rebuilt_counts()


def test_a_language_with_too_few_answers_hides_every_languages_share(version, settings):
    settings.PEERS_MIN_RESULTS = 2
    for language in ["en", "en", "es"]:
        assessment = submit(version, UserFactory(), language=language)
        feedback_set(assessment_id=assessment.pk, user=assessment.user, feels_right=True)

    (figures,) = [row for row in methodology_get().versions if row.version == version]

    # Spanish's one answer could be worked out from the total and English's share.
    assert figures.shown and not figures.languages_split_shown


def test_a_result_keeps_the_language_it_was_taken_in_and_an_unknown_one_is_english(version):
    assert submit(version, language="es").language == "es"
    assert submit(version, language="xx").language == "en"


# Feedback ------------------------------------------------------------------------------------


def test_feedback_is_one_per_result_changeable_and_only_the_owners(version, person):
    mine = submit(version, person)
    feedback_set(assessment_id=mine.pk, user=person, feels_right=True, comment=" Spot on ")
    feedback_set(assessment_id=mine.pk, user=person, feels_right=False)
    feedback = ResultFeedback.objects.get()
    assert (feedback.feels_right, feedback.comment) == (False, "")
    with pytest.raises(Assessment.DoesNotExist):
        feedback_set(assessment_id=mine.pk, user=UserFactory(), feels_right=True)
    with pytest.raises(Assessment.DoesNotExist):
        feedback_delete(assessment_id=mine.pk, user=UserFactory())
    feedback_delete(assessment_id=mine.pk, user=person)
    assert not ResultFeedback.objects.exists()


@pytest.mark.parametrize(
    ("feels_right", "comment", "field"),
    [
        ("yes", "", "feels_right"),
        (None, "", "feels_right"),
        (True, "x" * 501, "comment"),
        (True, 5, "comment"),
    ],
)
def test_bad_feedback_is_refused_at_its_field(version, person, feels_right, comment, field):
    mine = submit(version, person)
    with pytest.raises(ValidationError) as caught:
        feedback_set(assessment_id=mine.pk, user=person, feels_right=feels_right, comment=comment)
    assert field in caught.value.message_dict
    assert not ResultFeedback.objects.exists()


# Concurrency ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_lose_no_count():
    site_content_create()  # committed, so that every thread's connection sees it
    version = quiz_selectors.current_version_get()
    people = [UserFactory() for _ in range(8)]
    leanings = [["mlops-engineer"], ["data-engineer"]] * (len(people) // 2)
    pairs = zip(people, leanings, strict=True)
    race = at_once(*(partial(submit, version, person, lean_to) for person, lean_to in pairs))

    assert race.errors == []
    kept = kept_counts()
    assert kept[(version.pk, "people", "")] == len(people)
    assert kept[(version.pk, "top", "mlops-engineer")] == 4
    assert rebuilt_counts() == kept
    assert connection.vendor in {"sqlite", "postgresql"}
