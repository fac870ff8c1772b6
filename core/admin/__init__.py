"""Generic admin pieces any app may use, each in a module of its own: read-only screens
(readonly), list actions as buttons on an object's page (object_actions), a guard that refuses
a delete protected rows stand in the way of (deletion), rows a rule locks for good (locking),
texts written in every language (translated) and the page that lists the missing ones
(translations_page), and the admin site that declares that page (site).

It registers no model and imports no app. The names are gathered here so `from core.admin
import TranslatedAdmin` reads as it always did.
"""

from .deletion import DeletionGuardMixin, protected_counts, protected_message
from .locking import LockedParentInlineMixin, LockedRowsMixin
from .object_actions import ObjectActionsMixin
from .readonly import ReadOnlyInline, SuperuserReadOnlyAdmin
from .translated import (
    TranslatedAdmin,
    TranslatedFieldsMixin,
    TranslatedTabularInline,
    TranslationStatusFilter,
    in_default_language,
    in_every_language,
    language_names,
    still_open_message,
    untranslated,
    untranslated_pks,
)
from .translations_page import (
    MissingModel,
    MissingRow,
    missing_translations_list,
    missing_translations_view,
)

__all__ = [
    "DeletionGuardMixin",
    "LockedParentInlineMixin",
    "LockedRowsMixin",
    "MissingModel",
    "MissingRow",
    "ObjectActionsMixin",
    "ReadOnlyInline",
    "SuperuserReadOnlyAdmin",
    "TranslatedAdmin",
    "TranslatedFieldsMixin",
    "TranslatedTabularInline",
    "TranslationStatusFilter",
    "in_default_language",
    "in_every_language",
    "language_names",
    "missing_translations_list",
    "missing_translations_view",
    "protected_counts",
    "protected_message",
    "still_open_message",
    "untranslated",
    "untranslated_pks",
]
