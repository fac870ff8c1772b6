"""Password re-checks (deleting the account, changing the password) are limited."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from careerguide.accounts import services
from careerguide.accounts.models import PasswordRecheckFailure, User
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


# 8. Password re-checks (delete the account, change the password) are limited --------------


def _change_password(client, old):
    return client.post(
        "/accounts/password_change/",
        {
            "old_password": old,
            "new_password1": "brand-new-pass-71",
            "new_password2": "brand-new-pass-71",
        },
    )


def test_guessing_the_old_password_on_the_change_page_is_limited():
    person = UserFactory()
    client = Client()
    client.force_login(person)

    answers = [_change_password(client, f"guess-{n}").status_code for n in range(5)]
    limited = _change_password(client, TEST_PASSWORD)

    assert answers == [400] * 5
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert "Too many wrong passwords" in limited.context["form"].errors["old_password"][0]
    person.refresh_from_db()
    assert person.check_password(TEST_PASSWORD)


def test_guessing_the_password_to_delete_the_account_is_limited_on_the_site():
    person = UserFactory()
    client = Client()
    client.force_login(person)

    answers = [client.post("/profile/delete/", {"password": f"guess-{n}"}) for n in range(5)]
    limited = client.post("/profile/delete/", {"password": TEST_PASSWORD})

    assert [answer.status_code for answer in answers] == [400] * 5
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert User.objects.filter(pk=person.pk).exists()


def test_guessing_the_password_to_delete_the_account_is_limited_in_the_api(person_api, person):
    answers = [person_api.delete("/api/v1/me/", {"password": f"guess-{n}"}) for n in range(5)]
    limited = person_api.delete("/api/v1/me/", {"password": TEST_PASSWORD})

    assert [answer.status_code for answer in answers] == [400] * 5
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert "Too many wrong passwords" in limited.json()["detail"]
    assert User.objects.filter(pk=person.pk).exists()


def test_the_re_check_limit_is_the_persons_whatever_the_address(person):
    """A stolen session can't dodge the limit by changing address."""
    client = Client()
    client.force_login(person)
    for number in range(5):
        client.post("/profile/delete/", {"password": "guess"}, REMOTE_ADDR=f"203.0.113.{number}")

    limited = client.post("/profile/delete/", {"password": TEST_PASSWORD}, REMOTE_ADDR="10.9.9.9")
    assert limited.status_code == 429


def test_the_re_check_allows_again_after_the_cool_off_and_a_right_one_clears(person, settings):
    for _ in range(4):
        with pytest.raises(services.ValidationError):
            services.password_recheck(user=person, password="guess")
    services.password_recheck(user=person, password=TEST_PASSWORD)
    assert not PasswordRecheckFailure.objects.exists()

    for _ in range(5):
        with pytest.raises(services.ValidationError):
            services.password_recheck(user=person, password="guess")
    with pytest.raises(services.TooManyAttempts) as limited:
        services.password_recheck(user=person, password=TEST_PASSWORD)
    assert 0 < limited.value.retry_after <= settings.AXES_COOLOFF_TIME.total_seconds()

    PasswordRecheckFailure.objects.update(
        created_at=timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
    )
    services.password_recheck(user=person, password=TEST_PASSWORD)
