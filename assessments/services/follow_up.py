"""The six-month follow-up: consent and its withdrawal (the result page, the profile and the
API), the answer (the e-mail's page and the API, with the e-mail's token), the unsubscribe,
and sending the question and its one reminder, each once (assessments.following has the rules).

Sending: the periodic job picks the follow-ups with an e-mail due and sends each in a
transaction of its own (`follow_up_send`): the row is locked (SKIP LOCKED: a second worker
passes it by), checked again, the mail handed to the backend and the row marked asked (or
reminded) before the commit. A mail that fails rolls back, so the next try sends it.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core import caching, clock, mail
from core.languages import is_site_language
from core.text import free_text_clean
from roles.models import Role

from .. import following
from ..models import Assessment, FollowUp

logger = logging.getLogger("careerguide.assessments")

ANSWER_SALT = "careerguide.assessments.follow-up.answer"
UNSUBSCRIBE_SALT = "careerguide.assessments.follow-up.unsubscribe"
TEMPLATE = "assessments/emails/follow_up"


class LinkExpired(Exception):
    """The follow-up's links are past their time (following.LINKS_VALID_DAYS)."""


def _language(user) -> str:
    language = user.language or translation.get_language() or settings.LANGUAGE_CODE
    return language if is_site_language(language) else settings.LANGUAGE_CODE


@transaction.atomic
def follow_up_consent(
    *, assessment_id, user, consent: object, wording_version: object
) -> FollowUp | None:
    """Tick (consent true) or untick (false: as follow_up_withdraw) "e-mail me in 6 months"
    on one of the person's results. `wording_version` is the version of the wording they were
    shown (following.WORDINGS), which must be the current one. Assessment.DoesNotExist for
    anyone else's result; ValidationError by field; nothing saved on any error."""
    assessment = Assessment.objects.owned_by(user).get(pk=assessment_id)
    errors: dict[str, str] = {}
    if not isinstance(consent, bool):
        errors["consent"] = _("Say whether we may e-mail you (true or false).")
    if consent is True and (
        isinstance(wording_version, bool) or wording_version != following.WORDING_VERSION
    ):
        errors["wording_version"] = _(
            "The wording you agreed to has changed: read it again (version %(version)s)."
        ) % {"version": following.WORDING_VERSION}
    if errors:
        raise ValidationError(errors)
    if consent is False:
        _withdraw(assessment=assessment, user=user)
        return None
    # The person's row, locked: two consents at once (a double click, the site and the app)
    # take turns, so the second finds the first's follow-up instead of inserting beside it
    # and failing on the one-per-person constraint.
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))
    existing = FollowUp.objects.select_for_update().filter(user=user).first()
    if existing is not None and existing.assessment_id == assessment.pk:
        return existing  # asked for twice: the first consent stands
    if not user.email:
        raise ValidationError(
            {
                "consent": _(
                    "Confirm your e-mail address first: follow the link we sent when you signed up."
                )
            }
        )
    if existing is not None and existing.asked_at is not None:
        raise ValidationError(
            {
                "consent": _(
                    "We already asked you about your result of %(date)s. Withdraw that "
                    "follow-up on your profile first to be asked about this one."
                )
                % {"date": existing.assessment.created_at.date().isoformat()}
            }
        )
    now = clock.now()
    values = {
        "assessment": assessment,
        "consented_at": now,
        "wording_version": following.WORDING_VERSION,
        "language": _language(user),
        "due_at": now + timedelta(days=settings.FOLLOW_UP_AFTER_DAYS),
    }
    if existing is not None:
        # Moved to this result before anyone was asked: one follow-up per person.
        for name, value in values.items():
            setattr(existing, name, value)
        existing.save()
        follow_up = existing
    else:
        follow_up = FollowUp.objects.create(user=user, **values)
    caching.history_changed(user.pk)
    return follow_up


