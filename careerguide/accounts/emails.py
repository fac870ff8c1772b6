"""The e-mails accounts sends to an address someone typed. Each goes out only within that
address's budget (throttling.EmailThrottle, THROTTLE_EMAIL): beyond it, the request still looks
the same to whoever made it, and the mail is dropped with a warning in the log."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from .throttling import email_may_be_sent

logger = logging.getLogger("careerguide.accounts")


def email_send(*, email: str, subject: str, body: str, what: str) -> bool:
    """Send one e-mail to `email` if its budget allows; whether it was sent."""
    if not email_may_be_sent(email):
        logger.warning("%s e-mail not sent: that address had too many e-mails lately", what)
        return False
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
    return True


def _send_template(*, email: str, template: str, context: dict) -> bool:
    subject = render_to_string(f"registration/{template}_subject.txt", context)
    body = render_to_string(f"registration/{template}_email.txt", context)
    return email_send(email=email, subject=" ".join(subject.split()), body=body, what=template)


def signup_email_send(
    *, email: str, confirm_link: str, holder, reset_link: str, language: str
) -> bool:
    """After a sign-up with `email`: a link to confirm it for the new account, in the active
    language; or, when the address already belongs to an account (`holder`), a note to its
    owner saying so, in `language` (theirs), with a link to reset that account's password.
    Whoever signed up sees the same either way (and what they typed as a username is in
    neither mail: it is not ours to send to a stranger)."""
    if holder is None:
        return _send_template(email=email, template="email_confirm", context={"link": confirm_link})
    context = {"holder": holder.get_username(), "link": reset_link}
    with translation.override(language):
        return _send_template(email=email, template="email_in_use", context=context)
