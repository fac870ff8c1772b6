"""Writing the content back to fixtures/, in the format load_content reads.

So curated content can be reviewed and versioned in git: Django's JSON serialization with
natural keys and no database ids, parents before children, in a fixed order (catalog order,
ties broken by natural key), indented by two spaces, non-ASCII kept as is, ending in a newline.
Exporting the same content twice gives the same bytes.
"""

import json
import os
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Model, Prefetch
from django.utils import translation

from core.translations import column, translated_fields
from quizzes.models import Choice, ChoiceWeight, Question, Quiz, QuizVersion
from roles.models import (
    AspectText,
    CareerAspect,
    FocusArea,
    FocusPoint,
    LabourSource,
    Occupation,
    Outlook,
    Role,
    RoleProxy,
    SalaryFigure,
    Tool,
    ToolCategory,
    WageDistribution,
)

CATALOG_FILE = "catalog.json"
LABOUR_FILE = "labour.json"
QUIZ_FILE = "quiz.json"


@dataclass
class ExportedFile:
    path: Path
    rows: int


def catalog_objects() -> list[Model]:
    """Every catalog row, models in dependency order, each model in its catalog order."""
    return [
        *Role.objects.order_by("order", "name"),
        *ToolCategory.objects.order_by("order", "name"),
        *CareerAspect.objects.order_by("order", "name"),
        *FocusArea.objects.select_related("role").order_by(
            "role__order", "role__name", "order", "title", "slug"
        ),
        *FocusPoint.objects.select_related("focus_area__role").order_by(
            "focus_area__role__order",
            "focus_area__role__name",
            "focus_area__order",
            "focus_area__title",
            "focus_area__slug",
            "order",
            "title",
        ),
        *Tool.objects.select_related("category")
        .prefetch_related(
            Prefetch("roles", queryset=Role.objects.order_by("order", "name")),
            Prefetch("prerequisites", queryset=Tool.objects.order_by("order", "name")),
        )
        .order_by("order", "name"),
        *SalaryFigure.objects.select_related("role").order_by(
            "role__order", "role__name", "-as_of", "source_name"
        ),
        *AspectText.objects.select_related("aspect", "role").order_by(
            "aspect__order", "aspect__name", "role__order", "role__name"
        ),
    ]


def labour_objects() -> list[Model]:
    """The federal labour-market figures (roles.labour): sources, occupations, the roles'
    proxy occupations, wages and outlooks, each in a fixed order."""
    source_order = (
        "source__kind",
        "source__dataset",
        "source__reference_period",
        "source__page_url",
    )
    return [
        *LabourSource.objects.order_by("kind", "dataset", "reference_period", "page_url"),
        *Occupation.objects.order_by("code"),
        *RoleProxy.objects.select_related("role", "occupation").order_by(
            "role__order", "role__name", "order", "occupation__code"
        ),
        *WageDistribution.objects.select_related("occupation", "source").order_by(
            "occupation__code", *source_order
        ),
        *Outlook.objects.select_related("source")
        .prefetch_related(Prefetch("occupations", queryset=Occupation.objects.order_by("code")))
        .order_by("group_code", *source_order),
    ]


def quiz_objects() -> list[Model]:
    """Every quiz and every version (drafts too), each version followed by its questions, and
    each question by its choices and then their weights, as a reviewer reads them."""
    quizzes = list(Quiz.objects.order_by("slug"))
    quiz_by_id = {quiz.pk: quiz for quiz in quizzes}
    versions_of = defaultdict(list)
    for version in QuizVersion.objects.order_by("quiz_id", "number"):
        version.quiz = quiz_by_id[version.quiz_id]
        versions_of[version.quiz_id].append(version)
    version_by_id = {v.pk: v for versions in versions_of.values() for v in versions}

    questions_of = defaultdict(list)
    for question in Question.objects.order_by("order", "key"):
        question.version = version_by_id[question.version_id]
        questions_of[question.version_id].append(question)
    question_by_id = {q.pk: q for questions in questions_of.values() for q in questions}

    choices_of = defaultdict(list)
    for choice in Choice.objects.order_by("order", "key"):
        choice.question = question_by_id[choice.question_id]
        choices_of[choice.question_id].append(choice)
    choice_by_id = {c.pk: c for choices in choices_of.values() for c in choices}

    weights_of = defaultdict(list)
    for weight in ChoiceWeight.objects.select_related("role").order_by("role__order", "role__name"):
        weight.choice = choice_by_id[weight.choice_id]
        weights_of[weight.choice_id].append(weight)

    objects: list[Model] = []
    for quiz in quizzes:
        objects.append(quiz)
        for version in versions_of[quiz.pk]:
            objects.append(version)
            for question in questions_of[version.pk]:
                choices = choices_of[question.pk]
                objects.append(question)
                objects.extend(choices)
                for choice in choices:
                    objects.extend(weights_of[choice.pk])
    return objects


# Fields the site records as people use it, never written by editors: not content, so never
# exported (the loader keeps a row's own value of a field its fixture doesn't name).
RECORDED_BY_THE_SITE = {"first_answered_at"}


def _declared_order(model: type[Model]) -> list[str]:
    """The model's fields in the order it declares them; a translated field is written as its
    columns, one per language, in its place (its plain name only mirrors one of them)."""
    translated = set(translated_fields(model))
    fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
    names: list[str] = []
    for field in sorted(fields, key=lambda field: field.creation_counter):
        if getattr(field, "translated_field", None) is not None:
            continue  # a language's column: placed with the field it translates
        if field.name in RECORDED_BY_THE_SITE:
            continue
        if field.name in translated:
            names.extend(column(field.name, code) for code, _name in settings.LANGUAGES)
        else:
            names.append(field.name)
    return names


def fixture_text(objects: list[Model]) -> str:
    """The rows as load_content reads them: natural keys, no ids."""
    rows = serializers.serialize(
        "python", objects, use_natural_foreign_keys=True, use_natural_primary_keys=True
    )
    orders: dict[str, list[str]] = {}
    for row, obj in zip(rows, objects, strict=True):
        # The serializer puts many-to-many fields last; keep the models' own field order, as
        # the fixtures are written, so a field moves in the file only when the model changes.
        order = orders.setdefault(row["model"], _declared_order(type(obj)))
        row["fields"] = {name: row["fields"][name] for name in order if name in row["fields"]}
    return json.dumps(rows, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder) + "\n"


@contextmanager
def _one_snapshot() -> Iterator[None]:
    """Read both files from one snapshot, so an edit made meanwhile can't split them."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def _write(path: Path, text: str) -> None:
    """Replace the file in one step, so a failed export never leaves half a fixture."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def export_content(*, output_dir: Path | None = None) -> list[ExportedFile]:
    """Write catalog.json, labour.json and quiz.json into output_dir (by default fixtures/),
    in the order settings.CONTENT_FIXTURES loads them."""
    output_dir = Path(output_dir or settings.FIXTURE_DIRS[0])
    output_dir.mkdir(parents=True, exist_ok=True)
    # Natural keys (a category's name) are written in the default language, as loaded.
    with _one_snapshot(), translation.override(settings.LANGUAGE_CODE):
        contents = [
            (CATALOG_FILE, catalog_objects()),
            (LABOUR_FILE, labour_objects()),
            (QUIZ_FILE, quiz_objects()),
        ]
        texts = [(name, fixture_text(objects), len(objects)) for name, objects in contents]
    exported = []
    for name, text, count in texts:
        path = output_dir / name
        _write(path, text)
        exported.append(ExportedFile(path=path, rows=count))
    return exported
