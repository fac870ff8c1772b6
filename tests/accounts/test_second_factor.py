"""The admin's second factor: every staff account passes a code (an authenticator app's, or a
backup code) after its password; enrolment shows a QR code (inline SVG, inside the CSP) and
backup codes once; wrong codes count towards the lockout; a lost device is reset by a command."""

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.admin_client import (
    SECOND_FACTOR_PAGE,
    backup_code,
    csrf_token,
    pass_second_factor,
    password_login,
    second_factor_enrol,
    totp_code,
)
from tests.factories import EditorFactory, UserFactory

pytestmark = pytest.mark.django_db
SETUP_PAGE = "/accounts/two-factor/setup/?next=%2Fadmin%2F"


def _password_only(user):
    client = Client(enforce_csrf_checks=True)
    response = password_login(client, user)
    return client, response


def test_the_admin_refuses_a_staff_password_without_the_second_factor():
    editor = EditorFactory()
    second_factor_enrol(editor)
    client, response = _password_only(editor)
    assert response.status_code == 302
    assert response.url == SECOND_FACTOR_PAGE
    # The password alone opens no admin page: each sends back to the log-in, then the code.
    for url in ["/admin/", "/admin/roles/role/", "/admin/translations/"]:
        page = client.get(url)
        assert page.status_code == 302
        assert page.url.startswith("/admin/login/")
    assert client.get("/admin/login/?next=/admin/").url == SECOND_FACTOR_PAGE


def test_a_code_from_the_authenticator_app_lets_the_editor_in_once():
    editor = EditorFactory()
    device = second_factor_enrol(editor)
    client, _ = _password_only(editor)
    code = totp_code(device)
    response = pass_second_factor(client, editor, code)
    assert (response.status_code, response.url) == (302, "/admin/")
    assert client.get("/admin/").status_code == 200
    # The same code again (a replay, in another session) is refused.
    other, _ = _password_only(editor)
    refused = pass_second_factor(other, editor, code)
    assert refused.status_code == 400
    assert "That code is not right" in refused.content.decode()
    assert other.get("/admin/").status_code == 302


def test_a_backup_code_works_once():
    editor = EditorFactory()
    second_factor_enrol(editor)
    code = backup_code(editor)
    first, _ = _password_only(editor)
    assert pass_second_factor(first, editor, code).status_code == 302
    second, _ = _password_only(editor)
    assert pass_second_factor(second, editor, code).status_code == 400


def test_a_person_who_is_not_staff_has_no_second_factor_page():
    client = Client()
    client.force_login(UserFactory())
    assert client.get("/accounts/two-factor/").status_code == 404
    assert client.get("/accounts/two-factor/setup/").status_code == 404
    assert Client().get("/accounts/two-factor/").status_code == 302  # to the log-in


