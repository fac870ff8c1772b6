"""The second factor every staff account passes to enter the admin (django-otp): an
authenticator app's six-digit codes (TOTP) and ten single-use backup codes. Enrolment,
checking a code, and the reset of a lost device. Each wrong code is a failed log-in for the
lockout (django-axes), as a wrong password is, and django-otp slows down guessing on the device
itself as well (a wait that doubles with each wrong code)."""

import io
from importlib import import_module

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.utils import timezone
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import security

BACKUP_CODES = 10
AUTHENTICATOR = "authenticator"
BACKUP = "backup codes"


def needs_second_factor(user) -> bool:
    """Whether `user` must pass a second factor: every staff account."""
    return bool(user.is_authenticated and user.is_staff)


def is_verified(user) -> bool:
    """Whether this session's `user` passed a second factor (django-otp's middleware says; a
    user just logged in by this very request has not)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def is_enrolled(user) -> bool:
    """Whether `user` has a confirmed authenticator (else they enrol first)."""
    return user_has_device(user, confirmed=True)


@transaction.atomic
def enrolment_start(*, user) -> TOTPDevice:
    """The authenticator being set up for `user`: unconfirmed until a code from it is typed
    (enrolment_confirm). The same one on every visit until then, so a reload keeps the QR."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)
    return device


@transaction.atomic
def enrolment_confirm(*, user, code: str) -> list[str] | None:
    """If `code` comes from the authenticator being set up, confirm it and make a fresh set of
    backup codes (returned, to be shown once); None if it doesn't match."""
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, confirmed=False)
        .order_by("pk")
        .first()
    )
    if device is None or not device.verify_token(_plain(code)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    StaticDevice.objects.filter(user=user).delete()
    backup = StaticDevice.objects.create(user=user, name=BACKUP, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=backup, token=token) for token in codes)
    return codes


def code_check(*, request, user, code: str) -> Device | None:
    """The device a code (six digits from the authenticator, or a backup code, which then is
    used up) belongs to, or None; a wrong code is counted as a failed log-in of `user`."""
    code = _plain(code)
    kind = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if isinstance(device, kind) and device.verify_token(code):
                return device
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )
    return None


def login_complete(*, request, device: Device) -> None:
    """The second factor passed: this session is verified (django-otp), and the account's
    failed log-ins from this client are forgotten, as any other whole log-in forgets them."""
    otp_login(request, device)
    AxesProxyHandler.update_request(request)
    AxesProxyHandler.get_implementation().reset_user_attempts(
        request, {"username": request.user.get_username()}
    )


class LockoutHandler(security.LockoutHandler):
    """core's lockout policy (settings.AXES_HANDLER), where the password of an account that
    needs a second factor is half a log-in: it keeps the account's failures (wrong codes among
    them) until the code passes (login_complete). Else whoever has the password could log in
    again after each few wrong codes, and the lockout would never count more than those few."""

    def user_logged_in(self, sender, request, user, **kwargs):
        request.lockout_failures_kept = needs_second_factor(user)
        super().user_logged_in(sender, request, user, **kwargs)

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        if getattr(request, "lockout_failures_kept", False):
            return 0
        return super().reset_user_attempts(request, credentials)


@transaction.atomic
def devices_reset(*, user) -> int:
    """Forget every second-factor device of `user` (a lost phone) and end every session they
    are signed in with: at their next log-in to the admin they enrol again. The sessions go
    because whoever holds one that passed the password could otherwise enrol a device of
    their own without typing anything (someone who stole the password, say, and was stopped
    at the code until now). How many devices were removed."""
    removed = 0
    for device in devices_for_user(user, confirmed=None):
        device.delete()
        removed += 1
    _sessions_end(user)
    return removed


def _sessions_end(user) -> None:
    """Delete the user's sessions. Sessions are kept by key, not by user, so each live one is
    read; a reset is rare and done by hand."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    model = store.get_model_class()
    theirs = [
        session.pk
        for session in model.objects.filter(expire_date__gt=timezone.now()).iterator()
        if store().decode(session.session_data).get(SESSION_KEY) == str(user.pk)
    ]
    model.objects.filter(pk__in=theirs).delete()


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as a QR code, an inline SVG (no script, no style)."""
    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2
    )
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for an app that can't scan."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _plain(code: str) -> str:
    return "".join(str(code).split()).lower()[:32]
