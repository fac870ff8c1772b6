"""Generic admin pieces any app may use: a read-only inline, list actions offered as buttons on
an object's page, a guard that refuses a delete that protected rows stand in the way of,
saying how many rows and of what, and the editing of texts written in every language (each
translated field in English and Spanish side by side, what is missing listed on one page).

It registers no model and imports no app: it reads the relations from the models' metadata
and the translated fields from django-modeltranslation's registry (core.translations).
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
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


class ReadOnlyInline(admin.TabularInline):
    """An inline that shows its `fields` and offers no way to add, change or delete a row."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SuperuserReadOnlyAdmin(admin.ModelAdmin):
    """Rows that only superusers see, and nobody adds, changes or deletes in the admin (people's
    own data, shown for investigating a problem)."""

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ObjectActionsMixin:
    """For a ModelAdmin: some of its list actions, also offered as buttons on an object's page.

    `object_actions` maps a URL segment to an action's name: a POST to <object id>/<segment>/
    (URL name "<app>_<model>_<segment>") runs the action on that one object, after the action's
    own permission checks, then goes back to the object's page unless the action answers with
    a response of its own. The change form's template draws the buttons.
    """

    object_actions: dict[str, str] = {}

    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                f"<path:object_id>/{segment}/",
                self.admin_site.admin_view(partial(self.object_action_view, action=action)),
                name=f"{info}_{segment}",
            )
            for segment, action in self.object_actions.items()
        ] + super().get_urls()

    def object_action_view(self, request, object_id, action):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        func, _, _ = self.get_action(action)
        for permission in getattr(func, "allowed_permissions", ()):
            if not getattr(self, f"has_{permission}_permission")(request):
                raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        response = func(self, request, self.get_queryset(request).filter(pk=obj.pk))
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        return response or HttpResponseRedirect(reverse(f"admin:{info}_change", args=[obj.pk]))


# What a delete would run into ----------------------------------------------------------------


def _reverse_relations(model: type[models.Model]):
    """The one-to-many and one-to-one relations that point at `model`, hidden ones included
    (a ForeignKey with related_name="+" protects just as well)."""
    return [
        field
        for field in model._meta.get_fields(include_hidden=True)
        if field.auto_created and not field.concrete and (field.one_to_many or field.one_to_one)
    ]


def _protecting(
    model: type[models.Model], doomed: models.QuerySet, trail: tuple = ()
) -> Iterator[tuple[type[models.Model], Q]]:
    """(model, condition) for the rows that protect `doomed` from deletion: rows with an
    on_delete=PROTECT key to them, or to the rows their deletion would cascade to.

    A cascade that comes back to a model already on the way (a tree of rows) is not followed.
    """
    trail = (*trail, model)
    relations = [
        (relation, Q(**{f"{relation.field.name}__in": doomed}))
        for relation in _reverse_relations(model)
    ]
    # Nearest first: the rows that point at `doomed` itself, then those behind its cascades.
    for relation, condition in relations:
        if relation.on_delete is models.PROTECT:
            yield relation.related_model, condition
    for relation, condition in relations:
        related = relation.related_model
        if relation.on_delete is models.CASCADE and related not in trail:
            yield from _protecting(related, related._base_manager.filter(condition), trail)


def protected_counts(model: type[models.Model], pks: Iterable) -> dict[type[models.Model], int]:
    """How many rows of each model stop the rows `pks` of `model` from being deleted.

    One count query per protecting model, whatever the number of rows; models with none are
    left out.
    """
    doomed = model._base_manager.filter(pk__in=list(pks))
    conditions: dict[type[models.Model], Q] = {}
    for related, condition in _protecting(model, doomed):
        conditions[related] = (
            conditions[related] | condition if related in conditions else condition
        )
    counts = {
        related: related._base_manager.filter(condition).count()
        for related, condition in conditions.items()
    }
    return {related: count for related, count in counts.items() if count}


def _counted(model: type[models.Model], count: int) -> str:
    opts = model._meta
    return f"{count} {opts.verbose_name if count == 1 else opts.verbose_name_plural}"


def protected_message(obj: models.Model, counts: dict[type[models.Model], int]) -> str:
    """E.g. "The role “Data engineer” can't be deleted: 1 assessment and 2 role scores refer
    to it." Counts, never the rows themselves, so a row used thousands of times reads short."""
    parts = [_counted(model, count) for model, count in counts.items()]
    listed = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
    verb = "refers" if len(parts) == 1 and sum(counts.values()) == 1 else "refer"
    return f"The {obj._meta.verbose_name} “{obj}” can't be deleted: {listed} {verb} to it."


class DeletionGuardMixin:
    """For a ModelAdmin: refuse a delete that rows kept by on_delete=PROTECT stand in the way
    of, directly or through the rows the delete would cascade to, and say what they are.

    Both the delete page and the "delete selected" action ask get_deleted_objects first, and
    show its `protected` list instead of deleting; the reasons go there, so the editor reads
    them (never a 500). Override `deletion_blocker` to add a reason of your own for one row.
    """

    def deletion_blocker(self, obj) -> str | None:
        """A reason, besides protected rows, why `obj` can't be deleted; None if there is none."""
        return None

    def deletion_blockers(self, objs) -> list[str]:
        """Why these rows can't be deleted: one line per row that can't, counts and reasons."""
        objs = list(objs)
        if not objs:
            return []
        model = type(objs[0])
        # Most deletes meet nothing: check the whole selection at once before row by row.
        anything = protected_counts(model, [obj.pk for obj in objs])
        blockers = []
        for obj in objs:
            if not anything or len(objs) == 1:
                counts = anything
            else:
                counts = protected_counts(model, [obj.pk])
            if counts:
                blockers.append(protected_message(obj, counts))
            if reason := self.deletion_blocker(obj):
                blockers.append(reason)
        return blockers

    def get_deleted_objects(self, objs, request):
        objs = list(objs)
        blockers = self.deletion_blockers(objs)
        if blockers:
            return [], {}, set(), blockers
        return super().get_deleted_objects(objs, request)

    def delete_queryset(self, request, queryset):
        # One by one, so each model's own delete() guard runs (QuerySet.delete() skips it).
        with transaction.atomic():
            for obj in queryset:
                obj.delete()


# Rows a rule locks for good ------------------------------------------------------------------


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


# Texts written in every language -------------------------------------------------------------
# Each translated field `x` has a column per language (`x_en`, `x_es`). Editors see them side
# by side; the English is required where the field always was, the others are optional (empty
# reads as the English). Which rows lack a translation is core.translations' rule, used here
# for the lists' filter and column and for the page that lists them all.


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


# The page of missing translations -------------------------------------------------------------


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


def translations_page_register(site: admin.AdminSite) -> None:
    """Adds the page of missing translations to `site`: <admin>/translations/, URL name
    "admin:translations" (the index links to it)."""
    site_urls = site.get_urls

    def get_urls():
        view = site.admin_view(partial(missing_translations_view, site=site))
        return [path("translations/", view, name="translations"), *site_urls()]

    site.get_urls = get_urls  # type: ignore[method-assign]


translations_page_register(admin.site)
