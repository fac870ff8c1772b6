from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from core.models import new_token

# Staff who curate the catalog and the quiz in the admin. The group and its permissions are
# made by migration 0002_editors_group, which spells the name itself (migrations import no
# app code).
EDITORS_GROUP = "Editors"

USERNAME_TAKEN = _("That username is taken.")

# What a new username may hold, once normalised (NFKC, User.normalize_username): the letters of
# English and Spanish, digits and . _ -, so no name can pass for another with a look-alike
# letter (a Cyrillic a, U+0430), an invisible one (U+3164) or a mark. Checked when an account
# is made (services._account_errors, the admin's add form); the field's own validator stays
# Django's, so an existing name outside this rule still saves and logs in.
USERNAME_CHARACTERS = _(
    "Use only the letters a to z (and á, é, í, ó, ú, ü, ñ), digits and . _ - in a username."
)
username_characters_validator = RegexValidator(
    r"^[a-zA-Z0-9áéíóúüñÁÉÍÓÚÜÑ._-]+\Z", message=USERNAME_CHARACTERS, code="invalid"
)


class Theme(models.TextChoices):
    """The site's colour modes: the browser's (its prefers-color-scheme), or one chosen."""

    AUTO = "auto", _("Auto")
    LIGHT = "light", _("Light")
    DARK = "dark", _("Dark")


# The cookie that carries the colour mode to static/js/theme.js, which applies it before the
# page is painted (the server never reads it, so the anonymous page cache is not split by it).
THEME_COOKIE = "theme"
THEME_COOKIE_AGE = 365 * 24 * 60 * 60


class User(AbstractUser):
    """A person with an account. Custom from the first migration so it can grow."""

    email = models.EmailField(  # type: ignore[assignment]  # nullable, unlike AbstractUser's
        "e-mail address", unique=True, blank=True, null=True
    )
    # The language the person last chose with the switcher; their next log-in takes them
    # to the site in it. Empty until they choose.
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, blank=True)
    # The colour mode the person chose (auto follows the browser); a log-in on another
    # device brings it there in the theme cookie.
    theme = models.CharField(max_length=8, choices=Theme.choices, default=Theme.AUTO)
    # The token of the person's history (results, feedback, plan): what is cached about it is
    # keyed by this, and core.caching changes it in the same transaction as the history. It
    # comes with the row that says who is asking, so reading it costs no query.
    history_version = models.CharField(max_length=32, default=new_token, editable=False)

    class Meta(AbstractUser.Meta):
        constraints = [
            # `Mallory` and `mallory` would be two people no one can tell apart.
            models.UniqueConstraint(
                Lower("username"),
                name="accounts_user_username_ci_unique",
                violation_error_message=USERNAME_TAKEN,
            ),
        ]

    def save(self, *args, **kwargs):
        # Blank e-mails are stored as NULL so the unique constraint allows many of them.
        if not self.email:
            self.email = None
        # A new password or a deactivation revokes every API token, wherever this save comes
        # from (password change or reset, the admin, the shell). Sessions are refused by
        # Django itself: their password hash no longer matches, or the user is inactive.
        revoke_tokens = self.pk is not None and (self._password is not None or not self.is_active)
        super().save(*args, **kwargs)
        if revoke_tokens:
            AuthToken.objects.filter(user=self).delete()


class PasswordRecheckFailure(models.Model):
    """A wrong password typed by someone already signed in as `user` (deleting the account,
    changing the password). Counted per person over the lockout's cool-off time, so a stolen
    session can't be used to guess the password; pruned by `prune_auth_records`."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["user", "created_at"], name="accounts_recheck_user_at")]

    def __str__(self) -> str:
        return f"wrong password for user {self.user_id} at {self.created_at:%Y-%m-%d %H:%M}"
