from django.contrib.auth.models import AbstractUser
from django.db import models
from knox.models import AuthToken

# Staff who curate the catalog and the quiz in the admin. The group and its permissions are
# made by migration 0002_editors_group, which spells the name itself (migrations import no
# app code).
EDITORS_GROUP = "Editors"


class User(AbstractUser):
    """A person with an account. Custom from the first migration so it can grow."""

    email = models.EmailField(  # type: ignore[assignment]  # nullable, unlike AbstractUser's
        "e-mail address", unique=True, blank=True, null=True
    )

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
