"""Rows a rule locks for good: read-only, never deleted, with their translations still open
when the model allows them."""

from collections.abc import Iterable

from django.contrib import messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect

from core.translations import translation_columns

from .deletion import DeletionGuardMixin
from .translated import still_open_message


class LockedRowsMixin(DeletionGuardMixin):
    """For a ModelAdmin whose rows a rule can lock for good (`row_is_locked`): a locked row
    opens read-only with `locked_message`, can't be deleted, and a save that finds it locked
    meanwhile (the model raises `lock_error`, a ValidationError) is rolled back and reported.

    With `translations_stay_open`, a locked row still takes its translations (the `*_es`
    columns), for a model whose lock allows them: everything else on its page is read-only.
    The admin then declares its `fields` or `fieldsets` (they say what else is shown)."""

    locked_message = "This row can no longer change."
    lock_error: type[ValidationError] = ValidationError
    translations_stay_open = False

    def row_is_locked(self, obj) -> bool:
        return False

    def writable_when_locked(self) -> set[str]:
        """The fields a locked row still takes: its translations, or nothing."""
        return translation_columns(self.model) if self.translations_stay_open else set()  # type: ignore[attr-defined]

    def has_change_permission(self, request, obj=None):
        locked = obj is not None and self.row_is_locked(obj) and not self.writable_when_locked()
        return super().has_change_permission(request, obj) and not locked

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if obj is None or not self.row_is_locked(obj) or not self.writable_when_locked():
            return readonly
        shown = flatten_fieldsets(self.get_fieldsets(request, obj))
        return _all_but(self.writable_when_locked(), readonly, shown)

    def get_prepopulated_fields(self, request, obj=None):
        if obj is not None and self.row_is_locked(obj):
            return {}
        return super().get_prepopulated_fields(request, obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and request.method == "GET" and self.row_is_locked(obj):
            message = self.locked_message
            if self.writable_when_locked():
                message = f"{message} {still_open_message()}"
            messages.warning(request, message)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except self.lock_error as error:
            # Locked while the editor was editing: the whole save was rolled back.
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(request.get_full_path())

    def deletion_blocker(self, obj) -> str | None:
        if self.row_is_locked(obj):
            return f"The {obj._meta.verbose_name} “{obj}” can't be deleted. {self.locked_message}"
        return None


class LockedParentInlineMixin:
    """For an inline: nothing to add, change or delete under a locked parent row
    (`parent_is_locked`). With `translations_stay_open`, its rows' translations can still be
    written there (the rest read-only), as on a locked row's own page."""

    translations_stay_open = False

    def parent_is_locked(self, obj) -> bool:
        return False

    def writable_when_locked(self) -> set[str]:
        return translation_columns(self.model) if self.translations_stay_open else set()  # type: ignore[attr-defined]

    def has_add_permission(self, request, obj=None):
        locked = obj is not None and self.parent_is_locked(obj)
        return super().has_add_permission(request, obj) and not locked

    def has_change_permission(self, request, obj=None):
        locked = obj is not None and self.parent_is_locked(obj) and not self.writable_when_locked()
        return super().has_change_permission(request, obj) and not locked

    def has_delete_permission(self, request, obj=None):
        locked = obj is not None and self.parent_is_locked(obj)
        return super().has_delete_permission(request, obj) and not locked

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if obj is None or not self.parent_is_locked(obj) or not self.writable_when_locked():
            return readonly
        shown = flatten_fieldsets(self.get_fieldsets(request, obj))
        return _all_but(self.writable_when_locked(), readonly, shown)

    def get_prepopulated_fields(self, request, obj=None):
        if obj is not None and self.parent_is_locked(obj):
            return {}
        return super().get_prepopulated_fields(request, obj)


def _all_but(writable: set[str], readonly: Iterable[str], shown: Iterable[str]) -> list[str]:
    """Every field shown read-only except the `writable` ones."""
    return list(dict.fromkeys([*readonly, *(name for name in shown if name not in writable)]))