def test_enrolment_shows_a_qr_code_and_the_key_then_backup_codes_once():
    editor = EditorFactory()
    client, response = _password_only(editor)
    # Not enrolled: the code page sends the editor to set up an app.
    page = client.get(response.url)
    assert (page.status_code, page.url) == (302, SETUP_PAGE)
    setup = client.get(SETUP_PAGE)
    html = setup.content.decode()
    assert setup.status_code == 200
    assert "<svg" in html and "<path" in html
    assert "<script" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    csp = setup["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "img-src 'self' data:" in csp
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    key = re.search(r'<code class="user-select-all">([A-Z2-7 ]+)</code>', html).group(1)
    assert len(key.replace(" ", "")) == 32
    # A reload keeps the same device (and QR code).
    client.get(SETUP_PAGE)
    assert TOTPDevice.objects.filter(user=editor).count() == 1

    wrong = client.post(
        SETUP_PAGE, {"code": "000000", "next": "/admin/", "csrfmiddlewaretoken": csrf_token(setup)}
    )
    assert wrong.status_code == 400
    assert "does not match" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302
    # django-otp makes the device wait after a wrong code (a second, doubling with each);
    # the person types the right one after that wait.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)

    done = client.post(
        SETUP_PAGE,
        {"code": totp_code(device), "next": "/admin/", "csrfmiddlewaretoken": csrf_token(setup)},
    )
    assert done.status_code == 200
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", done.content.decode())
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200  # verified in this session
    # Enrolled: the set-up page now sends to the code page, and shows no new QR code.
    again = client.get(SETUP_PAGE)
    assert again.status_code == 302 and again.url.startswith("/accounts/two-factor/?")
    # A backup code from that page works for the next log-in.
    other, _ = _password_only(editor)
    assert pass_second_factor(other, editor, codes[0]).url == "/admin/"


def test_wrong_codes_count_towards_the_lockout(settings):
    settings.AXES_FAILURE_LIMIT = 3
    editor = EditorFactory()
    second_factor_enrol(editor)
    client, _ = _password_only(editor)
    for _ in range(2):
        assert pass_second_factor(client, editor, "11111111").status_code == 400
    locked = pass_second_factor(client, editor, "22222222")
    assert locked.status_code == 429
    # The half-done log-in is gone, and the password is refused now too, right as it is.
    assert client.get("/admin/").status_code == 302
    _, again = _password_only(editor)
    assert again.status_code == 429


def test_the_password_again_does_not_wipe_the_wrong_codes(settings):
    # Whoever has the password could otherwise log in afresh after each few guesses, and the
    # lockout would never count more than those few.
    settings.AXES_FAILURE_LIMIT = 3
    editor = EditorFactory()
    second_factor_enrol(editor)
    first, _ = _password_only(editor)
    for _ in range(2):
        assert pass_second_factor(first, editor, "11111111").status_code == 400
    second, response = _password_only(editor)
    assert response.url == SECOND_FACTOR_PAGE
    assert pass_second_factor(second, editor, "22222222").status_code == 429


def test_the_second_factor_passed_clears_the_failures(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.OTP_STATIC_THROTTLE_FACTOR = 0  # django-otp's own wait after a wrong code: not here
    editor = EditorFactory()
    second_factor_enrol(editor)
    client, _ = _password_only(editor)
    for _ in range(2):
        assert pass_second_factor(client, editor, "11111111").status_code == 400
    assert pass_second_factor(client, editor).status_code == 302
    again, _ = _password_only(editor)
    for _ in range(2):
        assert pass_second_factor(again, editor, "11111111").status_code == 400
    assert pass_second_factor(again, editor).status_code == 302


def test_a_lost_device_is_reset_by_a_command_and_the_editor_enrols_again():
    editor = EditorFactory(username="maria")
    second_factor_enrol(editor)
    backup_code(editor)
    # Someone with the password, stopped at the code so far, and another person's session.
    waiting_at_the_code, _ = _password_only(editor)
    other, _ = _password_only(EditorFactory())
    out = io.StringIO()
    call_command("reset_second_factor", "Maria", stdout=out)
    assert "Removed 2 device(s)" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert not StaticDevice.objects.filter(user=editor).exists()
    # That session can't enrol a device of its own: it was signed out with the reset.
    assert waiting_at_the_code.get(SETUP_PAGE).status_code == 302
    assert "_auth_user_id" not in waiting_at_the_code.session
    assert "_auth_user_id" in other.session
    client, response = _password_only(editor)
    assert client.get(response.url).url == SETUP_PAGE
    with pytest.raises(CommandError, match="no account"):
        call_command("reset_second_factor", "nobody")


def test_create_editor_explains_the_second_factor(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", "a-Long-passphrase-42")
    out = io.StringIO()
    call_command(
        "create_editor",
        "lucia",
        "lucia@example.com",
        "--password-env",
        "EDITOR_PASSWORD",
        stdout=out,
    )
    text = out.getvalue()
    assert "authenticator" in text and "backup codes" in text
    assert "reset_second_factor lucia" in text
