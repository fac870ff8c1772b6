import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.factories import TEST_PASSWORD, UserFactory
from tests.helpers import sent_mail

pytestmark = pytest.mark.django_db
User = get_user_model()


def _signup(client, **overrides):
    data = {
        "username": "ada",
        "email": "ada@example.com",
        "password1": TEST_PASSWORD,
        "password2": TEST_PASSWORD,
        **overrides,
    }
    return client.post("/accounts/signup/", data)


def test_signup_form_has_a_visible_label_for_every_input(client):
    html = client.get("/accounts/signup/").content.decode()
    for field_id in ["id_username", "id_email", "id_password1", "id_password2"]:
        assert re.search(rf'<label[^>]+for="{field_id}"', html), field_id


def test_signing_up_logs_the_person_in(client):
    response = _signup(client)

    assert response.status_code == 302 and response.url == "/profile/"
    user = User.objects.get(username="ada")
    # The address is the account's once the link sent to it is followed
    # (tests/accounts/test_signup_privacy.py).
    assert user.email is None
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"password2": "something-else-entirely"}, "password2", "didn’t match"),
        ({"password1": "password", "password2": "password"}, "password2", "too common"),
        ({"password1": "12345678901", "password2": "12345678901"}, "password2", "entirely numeric"),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"username": ""}, "username", "required"),
    ],
)
def test_bad_signups_show_the_error_at_the_field(client, overrides, field, message):
    response = _signup(client, **overrides)

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not User.objects.filter(username="ada").exists()


def test_an_email_can_have_only_one_account(client):
    # The sign-up doesn't say the address has an account (that would tell anyone who has
    # one); the address stays with the first account (tests/accounts/test_signup_privacy.py).
    first = UserFactory(username="first", email="ada@example.com")
    response = _signup(client, email="ADA@example.com")

    assert response.status_code == 302
    assert User.objects.get(username="ada").email is None
    assert User.objects.get(pk=first.pk).email == "ada@example.com"


def test_login_and_logout_which_is_post_only(client):
    person = UserFactory()
    response = client.post(
        "/accounts/login/", {"username": person.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302 and response.url == "/profile/"

    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_wrong_password_is_refused(client):
    person = UserFactory()
    response = client.post("/accounts/login/", {"username": person.username, "password": "nope"})
    assert response.status_code == 400
    assert response.context["form"].errors


def test_password_change(client):
    person = UserFactory()
    client.force_login(person)
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "another-long-password-77",
            "new_password2": "another-long-password-77",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("another-long-password-77")


def test_password_reset_by_email(client):
    person = UserFactory(email="reset@example.com")
    client.post("/accounts/password_reset/", {"email": "reset@example.com"})

    assert len(sent_mail()) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", sent_mail()[0].body).group(1)
    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-fresh-password-91", "new_password2": "a-fresh-password-91"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("a-fresh-password-91")


@pytest.mark.parametrize("url", ["/profile/", "/profile/export/", "/profile/delete/"])
def test_profile_pages_need_login(url):
    response = Client().get(url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")


def test_login_page_refuses_an_offsite_next(client):
    person = UserFactory()
    response = client.post(
        "/accounts/login/?next=https://evil.example.com/",
        {
            "username": person.username,
            "password": TEST_PASSWORD,
            "next": "https://evil.example.com/",
        },
    )
    assert response.url == "/profile/"
