"""Everyone's figures count people, not results, and show no count one person could be read
from (issue "Safe when the cache misbehaves", finding 2): each person's latest result per
version counts, nothing shows under PEERS_MIN_RESULTS people, no count, bar or share stands for
fewer than five, and shown counts are rounded."""

import importlib
import uuid
from collections import Counter
from functools import partial

import pytest
from django.apps import apps
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from assessments import peers
from assessments.models import Assessment, PeerCount
from assessments.selectors.assessment import assessment_get_for_viewer
from assessments.selectors.figures import methodology_get, peer_figures
from assessments.services.assessment import assessment_delete, assessment_submit
from assessments.services.attempt import anonymous_assessments_claim
from assessments.services.feedback import feedback_set
from assessments.services.figures import peer_counts_rebuild
from careerguide.accounts import services as account_services
from quizzes import selectors as quiz_selectors
from tests.assessments.helpers import DATA, MLOPS, submit
from tests.factories import UserFactory, site_content_create
from tests.helpers import answers_leaning_to, at_once

# The pure rules: rounding and hiding ---------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "shown"),
    [(0, None), (1, None), (4, None), (5, 5), (7, 5), (8, 10), (12, 10), (13, 15), (19, 20)],
)
def test_a_count_under_five_is_hidden_and_any_other_is_rounded_to_five(count, shown):
    assert peers.shown_count(count) == shown


@pytest.mark.parametrize(
    ("part", "whole", "shown"),
    [
        (19, 20, None),  # the one "no" would be given away
        (20, 20, None),  # and so would the next one
        (3, 20, None),  # too few on this side
        (12, 20, 50),  # 10 of 20 as shown
        (13, 20, 75),  # 15 of 20 as shown
        (10, 20, 50),
        (5, 10, 50),
    ],
)
def test_a_share_needs_five_on_each_side_and_comes_from_the_rounded_counts(part, whole, shown):
    assert peers.shown_share(part, whole) == shown


@pytest.mark.parametrize(
    ("people", "minimum", "needed"),
    [(0, 20, 20), (1, 20, 20), (2, 20, 20), (16, 20, 5), (19, 20, 5), (20, 20, 0), (1, 2, 5)],
)
def test_the_people_still_needed_move_in_steps_of_five(people, minimum, needed):
    assert peers.people_needed(people, minimum) == needed


@given(st.integers(min_value=0, max_value=10_000))
def test_every_shown_count_is_a_multiple_of_five_and_none_stands_for_fewer(count):
    shown = peers.shown_count(count)
    assert (shown is None) == (count < peers.SMALLEST_GROUP)
    if shown is not None:
        assert shown % peers.COUNT_STEP == 0 and shown >= peers.SMALLEST_GROUP
        assert abs(shown - count) <= peers.COUNT_STEP // 2


@given(st.integers(min_value=0, max_value=2_000), st.integers(min_value=0, max_value=2_000))
def test_a_share_tells_no_more_than_the_rounded_counts(part, rest):
    """A share shown has five people or more on each side, and is the same for any counts
    that round alike: one person more on either side changes it only when a rounded count
    moves, which its own figure shows anyway."""
    whole = part + rest
    share = peers.shown_share(part, whole)
    if share is None:
        assert min(part, rest) < peers.SMALLEST_GROUP
        return
    assert min(part, rest) >= peers.SMALLEST_GROUP
    for more_part in (1, 0):  # one more on this side, or on the other
        same_rounding = peers.shown_count(part + more_part) == peers.shown_count(part) and (
            peers.shown_count(whole + 1) == peers.shown_count(whole)
        )
        if same_rounding:
            assert peers.shown_share(part + more_part, whole + 1) == share


@given(st.dictionaries(st.sampled_from(range(-100, 100, 10)), st.integers(1, 40), max_size=20))
def test_every_bar_shows_a_rounded_count_of_five_or_more(bands):
    for bar in peers.histogram(bands):
        assert bar.count % peers.COUNT_STEP == 0 and bar.count >= peers.SMALLEST_GROUP


# People, not results ------------------------------------------------------------------------


def people_on(version) -> int:
    row = PeerCount.objects.filter(version=version, kind=peers.PEOPLE, key="").first()
    return row.count if row else 0


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


def test_a_person_counts_once_per_version_with_their_latest_result(version, person):
    submit(version, person, (MLOPS,))
    latest = submit(version, person, (DATA,))

    counts = kept_counts()
    assert people_on(version) == 1
    assert counts[(version.pk, peers.TOP_ROLE, DATA)] == 1
    assert counts[(version.pk, peers.TOP_ROLE, MLOPS)] == 0
    assert counts == rebuilt_counts()
    assert list(Assessment.objects.counted()) == [latest]


def test_deleting_the_latest_result_counts_the_one_before_and_an_older_one_changes_nothing(
    version, person
):
    first = submit(version, person, (MLOPS,))
    second = submit(version, person, (DATA,))
    third = submit(version, person, (DATA,))

    assessment_delete(assessment_id=second.pk, user=person)  # not the latest: nothing moves
    assert kept_counts()[(version.pk, peers.TOP_ROLE, DATA)] == 1
    assessment_delete(assessment_id=third.pk, user=person)  # the one before counts now
    counts = kept_counts()
    assert people_on(version) == 1
    assert (counts[(version.pk, peers.TOP_ROLE, MLOPS)], counts[(version.pk, "top", DATA)]) == (
        1,
        0,
    )
    assert counts == rebuilt_counts()
    assessment_delete(assessment_id=first.pk, user=person)
    assert kept_counts() == Counter()


