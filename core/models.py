"""The one table of core's own: the version tokens of what is shared by everyone (the
catalog, everyone's counted results). core.caching reads and bumps them; no app imports it
for anything else. A person's history token is a column of their user row instead, read with
it (core.caching.versions)."""

import uuid

from django.db import models


def new_token() -> str:
    """A fresh version token: random, so no two states of anything ever share one."""
    return uuid.uuid4().hex


class CacheVersion(models.Model):
    """The token of one shared thing (`name`: "catalog" or "peers"). It changes by an UPDATE
    in the same transaction as the change it stands for, so no cache outage can lose it."""

    name = models.CharField(max_length=40, primary_key=True)
    token = models.CharField(max_length=32, default=new_token)

    def __str__(self) -> str:
        return f"{self.name}: {self.token}"