def _withdraw(*, assessment, user) -> None:
    FollowUp.objects.filter(assessment=assessment, user=user).delete()
    caching.history_changed(user.pk)


@transaction.atomic
def follow_up_withdraw(*, assessment_id, user) -> None:
    """Withdraw the consent on one of the person's results: the follow-up and any answer to
    it are deleted (also after it was asked). Assessment.DoesNotExist for anyone else's."""
    assessment = Assessment.objects.owned_by(user).get(pk=assessment_id)
    _withdraw(assessment=assessment, user=user)


# The links in the e-mail ------------------------------------------------------------------


def answer_token(*, follow_up_id: int) -> str:
    return signing.dumps(follow_up_id, salt=ANSWER_SALT)


def unsubscribe_token(*, follow_up_id: int) -> str:
    return signing.dumps(follow_up_id, salt=UNSUBSCRIBE_SALT)


def _token_id(token: str, salt: str) -> int | None:
    try:
        value = signing.loads(token, salt=salt)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def unsubscribe_token_valid(token: str) -> bool:
    return _token_id(token, UNSUBSCRIBE_SALT) is not None


def follow_up_for_token(token: str) -> FollowUp:
    """The follow-up an answer token stands for, with its result and top role (one query).
    FollowUp.DoesNotExist when the token is not ours or it was withdrawn; LinkExpired when
    its links are past their time (or it was never asked)."""
    follow_up_id = _token_id(token, ANSWER_SALT)
    follow_up = (
        FollowUp.objects.select_related("assessment__top_role", "user")
        .filter(pk=follow_up_id, user__is_active=True)
        .first()
        if follow_up_id is not None
        else None
    )
    if follow_up is None:
        raise FollowUp.DoesNotExist
    if not following.links_open(follow_up.state(), clock.now()):
        raise LinkExpired
    return follow_up


def answer_choices() -> dict[str, str]:
    """The answers, in the active language: work in each of the catalog's roles, or neither
    yet (following.NEITHER)."""
    choices = {
        slug: _("Work as: %(role)s") % {"role": name}
        for slug, name in Role.objects.order_by("order", "name").values_list("slug", "name")
    }
    choices[following.NEITHER] = _("Neither yet")
    return choices


@transaction.atomic
def follow_up_answer(
    *, token: str, answer: object, happiness: object = None, comment: object = ""
) -> FollowUp:
    """Record (or change, while the links work) the answer to the follow-up a token names:
    `answer` one of answer_choices(), `happiness` None or 1-5, `comment` private text.
    FollowUp.DoesNotExist / LinkExpired as follow_up_for_token; ValidationError by field."""
    follow_up = follow_up_for_token(token)
    follow_up = (
        FollowUp.objects.select_for_update()
        .select_related("assessment__top_role")
        .get(pk=follow_up.pk)
    )
    errors: dict[str, str] = {}
    if not isinstance(answer, str) or answer not in answer_choices():
        errors["answer"] = _("Choose one of the answers.")
    if happiness is not None and not following.is_happiness(happiness):
        errors["happiness"] = _("Choose how happy you are from 1 to 5, or leave it out.")
    comment, problem = free_text_clean(comment, most=following.COMMENT_MAX)
    if problem:
        errors["comment"] = problem
    if errors:
        raise ValidationError(errors)
    assert isinstance(answer, str) and isinstance(comment, str)  # checked above
    follow_up.answer = answer
    follow_up.chose_top_role = answer == follow_up.assessment.top_role.slug
    follow_up.happiness = happiness  # type: ignore[assignment]  # checked above
    follow_up.comment = comment
    follow_up.answered_at = clock.now()
    follow_up.save()
    caching.history_changed(follow_up.user_id)
    return follow_up


