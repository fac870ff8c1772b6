"""Using the admin as a browser does: log in through the real login page with its CSRF token,
read a form's fields from the page, change some and send the form back."""

import re
from html.parser import HTMLParser

from django.test import Client

from tests.factories import TEST_PASSWORD

SKIPPED_INPUT_TYPES = {"submit", "button", "image", "reset", "file"}


def csrf_token(response) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    assert match, "the page has no CSRF token"
    return match.group(1)


def login(user, password: str = TEST_PASSWORD) -> Client:
    """A client logged in to the admin through its login page, with CSRF checks on."""
    client = Client(enforce_csrf_checks=True)
    page = client.get("/admin/login/?next=/admin/")
    assert page.status_code == 200
    response = client.post(
        "/admin/login/?next=/admin/",
        {
            "username": user.username,
            "password": password,
            "csrfmiddlewaretoken": csrf_token(page),
            "next": "/admin/",
        },
    )
    assert response.status_code == 302, "the login failed"
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
