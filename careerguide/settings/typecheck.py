"""Settings for mypy's Django plugin only: the test settings without django-modeltranslation.

modeltranslation swaps each translated model's managers for classes it builds at run time,
which the plugin can't name ("Could not resolve manager type"); without it the plugin sees
the managers as they are written. The per-language columns are reached through
core.translations, never by attribute, so nothing type-checked depends on them.
"""

from .test import *  # noqa: F403

INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "modeltranslation"]  # noqa: F405
