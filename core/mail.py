"""E-mails people asked for (the plan reminder, the follow-up): a plain-text part and an HTML
part from two templates, and the one-click unsubscribe headers of RFC 8058.

`List-Unsubscribe` carries the https address of the unsubscribe view and
`List-Unsubscribe-Post: List-Unsubscribe=One-Click` tells the mail client that a POST to it
with no cookies is enough (the view is csrf-exempt and takes a signed token, never a session).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

ONE_CLICK = "List-Unsubscribe=One-Click"


def site_address() -> str:
    """The origin links in these e-mails start with: SITE_URL (set in production, where it is
    https); in development, the address `make run` serves."""
    return settings.SITE_URL or "http://127.0.0.1:8000"


def message_id(key: str) -> str:
    """A Message-ID made from what the e-mail is (e.g. "plan-reminder.12.2026-03-02"), the same
    on every try, so a copy sent again after a crash can be recognised as the same e-mail."""
    domain = urlsplit(site_address()).hostname or "localhost"
    return f"<{key}@{domain}>"


def message_build(
    *, to: str, subject: str, template: str, context: dict, unsubscribe_url: str, key: str
) -> EmailMultiAlternatives:
    """A message to `to` from `<template>.txt` and `<template>.html` (rendered in the active
    language) with the unsubscribe headers; `unsubscribe_url` is absolute; `key` names the
    e-mail (message_id)."""
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": ONE_CLICK,
            # Sent by a machine on the person's behalf: no out-of-office answers, please.
            "Auto-Submitted": "auto-generated",
            "Message-ID": message_id(key),
        },
    )
    message.attach_alternative(html, "text/html")
    return message
