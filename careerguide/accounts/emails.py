"""The e-mails accounts sends to an address someone typed. None is sent in the request that
asks for it: the request enqueues a job (tasks.py) whatever the address, so its answer and its
timing say nothing about whether the address has an account. The worker then looks the address
up, picks the mail and renders it; each goes out only within that address's budget
(throttling.EmailThrottle, THROTTLE_EMAIL): beyond it, the mail is dropped with a warning in the
log. The delivery itself is a job of its own (tasks.email_deliver), retried with backoff."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.message import make_msgid
from django.template.loader import render_to_string
from django.utils import translation

from core.tasks import enqueue

from .throttling import email_may_be_sent

logger = logging.getLogger("careerguide.accounts")


def email_send(*, email: str, subject: str, body: str, what: str) -> bool:
    """Queue one e-mail to `email` if its budget allows; whether it was queued. Its Message-ID
    is made now, so every try of the delivery sends the same one."""
    if not email_may_be_sent(email):
        logger.warning("%s e-mail not sent: that address had too many e-mails lately", what)
        return False
    from .tasks import email_deliver

    enqueue(email_deliver, to=email, subject=subject, body=body, message_id=make_msgid())
    logger.info("%s e-mail queued", what)
    return True


def email_deliver_now(*, to: str, subject: str, body: str, message_id: str) -> None:
    """Hand one e-mail to the mail server (EMAIL_BACKEND); raises if it refuses."""
    message = EmailMessage(
        subject, body, settings.DEFAULT_FROM_EMAIL, [to], headers={"Message-ID": message_id}
    )
    message.send(fail_silently=False)


def _send_template(*, email: str, template: str, context: dict) -> bool:
    subject = render_to_string(f"registration/{template}_subject.txt", context)
    body = render_to_string(f"registration/{template}_email.txt", context)
    return email_send(email=email, subject=" ".join(subject.split()), body=body, what=template)


def signup_email_send(
    *, email: str, confirm_link: str, holder, reset_link: str, language: str
) -> bool:
    """After a sign-up with `email`: a link to confirm it for the new account, in `language`
    (the one the person signed up in); or, when the address already belongs to an account
    (`holder`), a note to its owner saying so, in `language` (theirs), with a link to reset
    that account's password. Whoever signed up sees the same either way (and what they typed
    as a username is in neither mail: it is not ours to send to a stranger)."""
    with translation.override(language):
        if holder is None:
            return _send_template(
                email=email, template="email_confirm", context={"link": confirm_link}
            )
        context = {"holder": holder.get_username(), "link": reset_link}
        return _send_template(email=email, template="email_in_use", context=context)
