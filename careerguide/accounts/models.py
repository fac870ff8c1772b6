from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A person with an account. Custom from the first migration so it can grow."""

    email = models.EmailField("e-mail address", unique=True, blank=True, null=True)

    def save(self, *args, **kwargs):
        # Blank e-mails are stored as NULL so the unique constraint allows many of them.
        if not self.email:
            self.email = None
        super().save(*args, **kwargs)
