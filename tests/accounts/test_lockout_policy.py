"""Issue 11, finding 1: the log-in lockout can't be bypassed, and a stranger can't lock a person
out of their own account. The policy (core.security.LockoutHandler):

- a username is locked from one address after AXES_FAILURE_LIMIT (5) failures;
- an address is locked for every username after LOCKOUT_ADDRESS_FAILURE_LIMIT (20) failures
  across usernames, except for usernames that have logged in from it before;
- a log-in clears only that username's failures from that address.

Every test goes through the real URLs and middleware; run them on PostgreSQL as well
(DATABASE_URL=postgres://...)."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

HERE = "203.0.113.5"
ELSEWHERE = "198.51.100.7"


def _site_login(username, password, *, address=HERE):
    """One log-in attempt from a fresh browser at `address` (a logged-in browser would be
    redirected without trying)."""
    return Client(REMOTE_ADDR=address).post(
        "/accounts/login/", {"username": username, "password": password}
    )


def _fail(username, times, *, address=HERE):
    return [_site_login(username, "wrong-guess", address=address) for _ in range(times)]


def _logs_in(response) -> bool:
    return response.status_code == 302 and response.url == "/profile/"


def test_logging_in_as_yourself_does_not_clear_the_failures_against_someone_else():
    """The reported bypass: rounds of 4 wrong passwords for alice, then a correct log-in as
    mallory, all from one address. Mallory's log-ins once cleared alice's count too."""
    alice, mallory = UserFactory(username="alice"), UserFactory(username="mallory")
    answers = []
    for _ in range(3):
        answers += _fail(alice.username, 4)
        assert _logs_in(_site_login(mallory.username, TEST_PASSWORD))

    # Four refusals, then the fifth failure (in the second round) locks alice from here.
    assert [response.status_code for response in answers] == [400] * 4 + [429] * 8
    locked = _site_login(alice.username, TEST_PASSWORD)
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) > 0


def test_a_stranger_elsewhere_can_not_lock_a_person_out_of_their_own_account():
    alice = UserFactory(username="alice")
    stranger = _fail(alice.username, 8, address=ELSEWHERE)
    assert stranger[-1].status_code == 429

    assert _logs_in(_site_login(alice.username, TEST_PASSWORD, address=HERE))


def test_a_log_in_clears_only_that_usernames_failures_from_that_address():
    alice, mallory = UserFactory(username="alice"), UserFactory(username="mallory")
    _fail(alice.username, 4, address=HERE)
    _fail(alice.username, 4, address=ELSEWHERE)
    _fail(mallory.username, 4, address=HERE)

    assert _logs_in(_site_login(alice.username, TEST_PASSWORD, address=HERE))

    # alice's failures from elsewhere and mallory's from here still count: one more locks.
    assert _fail(alice.username, 1, address=ELSEWHERE)[0].status_code == 429
    assert _fail(mallory.username, 1, address=HERE)[0].status_code == 429
    # alice here starts again from nothing.
    assert [r.status_code for r in _fail(alice.username, 4, address=HERE)] == [400] * 4


def test_the_count_is_by_username_whatever_its_case():
    alice = UserFactory(username="alice")
    for typed in ["ALICE", "Alice", "alice", "aLiCe", "ＡＬＩＣＥ"]:
        _site_login(typed, "wrong-guess")

    assert _site_login(alice.username, TEST_PASSWORD).status_code == 429
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"alice"}


def test_an_address_guessing_across_many_usernames_is_locked_for_new_ones():
    bob = UserFactory(username="bob")
    for number in range(5):
        _fail(f"someone{number}", 4)  # never 5 on one name: 20 from this address in all

    assert _site_login(bob.username, TEST_PASSWORD).status_code == 429
    assert _logs_in(_site_login(bob.username, TEST_PASSWORD, address=ELSEWHERE))


def test_guessing_on_a_shared_address_does_not_lock_out_its_regulars():
    bob, carol = UserFactory(username="bob"), UserFactory(username="carol")
    assert _logs_in(_site_login(bob.username, TEST_PASSWORD))  # bob has logged in from here
    for number in range(5):
        _fail(f"someone{number}", 4)

    assert _logs_in(_site_login(bob.username, TEST_PASSWORD))
    assert _site_login(carol.username, TEST_PASSWORD).status_code == 429


def test_the_api_log_in_follows_the_same_policy():
    alice, mallory = UserFactory(username="alice"), UserFactory(username="mallory")
    api = APIClient(REMOTE_ADDR=HERE)

    def api_login(username, password):
        return api.post("/api/v1/auth/login/", {"username": username, "password": password})

    for _ in range(4):
        assert api_login(alice.username, "wrong-guess").status_code == 400
    assert api_login(mallory.username, TEST_PASSWORD).status_code == 200
    assert api_login(alice.username, "wrong-guess").status_code == 429
    assert api_login(alice.username, TEST_PASSWORD).status_code == 429

    elsewhere = APIClient(REMOTE_ADDR=ELSEWHERE).post(
        "/api/v1/auth/login/", {"username": alice.username, "password": TEST_PASSWORD}
    )
    assert elsewhere.status_code == 200


def test_the_admin_log_in_follows_the_same_policy():
    alice = UserFactory(username="alice", is_staff=True)
    for _ in range(5):
        Client(REMOTE_ADDR=HERE).post(
            "/admin/login/", {"username": alice.username, "password": "wrong-guess"}
        )

    here = Client(REMOTE_ADDR=HERE).post(
        "/admin/login/", {"username": alice.username, "password": TEST_PASSWORD}
    )
    elsewhere = Client(REMOTE_ADDR=ELSEWHERE).post(
        "/admin/login/", {"username": alice.username, "password": TEST_PASSWORD}
    )
    assert here.status_code == 429
    assert elsewhere.status_code == 302


def test_a_flood_of_failed_log_ins_never_grows_a_row(db):
    from axes.models import AccessAttempt
    from django.test import Client

    from tests.factories import UserFactory

    person = UserFactory()
    client = Client()
    filler = "x" * 1000
    for _ in range(8):
        client.post(
            f"/accounts/login/?junk={filler}",
            {"username": person.username, "password": "wrong", "extra": filler},
        )
    row = AccessAttempt.objects.get(username=person.username.lower())
    assert row.failures_since_start >= 5
    assert len(row.get_data) + len(row.post_data) == 0
