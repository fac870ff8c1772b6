"""Writes of accounts. The web views and the API both call these."""

import datetime
import math

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CharField, Value
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from knox.models import AuthToken
from knox.settings import knox_settings

from assessments.services.figures import peer_counts_forget_user
from assessments.services.sharing import shares_forget_user
from core import caching, security
from core.languages import is_site_language
from core.tasks import enqueue

from .models import (
    EDITORS_GROUP,
    USERNAME_TAKEN,
    PasswordRecheckFailure,
    User,
    username_characters_validator,
)

EMAIL_TAKEN = gettext_lazy("An account with that e-mail address already exists.")
WRONG_PASSWORD = gettext_lazy("That is not your password.")
EMAIL_LINK_INVALID = gettext_lazy(
    "This link is not valid or has expired. Sign up again to get a new one."
)
EMAIL_IN_USE = gettext_lazy("That e-mail address now belongs to another account.")
# How long a link to confirm an e-mail address works (the e-mail says so too).
EMAIL_LINK_MAX_AGE = datetime.timedelta(days=3)
EMAIL_LINK_SALT = "careerguide.accounts.email-confirm"


class TooManyAttempts(Exception):
    """Too many wrong passwords lately: refuse without checking, for `retry_after` seconds."""

    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after

    @property
    def message(self) -> str:
        minutes = max(1, math.ceil(self.retry_after / 60))
        return ngettext(
            "Too many wrong passwords. Try again in %(minutes)s minute.",
            "Too many wrong passwords. Try again in %(minutes)s minutes.",
            minutes,
        ) % {"minutes": minutes}


