"""Texts written in every language, in the admin.

Each translated field `x` has a column per language (`x_en`, `x_es`). Editors see them side
by side; the English is required where the field always was, the others are optional (empty
reads as the English). Which rows lack a translation is core.translations' rule, used here
for the lists' filter and column and for the page that lists them all (translations_page).
The translated fields come from django-modeltranslation's registry (core.translations).
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.db import models
from django.utils.translation import get_language_info
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from modeltranslation.translator import NotRegistered, TranslationOptions

from core.translations import (
    column,
    missing_translations,
    other_languages,
    translated_fields,
    translation_columns,
)


def language_names() -> str:
    """The languages other than the default one, by their English names: "Spanish"."""
    return ", ".join(str(get_language_info(code)["name"]) for code in other_languages())


def still_open_message() -> str:
    return f"Its {language_names()} texts can still be added and corrected."


def in_every_language(name: str) -> tuple[str, ...]:
    """The columns of translated field `name`, one per language, for one line of a form (side
    by side): "name" -> ("name_en", "name_es")."""
    return tuple(column(name, code) for code, _name in settings.LANGUAGES)


def in_default_language(name: str) -> str:
    """The column of record of translated field `name`: "text" -> "text_en"."""
    return column(name, settings.LANGUAGE_CODE)


def untranslated(obj: models.Model) -> dict[str, list[str]]:
    """{language: the fields with an English text but none in it}, for the languages that lack
    something; {} when every translation is there."""
    missing = {code: missing_translations(obj, code) for code in other_languages()}
    return {code: names for code, names in missing.items() if names}


def untranslated_pks(model: type[models.Model]) -> list:
    """The ids of `model`'s rows that lack a translation (one query, the text columns only)."""
    names = translated_fields(model)
    columns = {column(name, code) for name in names for code, _name in settings.LANGUAGES}
    rows = model._base_manager.only(*columns)
    return [row.pk for row in rows if untranslated(row)]


class TranslationStatusFilter(admin.SimpleListFilter):
    """The rows that lack a translation, or those that have every one."""

    title = f"{language_names()} text"
    parameter_name = "translation"
    MISSING, COMPLETE = "missing", "complete"

    def lookups(self, request, model_admin):
        return [(self.MISSING, "missing"), (self.COMPLETE, "complete")]

    def queryset(self, request, queryset):
        if self.value() == self.MISSING:
            return queryset.filter(pk__in=untranslated_pks(queryset.model))
        if self.value() == self.COMPLETE:
            return queryset.exclude(pk__in=untranslated_pks(queryset.model))
        return queryset


class TranslatedFieldsMixin:
    """For an admin or inline mixed with modeltranslation's: a translation left empty is
    stored as NULL, not "", so unique translated fields (two roles both without a Spanish
    name) don't collide, and an empty one reads as the English."""

    def __init__(self, *args, **kwargs):
        try:
            super().__init__(*args, **kwargs)
        except NotRegistered:
            # Without django-modeltranslation (the type checker's settings leave it out) the
            # model has no translated fields, like core.translations says: a plain admin.
            self.trans_opts = TranslationOptions(self.model)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(field, forms.CharField) and db_field.name in translation_columns(
            db_field.model
        ):
            field.empty_value = None
        return field


class TranslatedAdmin(TranslatedFieldsMixin, TranslationAdmin):
    """A model with translated fields: each edited in every language side by side (the
    `fields` name `x`, or `in_every_language("x")` for one line), and its list says which
    rows lack a translation (a column and a filter)."""

    def get_list_display(self, request):
        return [*super().get_list_display(request), "translation_status"]

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), TranslationStatusFilter]

    @admin.display(description=f"{language_names()} text", boolean=True)
    def translation_status(self, obj) -> bool:
        return not untranslated(obj)


class TranslatedTabularInline(TranslatedFieldsMixin, TranslationTabularInline):
    """An inline of a model with translated fields: a column per language, side by side."""
