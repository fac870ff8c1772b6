"""Loading the seed content from fixtures/ without trampling on editors' work.

Each fixture row is compared three ways: the fixture as it is now, the row as it is in the
database, and the hash of what we loaded last time (LoadedRow). A row equal to the fixture is
left alone; a row that still holds what we loaded is updated to a newer fixture; a row that
differs from both was changed by an editor and is kept, unless `force` is set.
"""

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.serializers.base import DeserializationError, DeserializedObject
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import translation

from core.translations import translated_fields, translation_columns
from quizzes.models import QuizVersion, is_frozen
from roles.prerequisites import prerequisite_cycle

from .models import LoadedRow


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_edits: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _canonical(value):
    """A comparable form of serialized field values: many-to-many lists sort, so order is moot."""
    if isinstance(value, list):
        items = [_canonical(item) for item in value]
        if items and all(isinstance(item, list) for item in items):
            return sorted(items)
        return items
    return value


def fields_hash(fields: dict) -> str:
    canonical = {name: _canonical(value) for name, value in fields.items()}
    text = json.dumps(canonical, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _current_fields(instance, names) -> dict:
    """The row as it is in the database, serialized the way fixtures are, limited to `names`."""
    text = serializers.serialize(
        "json", [instance], use_natural_foreign_keys=True, use_natural_primary_keys=True
    )
    fields = json.loads(text)[0]["fields"]
    return {name: fields.get(name) for name in names}


def content_fixture_paths() -> list[Path]:
    fixture_dir = Path(settings.FIXTURE_DIRS[0])
    return [fixture_dir / name for name in settings.CONTENT_FIXTURES]


def _only_translations_differ(model, fixture_fields: dict, current_fields: dict) -> bool:
    """Whether the fixture changes only a row's translations (its Spanish), which may be
    written even to a quiz version people have answered."""
    changed = {
        name
        for name, value in fixture_fields.items()
        if _canonical(value) != _canonical(current_fields.get(name))
    }
    return bool(changed) and changed <= translation_columns(model)


def _make_room_for_current(instance) -> None:
    """A quiz version the fixtures make current takes over from the quiz's current one, as
    publishing does (one current version per quiz): the old one stays published, and may be
    frozen (being current is not part of what people answered)."""
    if isinstance(instance, QuizVersion) and instance.is_current:
        QuizVersion.objects.filter(quiz_id=instance.quiz_id, is_current=True).exclude(
            pk=instance.pk
        ).update(is_current=False)


def _locked(instance) -> bool:
    """Rows that belong to an answered quiz version are frozen: history must not change."""
    return is_frozen(instance)


class ContentError(Exception):
    """A content fixture holds something that is not content, or a row that is not valid."""


def _content_models() -> set[str]:
    return {label.lower() for label in settings.CATALOG_MODELS}


@transaction.atomic
@translation.override(settings.LANGUAGE_CODE)
def load_content(*, paths: list[Path] | None = None, force: bool = False) -> LoadReport:
    """Load the content fixtures; idempotent, and keeps rows an editor changed unless `force`.

    Only content models (settings.CATALOG_MODELS) may appear, every row is validated as a
    form would validate it, and the tools' prerequisites must not go round in a circle;
    otherwise ContentError, and nothing at all is loaded. A row may refer to one later in the
    files (a tool's prerequisite listed after it): such references are set once every row is in.
    """
    report = LoadReport()
    # Saved rows with references to rows later in the files, set once every row is in.
    waiting: list[tuple[Path, DeserializedObject]] = []
    for path in paths or content_fixture_paths():
        raw_rows = json.loads(Path(path).read_text(encoding="utf-8"))
        strangers = sorted({str(row.get("model")) for row in raw_rows} - _content_models())
        if strangers:
            raise ContentError(f"{path} holds rows that are not content: {', '.join(strangers)}.")
        deserialized = serializers.deserialize(
            "json", json.dumps(raw_rows), handle_forward_references=True
        )
        try:
            for raw, item in zip(raw_rows, deserialized, strict=True):
                if _load_row(raw, item, force=force, report=report) and item.deferred_fields:
                    waiting.append((Path(path), item))
        except (DeserializationError, IntegrityError) as error:
            raise ContentError(f"{path} can't be loaded: {error}") from None
    for path, item in waiting:
        try:
            item.save_deferred_fields()
        except (DeserializationError, IntegrityError) as error:
            raise ContentError(f"{path} can't be loaded: {error}") from None
    if cycle := prerequisite_cycle():
        raise ContentError(
            "The tools' prerequisites would go round in a circle, so no learning plan could "
            f"put them in order: {' -> '.join(cycle)}."
        )
    return report


def _keep_unnamed_fields(instance, existing, fixture_fields: dict) -> None:
    """A field the fixture doesn't name keeps the value the row has (a quiz version's
    `first_answered_at`, say, which the site records and the fixtures never hold)."""
    mirrored = set(translated_fields(type(instance)))  # written through their columns
    for column in instance._meta.concrete_fields:
        named = column.name in fixture_fields or column.name in mirrored
        if column.primary_key or named or getattr(column, "translated_field", None) is not None:
            continue
        setattr(instance, column.attname, getattr(existing, column.attname))


def _load_row(raw: dict, item, *, force: bool, report: LoadReport) -> bool:
    """Load one row as the module's docstring says; True if it was saved."""
    instance = item.object
    model = type(instance)
    label = model._meta.label_lower
    fixture_fields = raw["fields"]
    fixture_hash = fields_hash(fixture_fields)
    existing = model._default_manager.filter(pk=instance.pk).first() if instance.pk else None
    key = json.dumps(existing.natural_key() if existing else instance.natural_key())
    name = f"{label} {key}"
    try:
        # Uniqueness is the database's to enforce (an existing row is updated in place).
        instance.full_clean(
            # Deferred fields (keyed by field) are set later, once the rows they name exist.
            exclude=[deferred.name for deferred in item.deferred_fields or ()],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        raise ContentError(f"{name} is not valid: {'; '.join(error.messages)}") from None
    record = LoadedRow.objects.filter(model_label=label, natural_key=key).first()

    if existing is None:
        if _locked(instance):
            raise ContentError(
                f"{name} would add to a quiz version people have answered, which never "
                "changes; put it in a new version."
            )
        _make_room_for_current(instance)
        item.save()
        report.created.append(name)
        saved = True
    else:
        current_fields = _current_fields(existing, fixture_fields)
        current_hash = fields_hash(current_fields)
        saved = current_hash != fixture_hash
        if not saved:
            report.unchanged.append(name)
        elif _locked(existing) and not _only_translations_differ(
            model, fixture_fields, current_fields
        ):
            report.skipped.append(name)
            return False
        elif force or (record is not None and record.fixture_hash == current_hash):
            _keep_unnamed_fields(instance, existing, fixture_fields)
            _make_room_for_current(instance)
            item.save()
            report.updated.append(name)
        else:
            report.kept_edits.append(name)
            return False
    if record is None:
        LoadedRow.objects.create(model_label=label, natural_key=key, fixture_hash=fixture_hash)
    elif record.fixture_hash != fixture_hash:
        record.fixture_hash = fixture_hash
        record.save(update_fields=["fixture_hash", "loaded_at"])
    return saved
