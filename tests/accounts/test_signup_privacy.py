"""Issue 11, finding 7: sign-up is throttled (site and API share one count per address) and
never says whether an e-mail address has an account. The address is stored once the link
sent to it is followed; when it already has an account, its owner gets a note instead.
(A username still says it is taken: people must be able to choose one. See the report.)"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from rest_framework.test import APIClient

from tests.factories import TEST_PASSWORD, UserFactory
from tests.helpers import sent_mail

pytestmark = pytest.mark.django_db
User = get_user_model()


def _signup(client, username, email, **extra):
    data = {"username": username, "email": email, "password1": TEST_PASSWORD}
    data["password2"] = TEST_PASSWORD
    return client.post("/accounts/signup/", data, **extra)


def _link(body):
    return re.search(r"http://testserver(/\S+)", body).group(1)


def test_signing_up_with_a_taken_address_looks_the_same_as_with_a_free_one(
    django_capture_on_commit_callbacks,
):
    UserFactory(username="owner", email="taken@example.com")

    browsers = Client(), Client()
    with django_capture_on_commit_callbacks(execute=True):
        free = _signup(browsers[0], "newcomer", "free@example.com")
        taken = _signup(browsers[1], "intruder", "taken@example.com")

    assert free.status_code == taken.status_code == 302
    assert free.url == taken.url == "/profile/"
    pages = [browser.get("/profile/").content.decode() for browser in browsers]
    assert "An e-mail is on its way to free@example.com" in pages[0]
    assert "An e-mail is on its way to taken@example.com" in pages[1]
    assert User.objects.get(username="newcomer").email is None
    assert User.objects.get(username="intruder").email is None
    assert User.objects.get(username="owner").email == "taken@example.com"
    # Each address got one e-mail: a link to confirm it, or a note to its owner.
    assert [message.to for message in sent_mail()] == [["free@example.com"], ["taken@example.com"]]
    confirm, note = sent_mail()
    assert "/accounts/email/confirm/" in confirm.body
    assert "/accounts/email/confirm/" not in note.body and "/accounts/password_reset/" in note.body
    assert "intruder" not in note.body  # what a stranger typed is not sent to the owner


def test_the_api_never_says_an_address_has_an_account(api, django_capture_on_commit_callbacks):
    UserFactory(username="owner", email="taken@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/auth/register/",
            {"username": "intruder", "email": "Taken@example.com", "password": TEST_PASSWORD},
        )

    assert response.status_code == 201
    assert response.json()["user"]["email"] is None
    assert sent_mail()[0].to == ["Taken@example.com"]
    assert "already belongs to your account" in sent_mail()[0].body


def test_following_the_link_gives_the_account_its_address(django_capture_on_commit_callbacks):
    browser = Client()
    with django_capture_on_commit_callbacks(execute=True):
        _signup(browser, "ada", "ada@example.com")
    link = _link(sent_mail()[0].body)

    page = Client().get(link)  # opened anywhere: the link is the proof
    assert page.status_code == 200 and "Confirm my e-mail address" in page.content.decode()
    assert User.objects.get(username="ada").email is None  # a GET changes nothing

    response = Client().post(link)
    assert response.status_code == 302
    assert User.objects.get(username="ada").email == "ada@example.com"
    assert Client().post(link).status_code == 302  # following it twice is fine

    # The address now works for a password reset.
    Client().post("/accounts/password_reset/", {"email": "ada@example.com"})
    assert "/accounts/reset/" in sent_mail()[-1].body


def test_a_link_for_an_address_someone_confirmed_first_is_refused(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        _signup(Client(), "first", "both@example.com")
        _signup(Client(), "second", "both@example.com")
    first_link, second_link = (_link(message.body) for message in sent_mail())

    assert Client().post(first_link).status_code == 302
    refused = Client().post(second_link)

    assert refused.status_code == 400
    assert "now belongs to another account" in refused.content.decode()
    assert User.objects.get(username="second").email is None


@pytest.mark.parametrize("token", ["not-a-token", "e30:1tZ9Xq:forged-signature-here"])
def test_a_made_up_link_is_refused(token):
    response = Client().post(f"/accounts/email/confirm/{token}/")

    assert response.status_code == 400
    assert "not valid or has expired" in response.content.decode()


def test_an_expired_link_is_refused(django_capture_on_commit_callbacks, monkeypatch):
    import datetime

    from careerguide.accounts import services

    with django_capture_on_commit_callbacks(execute=True):
        _signup(Client(), "ada", "ada@example.com")
    monkeypatch.setattr(services, "EMAIL_LINK_MAX_AGE", datetime.timedelta(seconds=-1))

    assert Client().post(_link(sent_mail()[0].body)).status_code == 400
    assert User.objects.get(username="ada").email is None


def test_a_taken_username_is_still_named_at_its_field():
    UserFactory(username="ada")
    response = _signup(Client(), "ADA", "someone@example.com")

    assert response.status_code == 400
    assert response.context["form"].errors["username"] == ["That username is taken."]


def test_web_sign_up_is_throttled_per_address_and_shares_the_count_with_the_api():
    browser = Client(REMOTE_ADDR="203.0.113.5")
    answers = [
        browser.post("/accounts/signup/", {"username": f"u{n}"}).status_code for n in range(20)
    ]
    limited = _signup(browser, "late", "late@example.com")
    api = APIClient(REMOTE_ADDR="203.0.113.5").post(
        "/api/v1/auth/register/",
        {"username": "late", "email": "late@example.com", "password": TEST_PASSWORD},
    )

    assert answers == [400] * 20
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert api.status_code == 429
    assert _signup(Client(REMOTE_ADDR="198.51.100.7"), "other", "o@example.com").status_code == 302
    assert not User.objects.filter(username="late").exists()


@override_settings(SITE_URL="https://careerguide.example.com")
def test_sign_up_links_come_from_site_url(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _signup(Client(HTTP_HOST="127.0.0.1:6666"), "ada", "ada@example.com")

    assert "https://careerguide.example.com/accounts/email/confirm/" in sent_mail()[0].body
    assert "6666" not in sent_mail()[0].body


def test_mails_to_one_address_are_limited_whoever_signs_up(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(5):
            response = _signup(
                Client(REMOTE_ADDR=f"203.0.113.{number}"), f"user{number}", "victim@example.com"
            )
            assert response.status_code == 302

    assert len(sent_mail()) == 3


@pytest.mark.parametrize(
    ("email", "mailbox"),
    [
        ("ana@example.com", "ana@example.com"),
        ("Ana+news@Example.COM", "ana@example.com"),
        (" ana+1+2@example.com ", "ana@example.com"),
        ("+only@example.com", "+only@example.com"),  # no name left: the address as it is
        ('"a@b"+x@example.com', '"a@b"@example.com'),
        ("ana@bücher.de", "ana@xn--bcher-kva.de"),
        ("ana@XN--BCHER-KVA.de", "ana@xn--bcher-kva.de"),
        ("ana@example.com.", "ana@example.com"),
        ("ana@" + "x" * 70 + ".com", "ana@" + "x" * 70 + ".com"),  # too long a label for IDNA
        ("ana@", "ana@"),
    ],
)
def test_a_budget_counts_the_inbox_not_its_sub_addresses(email, mailbox):
    from careerguide.accounts.throttling import mailbox_of

    assert mailbox_of(email) == mailbox


def test_sign_ups_with_tagged_addresses_cannot_flood_one_inbox(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(6):
            browser = Client(REMOTE_ADDR=f"203.0.113.{number}")
            response = _signup(browser, f"flooder{number}", f"victim+{number}@example.com")
            assert response.status_code == 302  # the same answer, sent or not

    assert len(sent_mail()) == 3  # THROTTLE_EMAIL: 3 an hour to one inbox
