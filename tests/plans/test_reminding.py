"""The weekly reminder's rules of days, by the person's own clock (plans.reminding): pure
functions, no database. 2026-03-02 is a Monday."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plans import reminding
from plans.reminding import local_now, open_week

MONDAY = 1
SUNDAY = 7
LONG_AGO = date(2026, 1, 1)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def week_at(moment: datetime, zone: str, weekday: int = MONDAY, enabled_on=LONG_AGO):
    return open_week(local_now(moment, zone), weekday, enabled_on)


@pytest.mark.parametrize(
    ("zone", "last_closed", "first_open"),
    [
        # Monday 8:00 local is 16:00 UTC in Los Angeles (PST, UTC-8): at 0:00 UTC Monday, when
        # the UTC rule sent it, it is still Sunday afternoon there.
        ("America/Los_Angeles", utc(2026, 3, 2, 15, 59), utc(2026, 3, 2, 16, 0)),
        # 7:00 UTC in Madrid (CET, UTC+1): the UTC rule sent it at 1 am.
        ("Europe/Madrid", utc(2026, 3, 2, 6, 59), utc(2026, 3, 2, 7, 0)),
        # Kiritimati (UTC+14) reaches Monday 8:00 while it is Sunday 18:00 in UTC.
        ("Pacific/Kiritimati", utc(2026, 3, 1, 17, 59), utc(2026, 3, 1, 18, 0)),
        ("UTC", utc(2026, 3, 2, 7, 59), utc(2026, 3, 2, 8, 0)),
    ],
)
def test_the_week_opens_at_eight_on_the_weekday_where_the_person_lives(
    zone, last_closed, first_open
):
    assert week_at(last_closed, zone) is None
    assert week_at(first_open, zone) == date(2026, 3, 2)  # their Monday, the sent row's week


def test_before_eight_on_the_weekday_no_earlier_week_is_open_either():
    # Monday 0:30 in Madrid: last week's Monday is seven days back, long past its grace days.
    assert week_at(utc(2026, 3, 1, 23, 30), "Europe/Madrid") is None


@pytest.mark.parametrize(
    ("zone", "day", "open_from_utc"),
    [
        # Europe's clocks go forward at 1:00 UTC on Sunday 29 March 2026: 8:00 is 6:00 UTC
        # that day, 7:00 UTC the Sunday before.
        ("Europe/Madrid", date(2026, 3, 22), utc(2026, 3, 22, 7, 0)),
        ("Europe/Madrid", date(2026, 3, 29), utc(2026, 3, 29, 6, 0)),
        # America's go forward at 10:00 UTC on Sunday 8 March 2026 (2 am PST): 8:00 PDT is
        # 15:00 UTC that day, 16:00 UTC the Sunday before.
        ("America/Los_Angeles", date(2026, 3, 1), utc(2026, 3, 1, 16, 0)),
        ("America/Los_Angeles", date(2026, 3, 8), utc(2026, 3, 8, 15, 0)),
        # And back in autumn: Europe at 1:00 UTC on 25 October, 8:00 CET is 7:00 UTC again.
        ("Europe/Madrid", date(2026, 10, 25), utc(2026, 10, 25, 7, 0)),
    ],
)
def test_on_the_day_the_clocks_change_it_still_opens_at_eight_local(zone, day, open_from_utc):
    assert week_at(open_from_utc - timedelta(minutes=1), zone, SUNDAY) is None
    assert week_at(open_from_utc, zone, SUNDAY) == day


def test_the_grace_days_are_counted_on_the_persons_calendar():
    # Monday's reminder in Los Angeles may go out until the end of their Wednesday, which
    # ends at 8:00 UTC on Thursday (a UTC rule would have closed it 8 hours earlier).
    assert week_at(utc(2026, 3, 5, 7, 59), "America/Los_Angeles") == date(2026, 3, 2)
    assert week_at(utc(2026, 3, 5, 8, 0), "America/Los_Angeles") is None
    # In Kiritimati the same Wednesday ends at 10:00 UTC on Wednesday.
    assert week_at(utc(2026, 3, 4, 9, 59), "Pacific/Kiritimati") == date(2026, 3, 2)
    assert week_at(utc(2026, 3, 4, 10, 0), "Pacific/Kiritimati") is None
    # Later than 8:00 on a catch-up day is fine: the hour only holds back the weekday itself.
    assert week_at(utc(2026, 3, 3, 0, 30), "Europe/Madrid") == date(2026, 3, 2)


def test_never_for_a_week_that_began_before_it_was_switched_on_by_the_local_date():
    monday_evening_in_los_angeles = utc(2026, 3, 3, 4, 0)  # Tuesday 4:00 in UTC
    enabled_on = local_now(monday_evening_in_los_angeles, "America/Los_Angeles").date()

    assert enabled_on == date(2026, 3, 2)  # their Monday: this week's reminder still comes
    assert week_at(utc(2026, 3, 3, 5, 0), "America/Los_Angeles", enabled_on=enabled_on) == (
        date(2026, 3, 2)
    )
    # Switched on on their Tuesday, the week that began on Monday gets none.
    assert week_at(utc(2026, 3, 3, 20, 0), "America/Los_Angeles", enabled_on=date(2026, 3, 3)) is (
        None
    )
    assert week_at(utc(2026, 3, 3, 20, 0), "America/Los_Angeles", enabled_on=None) is None


@pytest.mark.parametrize(
    "value", ["Europe/Madrid", "America/Los_Angeles", "Pacific/Kiritimati", "UTC", "Etc/GMT+12"]
)
def test_a_time_zone_is_a_name_from_the_zone_database(value):
    assert reminding.is_time_zone(value)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "Mars/Base",
        "../../etc",
        "../../etc/passwd",
        "/usr/share/zoneinfo/UTC",
        "europe/madrid",
        " Europe/Madrid",
        "localtime",  # the machine's own zone, not a place
        "posixrules",
        "Europe/Madrid\x00",
        "x" * 10_000,
        None,
        0,
        1.5,
        True,
        ["UTC"],
        {"zone": "UTC"},
    ],
)
def test_anything_else_is_not(value):
    assert not reminding.is_time_zone(value)


def _instants():
    """Every hour of one day, and a moment in every week of a year (both sides of every change
    of the clocks)."""
    hours = [utc(2026, 3, 2, n, 30) for n in range(24)]
    return hours + [utc(2026, 1, 1, 11, 0) + timedelta(days=7 * n) for n in range(53)]


def test_every_local_date_in_use_is_among_the_dates_the_job_looks_at():
    """The job narrows the candidates to the weekdays open somewhere on Earth; this holds
    only if every zone we accept is between UTC-12 and UTC+14 (a change to the zone
    database that breaks it fails here)."""
    zones = sorted(reminding.time_zones())
    for moment in _instants():
        dates = set(reminding.local_dates_anywhere(moment))
        assert 2 <= len(dates) <= 3
        for zone in zones:
            assert local_now(moment, zone).date() in dates, (moment, zone)


@settings(max_examples=300, deadline=None)
@given(
    moment=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2037, 12, 31), timezones=st.just(UTC)
    ),
    zone=st.sampled_from(sorted(reminding.time_zones())),
    weekday=st.integers(min_value=MONDAY, max_value=SUNDAY),
)
def test_an_open_week_is_always_among_the_candidates_the_job_asks_the_database_for(
    moment, zone, weekday
):
    week = open_week(local_now(moment, zone), weekday, date(1999, 1, 1))

    if week is not None:
        assert weekday in reminding.weekdays_open(moment)
        assert week.isoweekday() == weekday
        assert 0 <= (local_now(moment, zone).date() - week).days <= reminding.GRACE_DAYS


def test_the_candidates_are_fewer_than_every_weekday():
    # At 23:00 UTC on a Monday, the dates in use are Monday and Tuesday: with two days of
    # grace, Saturday to Tuesday may be open somewhere; Wednesday to Friday are not.
    assert reminding.weekdays_open(utc(2026, 3, 2, 23, 0)) == [1, 2, 6, 7]