@transaction.atomic
def follow_up_unsubscribe(*, token: str) -> bool:
    """Stop the follow-up's e-mails (the one-click unsubscribe, no session needed); its links
    still work. False when the token is not ours."""
    follow_up_id = _token_id(token, UNSUBSCRIBE_SALT)
    if follow_up_id is None:
        return False
    FollowUp.objects.filter(pk=follow_up_id, unsubscribed_at__isnull=True).update(
        unsubscribed_at=clock.now()
    )
    return True


# Sending -----------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return mail.site_address() + path


def _message(follow_up: FollowUp, *, kind: str):
    user = follow_up.user
    assert user.email  # follow_up_send checked it
    token = answer_token(follow_up_id=follow_up.pk)
    unsubscribe_link = _absolute(
        reverse(
            "assessments:follow-up-unsubscribe",
            args=[unsubscribe_token(follow_up_id=follow_up.pk)],
        )
    )
    page = reverse("assessments:follow-up", args=[token])
    expires = follow_up.asked_at or clock.now()
    context = {
        "username": user.get_username(),
        "reminder": kind == "remind",
        "taken_on": follow_up.assessment.created_at,
        "top_role": follow_up.assessment.top_role.name,
        "answers": [
            {"label": label, "link": _absolute(f"{page}?answer={slug}")}
            for slug, label in answer_choices().items()
        ],
        "expires_on": expires + timedelta(days=following.LINKS_VALID_DAYS),
        "wording": _(following.WORDINGS[follow_up.wording_version]),
        "consented_on": follow_up.consented_at,
        "unsubscribe_link": unsubscribe_link,
    }
    subject = (
        _("A reminder: which path did you take?")
        if kind == "remind"
        else _("Which path did you take?")
    )
    return mail.message_build(
        to=user.email,
        subject=subject,
        template=TEMPLATE,
        context=context,
        unsubscribe_url=unsubscribe_link,
        key=f"follow-up.{follow_up.pk}.{kind}",
    )


def follow_up_send(*, follow_up_id: int) -> str | None:
    """Send the e-mail due now for one follow-up (the question, or its one reminder), if any
    and not sent yet: "ask", "remind" or None. Safe to run twice at once (see above)."""
    with transaction.atomic():
        follow_up = (
            FollowUp.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("user", "assessment__top_role")
            .filter(pk=follow_up_id)
            .first()
        )
        if follow_up is None or not follow_up.user.is_active or not follow_up.user.email:
            return None
        now = clock.now()
        kind = following.mail_due(follow_up.state(), now)
        if kind is None:
            return None
        if kind == "ask":
            follow_up.asked_at = now
        else:
            follow_up.reminded_at = now
        follow_up.save(update_fields=["asked_at", "reminded_at"])
        caching.history_changed(follow_up.user_id)  # the profile says when they were asked
        language = follow_up.user.language or follow_up.language
        with translation.override(language if is_site_language(language) else None):
            _message(follow_up, kind=kind).send()
    return kind


def follow_ups_due() -> list[int]:
    """The follow-ups with an e-mail due now: candidates for follow_up_send, which checks
    each again under its lock."""
    now = clock.now()
    rows = FollowUp.objects.filter(
        unsubscribed_at__isnull=True,
        answered_at__isnull=True,
        due_at__lte=now,
        reminded_at__isnull=True,
        user__is_active=True,
        user__email__isnull=False,
    )
    return sorted(
        follow_up.pk
        for follow_up in rows.only(
            "pk", "due_at", "asked_at", "reminded_at", "answered_at", "unsubscribed_at"
        )
        if following.mail_due(follow_up.state(), now) is not None
    )


def follow_ups_send_due() -> int:
    """Every follow-up e-mail due now, each in its own transaction; how many were sent. A
    mail that fails is logged and left for the next run."""
    sent = 0
    for follow_up_id in follow_ups_due():
        try:
            sent += follow_up_send(follow_up_id=follow_up_id) is not None
        except Exception:
            logger.exception("follow-up %s not sent; the next run tries again", follow_up_id)
    return sent