def test_a_claimed_result_counts_only_if_it_is_the_persons_latest(version, person):
    older_anonymous = submit(version, None, (DATA,))
    submit(version, person, (MLOPS,))

    anonymous_assessments_claim(user=person, assessment_ids=[str(older_anonymous.pk)], attempt=None)

    assert people_on(version) == 1
    assert kept_counts()[(version.pk, peers.TOP_ROLE, MLOPS)] == 1
    assert kept_counts() == rebuilt_counts()


def test_a_deleted_account_takes_back_only_what_it_counted(version):
    person = UserFactory(password="a-long-password-1")
    for lean_to in ((MLOPS,), (DATA,), (DATA,)):
        submit(version, person, lean_to)
    submit(version, UserFactory())

    account_services.user_delete(user=person, password="a-long-password-1")

    assert people_on(version) == 1
    assert kept_counts() == rebuilt_counts()


# The attack of the finding -------------------------------------------------------------------


def figures_for(assessment, viewer):
    shown = assessment_get_for_viewer(
        assessment_id=assessment.pk, user=viewer, session_assessment_ids=[]
    )
    return peer_figures(assessment=shown)


def test_one_account_cannot_make_up_the_numbers_around_someone_else(version, settings):
    """19 results of one account and one other person's are two people: nothing is shown,
    neither where a result stands nor how the version was received."""
    settings.PEERS_MIN_RESULTS = 20
    prober = UserFactory()
    for _ in range(19):
        result = submit(version, prober, (DATA,))
        feedback_set(assessment_id=result.pk, user=prober, feels_right=True)
    victim = UserFactory()
    theirs = submit(version, victim, (MLOPS,))
    feedback_set(assessment_id=theirs.pk, user=victim, feels_right=False)

    figures = figures_for(result, prober)
    assert not figures.shown and figures.same_choice == [] and figures.histogram == []
    (row,) = [row for row in methodology_get().versions if row.version == version]
    assert (row.results, row.answers, row.feels_right, row.feels_right_percent) == (
        None,
        None,
        None,
        None,
    )
    assert [(language.language, language.results) for language in row.languages] == [("en", None)]


def test_no_count_under_five_people_is_shown_and_shown_counts_are_rounded(version, settings):
    settings.PEERS_MIN_RESULTS = 5
    for index in range(11):
        result = submit(version, UserFactory(), (MLOPS,) if index < 8 else (DATA,))
        feedback_set(assessment_id=result.pk, user=result.user, feels_right=index != 0)
    spanish = submit(version, UserFactory(), (MLOPS,))
    Assessment.objects.filter(pk=spanish.pk).update(language="es")
    peer_counts_rebuild()

    (row,) = [row for row in methodology_get().versions if row.version == version]
    # 12 people, 11 answers, 10 yes: shown about 10, about 10 and 10; the one "no" is hidden.
    assert (row.results, row.answers, row.feels_right) == (10, 10, 10)
    assert row.feels_right_percent is None
    assert {language.language: language.results for language in row.languages} == {
        "en": 10,
        "es": None,  # one person: "fewer than 5"
    }
    figures = figures_for(spanish, spanish.user)
    assert figures.shown and figures.people == 10
    assert figures.same_lean_percent is None  # 9 of 12 on top: 3 on the other side
    assert all(bar.count % 5 == 0 for bar in figures.histogram)


def test_feedback_counts_each_person_once_with_their_latest_result(version, settings):
    settings.PEERS_MIN_RESULTS = 5
    people = [UserFactory() for _ in range(10)]
    for index, person in enumerate(people):
        old = submit(version, person)
        feedback_set(assessment_id=old.pk, user=person, feels_right=True)
        latest = submit(version, person)
        feedback_set(assessment_id=latest.pk, user=person, feels_right=index < 5)

    (row,) = [row for row in methodology_get().versions if row.version == version]

    assert (row.results, row.answers, row.feels_right, row.feels_right_percent) == (10, 10, 5, 50)


def test_the_recount_migration_counts_people_afresh(version, person):
    submit(version, person, (MLOPS,))
    submit(version, person, (DATA,))
    PeerCount.objects.all().delete()
    PeerCount.objects.create(version=version, kind="results", key="", count=2)
    migration = importlib.import_module("assessments.migrations.0002_peer_counts_count_people")

    migration.recount_people(apps, None)

    assert people_on(version) == 1
    assert not PeerCount.objects.filter(kind="results").exists()
    assert kept_counts() == rebuilt_counts()


# One person's submissions at once ------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_one_persons_submissions_at_once_count_them_once():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writing transaction at a time: nothing to race")
    site_content_create()
    version = quiz_selectors.current_version_get()
    submit(version, UserFactory())  # the version stamped as answered: no lock on it from now
    person = UserFactory()

    def take(lean_to):
        assessment_submit(
            version=version,
            answers=answers_leaning_to(version, lean_to).items(),
            client_id=uuid.uuid4(),
            user=person,
        )

    race = at_once(*(partial(take, lean_to) for lean_to in [[MLOPS], [DATA]] * 4))

    assert race.errors == []
    assert people_on(version) == 2  # the person once, and the one before them
    assert (
        sum(count for (_, kind, _), count in kept_counts().items() if kind == peers.TOP_ROLE) == 2
    )
    assert kept_counts() == rebuilt_counts()
