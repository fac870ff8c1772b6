"""Which fields of a model are written in every language (django-modeltranslation).

A translated field `text` has a column per language (`text_en`, `text_es`); `text` itself
mirrors the active language. The default language's column is the one of record: the others
are translations of it, which may be added or corrected later, even on rows that otherwise
never change (a question people have answered).
"""

from django.conf import settings
from django.db.models import Model
from modeltranslation.translator import NotRegistered, translator


def translated_fields(model: type[Model]) -> tuple[str, ...]:
    """The names of `model`'s fields that have a column per language; () if none."""
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return ()
    return tuple(options.all_fields)


def column(name: str, language: str) -> str:
    """The column that holds field `name` in `language`: `text`, "es" -> `text_es`."""
    return f"{name}_{language.replace('-', '_')}"


def other_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def every_language(obj: Model) -> dict[str, object]:
    """Each translated field of `obj` in every language, by column (`text_en`, `text_es`...):
    to copy a row with all its texts, whichever language is active."""
    return {
        column(name, code): getattr(obj, column(name, code))
        for name in translated_fields(type(obj))
        for code, _name in settings.LANGUAGES
    }


def translation_columns(model: type[Model]) -> set[str]:
    """The columns of the languages other than the default one: translations only."""
    return {column(name, code) for name in translated_fields(model) for code in other_languages()}


def missing_translations(obj: Model, language: str) -> list[str]:
    """The translated fields of `obj` with an English text but none in `language`."""
    return [
        name
        for name in translated_fields(type(obj))
        if getattr(obj, column(name, settings.LANGUAGE_CODE))
        and not getattr(obj, column(name, language))
    ]
