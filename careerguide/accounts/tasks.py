"""The worker's side of accounts' e-mails (emails.py says why none is sent in a request)."""

import logging

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone, translation

from core.tasks import background

from . import emails, services
from .models import User

logger = logging.getLogger("careerguide.accounts")


# The body holds the link of a password reset or an address confirmation, which works for days:
# the finished job's row (kept for days, in backups, on the admin's task pages) doesn't keep it.
@background(max_attempts=8, backoff=30, secret=("body",))
def email_deliver(*, to: str, subject: str, body: str, message_id: str) -> None:
    """Deliver one rendered e-mail; a mail server that is away is tried again with backoff
    (30 s, 2 min, 8 min, ... an hour), eight tries in all, then the job is failed."""
    emails.email_deliver_now(to=to, subject=subject, body=body, message_id=message_id)


@background(max_attempts=3)
def signup_email_send(*, user_id: int, email: str, site_url: str, language: str) -> None:
    """The e-mail of a sign-up with `email` (emails.signup_email_send): to confirm it for the
    account `user_id`, or a note to the address's owner. Nothing if the account is gone."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    holder = User.objects.filter(email__iexact=email).exclude(pk=user_id).first()
    links = services.signup_links(user=user, email=email, site_url=site_url, holder=holder)
    mail_language = language
    if holder is not None:
        mail_language = holder.language or settings.LANGUAGE_CODE
    emails.signup_email_send(
        email=email,
        confirm_link=links["confirm"],
        holder=holder,
        reset_link=links["reset"],
        language=mail_language,
    )


@background(max_attempts=3)
def password_reset_email_send(*, email: str, origin: str, language: str) -> None:
    """The password-reset e-mail(s) for `email`: one per active account with that address and
    a usable password (Django's PasswordResetForm), none when there is no such account."""
    from .forms import PasswordResetForm

    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return
    with translation.override(language):
        form.save_for_origin(origin)


@background(max_attempts=3, backoff=300)
def auth_records_prune(*, period_start: str) -> dict[str, int]:
    """Daily: delete log-in records past their time and expired sessions (what
    `manage.py prune_auth_records` does); the number of each deleted."""
    counts = services.auth_records_prune(now=timezone.now())
    call_command("clearsessions")
    logger.info(
        "log-in records pruned: %s",
        ", ".join(f"{what}: {count}" for what, count in counts.items()),
    )
    return counts
