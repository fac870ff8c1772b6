"""Using the admin as a browser does: log in through the real login page with its CSRF token
and the second factor (an enrolled device, a code), read a form's fields from the page, change
some and send the form back."""

import re
import time
from html.parser import HTMLParser

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import TEST_PASSWORD

SKIPPED_INPUT_TYPES = {"submit", "button", "image", "reset", "file"}


def csrf_token(response) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    assert match, "the page has no CSRF token"
    return match.group(1)


SECOND_FACTOR_PAGE = "/accounts/two-factor/?next=%2Fadmin%2F"


def second_factor_enrol(user) -> TOTPDevice:
    """The user's confirmed authenticator (made if they have none), as after enrolment."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def totp_code(device: TOTPDevice) -> str:
    """The code the authenticator app shows now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def backup_code(user) -> str:
    """A fresh backup code of the user's (one per log-in: each works once, and an app's code
    works once per 30 seconds, too few for tests that log in several times)."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="backup codes", defaults={"confirmed": True}
    )
    return device.token_set.create(token=StaticToken.random_token()).token


def pass_second_factor(client, user, code: str | None = None):
    """Type a code on the second-factor page (the user enrolled first if they weren't)."""
    second_factor_enrol(user)
    page = client.get(SECOND_FACTOR_PAGE)
    assert page.status_code == 200, page.status_code
    return client.post(
        SECOND_FACTOR_PAGE,
        {
            "code": code or backup_code(user),
            "next": "/admin/",
            "csrfmiddlewaretoken": csrf_token(page),
        },
    )


def password_login(client, user, password: str = TEST_PASSWORD):
    """The admin's log-in page, first step: the password."""
    page = client.get("/admin/login/?next=/admin/")
    assert page.status_code == 200
    return client.post(
        "/admin/login/?next=/admin/",
        {
            "username": user.username,
            "password": password,
            "csrfmiddlewaretoken": csrf_token(page),
            "next": "/admin/",
        },
    )


def force_login_verified(client, user) -> None:
    """client.force_login, with the second factor passed too (an enrolled device's id in the
    session, as django_otp.login leaves it)."""
    client.force_login(user)
    device = second_factor_enrol(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def login(user, password: str = TEST_PASSWORD) -> Client:
    """A client logged in to the admin through its login page and the second factor, with
    CSRF checks on."""
    client = Client(enforce_csrf_checks=True)
    response = password_login(client, user, password)
    assert response.status_code == 302, "the login failed"
    assert response.url == SECOND_FACTOR_PAGE
    response = pass_second_factor(client, user)
    assert response.status_code == 302, "the second factor failed"
    assert response.url == "/admin/"
    return client


class _FormReader(HTMLParser):
    """The fields a browser would send for one <form>, with their current values."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select = None
        self._option = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
            return
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in SKIPPED_INPUT_TYPES:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value") or "on"))
                return
            self.fields.append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self._select = {"name": name, "multiple": "multiple" in attrs, "options": []}
        elif tag == "option" and self._select is not None:
            self._option = {
                "value": attrs.get("value"),
                "selected": "selected" in attrs,
                "text": "",
            }
            self._select["options"].append(self._option)
        elif tag == "textarea" and name:
            self._textarea = {"name": name, "text": ""}

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["text"] += data
        elif self._option is not None:
            self._option["text"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            options = self._select["options"]
            chosen = [option for option in options if option["selected"]]
            if not chosen and options and not self._select["multiple"]:
                chosen = options[:1]
            for option in chosen:
                value = option["value"] if option["value"] is not None else option["text"]
                self.fields.append((self._select["name"], value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = self._textarea["text"]
            # Browsers drop the newline that follows <textarea>.
            self.fields.append((self._textarea["name"], text.removeprefix("\n")))
            self._textarea = None


def form_data(response, form_id: str) -> dict[str, list[str]]:
    """What submitting the form with id `form_id` on this page would send, unchanged."""
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    assert reader.fields, f"no form #{form_id} on the page"
    data: dict[str, list[str]] = {}
    for name, value in reader.fields:
        if "__prefix__" not in name:  # the hidden template row for "Add another"
            data.setdefault(name, []).append(value)
    return data


def submit(client, page, form_id: str, changes=None, *, url=None, follow=False):
    """Send the form back with `changes` (name -> value; None removes a field)."""
    data = form_data(page, form_id)
    for name, value in (changes or {}).items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value if isinstance(value, list) else [str(value)]
    return client.post(url or page.request["PATH_INFO"], data, follow=follow)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def field_errors(response, name: str, form: str = "adminform") -> list[str]:
    """The errors shown at one field of the admin's main form."""
    return list(response.context[form].form.errors.get(name, []))
