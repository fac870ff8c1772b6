"""The page of missing translations: every row with an English text but none in another
language, per model, with a link to where it is edited. The admin site declares it
(core.admin.site)."""

from dataclasses import dataclass

from django.apps import apps
from django.contrib import admin
from django.db import models
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse

from core.translations import translated_fields

from .translated import TranslationStatusFilter, language_names, untranslated


@dataclass
class MissingRow:
    obj: models.Model
    url: str | None  # where it is edited: its own page, or its parent's (an inline)
    context: str  # what it belongs to (its first foreign key), "" if nothing
    fields: list[str]  # the verbose names of the fields that lack a translation


@dataclass
class MissingModel:
    opts: models.options.Options
    rows: list[MissingRow]
    total: int  # the model's rows
    changelist_url: str | None  # its list, filtered to the rows that lack a translation


def _editing_admin(site: admin.AdminSite, model: type[models.Model]):
    """(the admin whose page edits `model`'s rows, the foreign key to that page's row or None
    when the rows have pages of their own); (None, None) when no admin edits them."""
    if model in site._registry:
        return site._registry[model], None
    for parent, model_admin in site._registry.items():
        for inline in model_admin.inlines:
            if inline.model is model:
                fk = next(
                    field
                    for field in model._meta.fields
                    if field.many_to_one
                    and field.related_model is parent
                    and inline.fk_name in (None, field.name)
                )
                return model_admin, fk
    return None, None


def _may_change(request, model_admin, model: type[models.Model]) -> bool:
    opts = model._meta
    return model_admin.has_change_permission(request) and request.user.has_perm(
        f"{opts.app_label}.change_{opts.model_name}"
    )


def missing_translations_list(request, site: admin.AdminSite) -> list[MissingModel]:
    """Per translated model the editor may change, every row that lacks a translation, with
    where to edit it. One query per model."""
    listed = []
    for model in apps.get_models():
        if not translated_fields(model):
            continue
        model_admin, fk = _editing_admin(site, model)
        if model_admin is None or not _may_change(request, model_admin, model):
            continue
        info = f"admin:{model_admin.opts.app_label}_{model_admin.opts.model_name}"
        first_fk = next((field for field in model._meta.fields if field.many_to_one), None)
        rows = list(model._base_manager.select_related())
        missing = []
        for obj in rows:
            if not (lacking := untranslated(obj)):
                continue
            target = obj.pk if fk is None else getattr(obj, fk.attname)
            try:
                url = reverse(f"{info}_change", args=[target], current_app=site.name)
            except NoReverseMatch:
                url = None
            names = {name for names in lacking.values() for name in names}
            missing.append(
                MissingRow(
                    obj=obj,
                    url=url,
                    context=str(getattr(obj, first_fk.name)) if first_fk else "",
                    # In the order of the form.
                    fields=[str(f.verbose_name) for f in model._meta.fields if f.name in names],
                )
            )
        changelist_url = None
        if fk is None:
            changelist_url = reverse(f"{info}_changelist", current_app=site.name)
            changelist_url += f"?{TranslationStatusFilter.parameter_name}=missing"
        listed.append(MissingModel(model._meta, missing, len(rows), changelist_url))
    return listed


def missing_translations_view(request, site: admin.AdminSite):
    """The rows with an English text but none in another language, per model, with links."""
    listed = missing_translations_list(request, site)
    context = {
        **site.each_context(request),
        "title": f"Missing {language_names()} texts",
        "subtitle": None,
        "models": listed,
        "missing_count": sum(len(entry.rows) for entry in listed),
        "languages": language_names(),
    }
    request.current_app = site.name
    return TemplateResponse(request, "admin/translations.html", context)