def email_is_taken(email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()


# The unique constraint on usernames (User.Meta): Lower("username"), so the check before an
# insert compares the same way, in the database (UPPER and LOWER disagree on some letters:
# `İx` and `ix`, `sß` and `sẞ`).
USERNAME_CONSTRAINT = "accounts_user_username_ci_unique"


def username_is_taken(username: str) -> bool:
    return (
        User.objects.alias(folded=Lower("username"))
        .filter(folded=Lower(Value(username, output_field=CharField())))
        .exists()
    )


def _account_errors(*, username: str, email: str, password: str) -> dict[str, list[str]]:
    """The checks every new account passes, by field: `username` already normalised (NFKC, as
    the sign-up form does), its characters (the one rule, username_characters_validator) and
    length, whether it is free ignoring case, and the password."""
    errors: dict[str, list[str]] = {}
    try:
        username_characters_validator(username)
        User._meta.get_field("username").run_validators(username)
    except ValidationError as error:
        errors["username"] = error.messages
    else:
        if username_is_taken(username):
            errors["username"] = [str(USERNAME_TAKEN)]
    try:
        password_validation.validate_password(password, user=User(username=username, email=email))
    except ValidationError as error:
        errors["password"] = error.messages
    return errors


def _user_insert(*, username: str, email: str | None, password: str, language: str = "") -> User:
    """Insert the account; a username or e-mail taken by a concurrent request (the database's
    unique constraints) is a ValidationError at its field, as the checks before would say."""
    try:
        with transaction.atomic():
            return User.objects.create_user(
                username=username, email=email, password=password, language=language
            )
    except IntegrityError as error:
        if USERNAME_CONSTRAINT in str(error) or username_is_taken(username):
            raise ValidationError({"username": [USERNAME_TAKEN]}) from None
        if email and email_is_taken(email):
            raise ValidationError({"email": [EMAIL_TAKEN]}) from None
        raise


@transaction.atomic
def user_create(
    *, username: str, email: str, password: str, site_url: str, language: str = ""
) -> User:
    """A person's new account, after the sign-up checks (ValidationError by field). Never says
    whether `email` has an account: the address is not stored yet, and a job queued with this
    transaction e-mails it a link to confirm it for this account (`email_confirm`) or, when
    it already belongs to an account, a note to its owner (tasks.signup_email_send). Links
    start with `site_url` (security.site_url). `language`, the one the person signed up in,
    is kept as their choice (a language the site doesn't speak is not)."""
    username = User.normalize_username(username)
    email = User.objects.normalize_email(email)
    errors = _account_errors(username=username, email=email, password=password)
    if errors:
        raise ValidationError(errors)
    if not is_site_language(language):
        language = ""
    user = _user_insert(username=username, email=None, password=password, language=language)
    # The e-mail is the worker's (tasks.signup_email_send): whether the address has an account
    # is looked up there, so this request does the same work either way.
    from .tasks import signup_email_send

    enqueue(
        signup_email_send,
        user_id=user.pk,
        email=email,
        site_url=site_url,
        language=translation.get_language(),
    )
    return user


def signup_links(*, user, email: str, site_url: str, holder) -> dict[str, str]:
    """The links of a sign-up's e-mail: "confirm", to give `user` the address `email`, and
    "reset", the password-reset page in the language of the address's owner `holder` (if any)."""
    token = signing.dumps({"user": user.pk, "email": email}, salt=EMAIL_LINK_SALT, compress=True)
    language = translation.get_language()
    if holder is not None:
        language = holder.language or settings.LANGUAGE_CODE
    with translation.override(language):
        reset_link = site_url + reverse("password_reset")
    confirm_link = site_url + reverse("accounts:email-confirm", args=[token])
    return {"confirm": confirm_link, "reset": reset_link}


@transaction.atomic
def email_confirm(*, token: str) -> User:
    """Give the account a sign-up link was made for the address it was sent to.
    ValidationError if the link is not valid or expired, or the address has been taken since."""
    try:
        data = signing.loads(token, salt=EMAIL_LINK_SALT, max_age=EMAIL_LINK_MAX_AGE)
        user = User.objects.select_for_update().get(pk=data["user"], is_active=True)
        email = str(data["email"])
    except (signing.BadSignature, KeyError, TypeError, User.DoesNotExist):
        raise ValidationError(EMAIL_LINK_INVALID) from None
    if user.email == email:
        return user  # the link was followed twice
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise ValidationError(EMAIL_IN_USE)
    user.email = email
    try:
        with transaction.atomic():
            user.save(update_fields=["email"])
    except IntegrityError:
        raise ValidationError(EMAIL_IN_USE) from None
    return user


@transaction.atomic
def editor_create(*, username: str, email: str, password: str) -> User:
    """Create a staff account in the Editors group, after the checks of a new account and with
    `email` stored at once (an operator typed it; ValidationError by field, the e-mail too).
    Group.DoesNotExist if the group is missing: the migrations have not run."""
    group = Group.objects.get(name=EDITORS_GROUP)
    username = User.normalize_username(username)
    email = User.objects.normalize_email(email)
    errors = _account_errors(username=username, email=email, password=password)
    if email_is_taken(email):
        errors["email"] = [str(EMAIL_TAKEN)]
    if errors:
        raise ValidationError(errors)
    user = _user_insert(username=username, email=email, password=password)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(group)
    return user


def password_recheck(*, user, password: str) -> None:
    """Check the password of someone already signed in as `user`, before something only the
    owner may do. A wrong one raises ValidationError({"password": ...}) and is counted (in its
    own transaction, so it stays counted); once AXES_FAILURE_LIMIT were typed within
    AXES_COOLOFF_TIME, TooManyAttempts is raised without checking. A right one clears the count.
    A stolen session or token can't be used to guess the password."""
    now = timezone.now()
    limit, cooloff = settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME
    with transaction.atomic():
        # One re-check of a person at a time, so parallel guesses can't overrun the count.
        list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
        failures = PasswordRecheckFailure.objects.filter(user_id=user.pk)
        recent = list(
            failures.filter(created_at__gt=now - cooloff)
            .order_by("created_at")
            .values_list("created_at", flat=True)
        )
        if len(recent) >= limit:
            # Allowed again when enough of them have left the window to be under the limit.
            frees_at = recent[len(recent) - limit] + cooloff
            raise TooManyAttempts(retry_after=max(1, math.ceil((frees_at - now).total_seconds())))
        if user.check_password(password):
            failures.delete()
            return
        PasswordRecheckFailure.objects.create(user_id=user.pk, created_at=now)
    raise ValidationError({"password": [WRONG_PASSWORD]})


def user_delete(*, user, password: str) -> None:
    """The person deletes their account, if the password fits (password_recheck)."""
    password_recheck(user=user, password=password)
    user_remove(user=user)


def user_remove(*, user) -> None:
    """Delete an account and everything of it: its assessments, plan and API tokens (cascade),
    its results' place in everyone's figures, its log-in records
    (security.login_records_forget) and everything cached about it. Also what the admin's
    delete does."""
    user_id, username = user.pk, user.get_username()
    with transaction.atomic():
        security.login_records_forget(username)
        peer_counts_forget_user(user=user)
        shares_forget_user(user=user)
        user.delete()  # with the row goes its history version: its cached answers are unreachable
        caching.user_entries_forget(user_id)


@transaction.atomic
def user_deactivate(*, user) -> None:
    """Deactivate an account (the admin's "active" box unticked calls this too): it can't log
    in, its API tokens go (User.save), its share links answer 404
    (selectors.sharing.share_get_live) and their cards and everything cached about it are
    forgotten. Its results stay, for when it is activated again."""
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    AuthToken.objects.filter(user_id=user.pk).delete()
    shares_forget_user(user=user)
    caching.history_changed(user.pk)
    caching.user_entries_forget(user.pk)


@transaction.atomic
def token_create(*, user) -> tuple[AuthToken, str]:
    """A new API token for `user` (the token row and the key to hand out once). Their expired
    tokens are deleted; if they already hold REST_KNOX["TOKEN_LIMIT_PER_USER"] live ones, the
    oldest are revoked to make room, so a new device is never refused."""
    # One log-in of a person at a time, so two at once can't both stay under the limit.
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    tokens = AuthToken.objects.filter(user_id=user.pk)
    tokens.filter(expiry__lte=timezone.now()).delete()
    limit = knox_settings.TOKEN_LIMIT_PER_USER
    if limit is not None:
        keep = max(limit - 1, 0)
        oldest = list(tokens.order_by("-created").values_list("digest", flat=True)[keep:])
        if oldest:
            AuthToken.objects.filter(digest__in=oldest).delete()
    return AuthToken.objects.create(user=user)


@transaction.atomic
def auth_records_prune(*, now: datetime.datetime) -> dict[str, int]:
    """Delete log-in records past their time (`manage.py prune_auth_records`): django-axes'
    access logs older than ACCESS_LOG_RETENTION_DAYS and attempts past their cool-off
    (security.login_records_prune), password re-check failures past the cool-off, and expired
    API tokens. The number of each deleted, by what they are."""
    counts = security.login_records_prune(now=now)
    counts["password re-check failures"] = PasswordRecheckFailure.objects.filter(
        created_at__lte=now - settings.AXES_COOLOFF_TIME
    ).delete()[0]
    counts["expired API tokens"] = AuthToken.objects.filter(expiry__lte=now).delete()[0]
    return counts


def user_language_set(*, user, language: str) -> None:
    """Keep the language a person chose with the switcher, for their next log-in. One
    UPDATE of one column, so a racing save of the account (a password change) keeps both."""
    if not is_site_language(language):
        raise ValidationError({"language": [_("Choose one of the site's languages.")]})
    if user.language != language:
        User.objects.filter(pk=user.pk).update(language=language)
        user.language = language
