"""An editor's first visit to the admin in a browser: the password, then enrolling an
authenticator app from the QR code page (on a phone, in dark mode, in both languages: nothing
serious for axe-core, nothing overflowing), the backup codes, and the admin."""

import base64
import re
import time

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import PHONE
from tests.e2e.helpers import describe, overflow
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.e2e


def _code(key: str) -> str:
    secret = key.replace(" ", "")
    secret += "=" * (-len(secret) % 8)
    totp = TOTP(base64.b32decode(secret))
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_an_editor_enrols_on_a_phone_in_dark_mode_then_enters_the_admin(new_context, audit):
    # A superuser: the browser tests' database has no Editors group (made by a migration).
    factories.SuperuserFactory(username="nuria")
    page = new_context(viewport=PHONE).new_page()
    page.emulate_media(color_scheme="dark")
    page.goto("/admin/")
    page.get_by_label("Username").fill("nuria")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/setup/"))
    qr = page.locator("figure.qr-code svg")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box and box["width"] >= 120  # big enough to scan
    blocking = audit(page, "second-factor-setup")
    assert not blocking, describe(blocking)
    widths = overflow(page)
    assert widths["scrollWidth"] <= widths["innerWidth"], widths

    # The same page in Spanish.
    page.goto("/es/accounts/two-factor/setup/?next=/admin/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Configura tu segundo factor")
    key = page.locator("code.user-select-all").inner_text()

    page.locator("#id_code").fill("123456" if _code(key) != "123456" else "654321")
    page.get_by_role("button", name="Confirmar").click()
    expect(page.locator(".invalid-feedback, .errorlist")).to_contain_text("no coincide")
    time.sleep(1.1)  # django-otp's wait after a wrong code
    page.locator("#id_code").fill(_code(key))
    page.get_by_role("button", name="Confirmar").click()
    expect(page.locator(".backup-codes li")).to_have_count(10)
    page.get_by_role("link", name="Seguir al panel de administración").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator("#site-name")).to_be_visible()
