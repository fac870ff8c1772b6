"""The follow-up's outcomes on /methodology/ and in GET methodology/: per version, people asked
whose follow-up ended, how many answered (the response rate counts those who did not) and how
many chose the role their result put first, by margin band, under the people rule."""

from datetime import timedelta

import pytest

from assessments import following
from assessments.models import Assessment, FollowUp
from assessments.selectors.outcomes import outcomes_get
from tests.assessments.helpers import submit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _follow_ups(version, clock, *, margin, asked, answered, chose, open_=0):
    """`asked` people whose follow-up ended on results of `margin` points: `answered` of them
    answered, `chose` of those the result's top role; plus `open_` asked lately, unanswered."""
    now = clock.now()
    for number in range(asked + open_):
        person = UserFactory()
        result = submit(version, person)
        Assessment.objects.filter(pk=result.pk).update(margin=margin)
        still_open = number >= asked
        answers = number < answered and not still_open
        FollowUp.objects.create(
            assessment=result,
            user=person,
            consented_at=now - timedelta(days=300),
            wording_version=following.WORDING_VERSION,
            language="en",
            due_at=now - timedelta(days=120),
            asked_at=now - timedelta(days=5 if still_open else 120),
            answered_at=now - timedelta(days=100) if answers else None,
            answer=(result.top_role.slug if number < chose else following.NEITHER)
            if answers
            else "",
            chose_top_role=(number < chose) if answers else None,
        )


@pytest.fixture
def seeded(version, clock):
    """The seeded set of the issue's note: 100 people asked whose follow-up ended, 10 asked
    lately (not counted yet), and 5 who consented and were not asked yet."""
    _follow_ups(version, clock, margin=4, asked=25, answered=15, chose=6, open_=10)
    _follow_ups(version, clock, margin=14, asked=30, answered=20, chose=12)
    _follow_ups(version, clock, margin=35, asked=45, answered=35, chose=28)
    for _ in range(5):
        person = UserFactory()
        FollowUp.objects.create(
            assessment=submit(version, person),
            user=person,
            consented_at=clock.now(),
            wording_version=1,
            language="en",
            due_at=clock.now() + timedelta(days=180),
        )
    return version


def test_the_seeded_set_as_published(seeded):
    [row] = outcomes_get(versions=[seeded])

    assert (row.asked, row.answered, row.response_percent) == (100, 70, 70)
    assert (row.chose_first, row.chose_first_percent) == (45, 64)
    assert row.bands_shown
    figures = {
        band.band: (
            band.asked,
            band.answered,
            band.response_percent,
            band.chose_first,
            band.chose_first_percent,
        )
        for band in row.bands
    }
    assert figures == {
        "close": (25, 15, 60, 5, 33),
        "middle": (30, 20, 67, 10, 50),
        "wide": (45, 35, 78, 30, 86),
    }


def test_the_page_and_the_api_show_them(seeded, client, api, django_assert_num_queries):
    html = client.get("/methodology/").content.decode()
    section = " ".join(html.split('id="outcomes-section"')[1].split())
    assert "Which path did people take?" in html
    assert "70 (70%)" in section and "45 (64%)" in section
    assert "A close call (under 10 points)" in section and "20 points or more" in section

    # the figures' three, the outcomes' one and the evidence's seven
    with django_assert_num_queries(11):
        body = api.get("/api/v1/methodology/").json()
    [row] = body["outcomes"]
    assert row["version"] == seeded.pk and row["shown"] is True
    assert (row["asked"], row["answered"], row["response_percent"]) == (100, 70, 70)
    assert [band["band"] for band in row["bands"]] == ["close", "middle", "wide"]
    assert row["bands"][2]["chose_first_percent"] == 86


def test_nothing_is_shown_under_the_minimum(version, clock, settings, api):
    settings.PEERS_MIN_RESULTS = 20
    _follow_ups(version, clock, margin=30, asked=16, answered=10, chose=8)

    [row] = outcomes_get(versions=[version])

    assert not row.shown and row.asked_needed == 5
    assert row.asked is None and row.answered is None and row.bands == ()
    assert api.get("/api/v1/methodology/").json()["outcomes"][0]["asked"] is None


def test_the_bands_wait_until_each_has_the_minimum(version, clock, settings):
    settings.PEERS_MIN_RESULTS = 20
    _follow_ups(version, clock, margin=30, asked=30, answered=20, chose=12)
    _follow_ups(version, clock, margin=3, asked=6, answered=5, chose=5)

    [row] = outcomes_get(versions=[version])

    assert row.shown and row.asked == 35
    assert not row.bands_shown
    assert all(band.asked is None for band in row.bands)
    # 17 of the 25 who answered chose the top role and 8 did not: both sides have 5 or more
    assert row.chose_first_percent is not None


def test_a_share_that_could_tell_on_someone_is_not_shown(version, clock, settings):
    settings.PEERS_MIN_RESULTS = 20
    _follow_ups(version, clock, margin=30, asked=25, answered=22, chose=20)

    [row] = outcomes_get(versions=[version])

    # 3 did not answer and 2 of those who did chose otherwise: fewer than 5 on a side
    assert row.response_percent is None and row.chose_first_percent is None
    assert row.asked == 25 and row.answered == 20


def test_a_follow_up_counts_once_its_links_expire(version, clock, settings):
    settings.PEERS_MIN_RESULTS = 20
    _follow_ups(version, clock, margin=30, asked=0, answered=0, chose=0, open_=20)
    assert not outcomes_get(versions=[version])[0].shown

    clock.advance(timedelta(days=following.LINKS_VALID_DAYS))

    [row] = outcomes_get(versions=[version])
    assert row.shown and row.asked == 20 and row.answered is None
