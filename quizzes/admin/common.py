"""What the quiz's screens share: a version or a row of one is read-only once answered (its
Spanish texts aside), a question's key says what keeping it does, and a version's address."""

from django.contrib import admin
from django.urls import reverse

from core.admin import (
    LockedParentInlineMixin,
    LockedRowsMixin,
    TranslatedAdmin,
    TranslatedTabularInline,
)

from ..admin_forms import frozen
from ..models import FROZEN_MESSAGE, FrozenVersionError


def version_url(version_id: int) -> str:
    return reverse("admin:quizzes_quizversion_change", args=[version_id])


class FrozenAdmin(LockedRowsMixin, admin.ModelAdmin):
    """For a version or a row of one: once answered it opens read-only, with a message that
    says to make a new draft, and it can't be deleted (even a choice nobody picked)."""

    locked_message = FROZEN_MESSAGE
    lock_error = FrozenVersionError

    def row_is_locked(self, obj):
        return frozen(obj)


class FrozenTranslatedAdmin(FrozenAdmin, TranslatedAdmin):
    """A question or choice: frozen like its version, except its Spanish texts, which may
    still be added and corrected (a translated question is the same question; the model's
    guard allows exactly that)."""

    translations_stay_open = True


class FrozenParentInline(LockedParentInlineMixin, TranslatedTabularInline):
    """An inline with nothing to add or delete under an answered version, and nothing to
    change but the rows' Spanish texts."""

    translations_stay_open = True

    def parent_is_locked(self, obj):
        return frozen(obj)


KEY_HELP = (
    "Kept when a version is copied, so people's answers to this question carry over when they "
    "re-score an old result. Give a reworded question a new key when its meaning changed: old "
    "answers then don't carry over, and people answer it again."
)


class QuestionKeyHelpMixin:
    """A question's key, wherever it is edited, says what keeping or changing it does."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "key" and field is not None:
            field.help_text = KEY_HELP
        return field
