"""What a delete would run into: a guard that refuses a delete that protected rows stand in
the way of, saying how many rows and of what. It reads the relations from the models'
metadata, so it serves any app's models."""

from collections.abc import Iterable, Iterator

from django.db import models, transaction
from django.db.models import Q


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
