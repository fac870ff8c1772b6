"""The instrument: quizzes, their versions, questions, choices and weights.

A version that has been answered is frozen: its questions, choices and weights never change,
so a saved result always shows what the person really answered. That rule lives here, once:
`is_frozen` is the predicate and FROZEN_MESSAGE the message, for the models' own guard, the
authoring services, the admin and the content loader alike. A version knows it was answered
from its own row (`first_answered_at`, stamped by the first submission under the row's lock),
so this app never looks at people's results (assessments/ sits above it).
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils import timezone

from core.translations import translated_fields, translation_columns
from roles.models import Role

MAX_WEIGHT = 10


FROZEN_MESSAGE = (
    "People have answered this quiz version, so it can no longer change: their results show "
    "these questions and weights. To make changes, use “New draft from this version”."
)


class FrozenVersionError(ValidationError):
    """Raised on an attempt to change a quiz version that people have answered."""

    def __init__(self, message=FROZEN_MESSAGE, *args, **kwargs):
        super().__init__(message, *args, **kwargs)


class QuizManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Quiz(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    objects = QuizManager()

    class Meta:
        verbose_name_plural = "quizzes"

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class QuizVersionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=QuizVersion.Status.PUBLISHED)

    def current(self):
        return self.filter(is_current=True)

    def get_by_natural_key(self, number, quiz_slug):
        return self.get(number=number, quiz__slug=quiz_slug)

    def mark_answered(self, version_id) -> None:
        """Record, inside the submission's transaction and before it reads the weights, that a
        version is being answered: one UPDATE, which stamps a version's first answer and
        holds its row lock until the submission commits. Every editor's write takes the same
        lock before checking `is_frozen`, so a version can't change while its first answer
        is saved, nor be answered half-way through a change. A stamped version stays frozen,
        so later submissions match no row and lock nothing."""
        self.filter(pk=version_id, first_answered_at__isnull=True).update(
            first_answered_at=timezone.now()
        )


class QuizVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    is_current = models.BooleanField(
        default=False, help_text="The version people take now. Exactly one per quiz."
    )
    notes = models.TextField(blank=True, help_text="What changed in this version, for editors.")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    first_answered_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the first result on this version was saved; from then on it never changes.",
    )

    objects = QuizVersionQuerySet.as_manager()

    class Meta:
        ordering = ["quiz", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "number"], name="unique_version_number"),
            models.UniqueConstraint(
                fields=["quiz"],
                condition=models.Q(is_current=True),
                name="one_current_version_per_quiz",
            ),
            models.CheckConstraint(
                condition=~models.Q(is_current=True) | models.Q(status="published"),
                name="current_version_is_published",
            ),
            # A version is published exactly when it has a publication date.
            models.CheckConstraint(
                condition=models.Q(status="published", published_at__isnull=False)
                | models.Q(status="draft", published_at__isnull=True),
                name="published_exactly_when_dated",
            ),
        ]

    def __str__(self):
        return f"{self.quiz} v{self.number} ({self.get_status_display().lower()})"

    def natural_key(self):
        return (self.number, *self.quiz.natural_key())

    natural_key.dependencies = ["quizzes.quiz"]  # type: ignore[attr-defined]  # serializers read it

    def _answered_lookup(self) -> dict | None:
        return {"pk": self.pk} if self.pk is not None else None


class FrozenGuardMixin:
    """Refuses to save or delete a row of a frozen version, whatever path the call comes from."""

    def _answered_lookup(self) -> dict | None:
        """The QuizVersion filter that finds this row's version; None if it has none yet."""
        raise NotImplementedError

    def save(self, *args, **kwargs):
        with transaction.atomic():
            if is_frozen(self, lock=True) and not self._changes_only_translations():
                raise FrozenVersionError()
            super().save(*args, **kwargs)

    def _changes_only_translations(self) -> bool:
        """Whether this save changes translations (the Spanish of a question) and nothing else:
        a translated question is still the same question, so those may be written to a
        version people have answered. The English texts, keys and weights may not."""
        model = type(self)
        assert issubclass(model, models.Model)
        free = translation_columns(model)
        if not free:
            return False
        mirrored = set(translated_fields(model))  # the active language's copy
        kept = [
            field.attname
            for field in self._meta.concrete_fields  # type: ignore[attr-defined]
            if field.name not in free and field.name not in mirrored
        ]
        pk = getattr(self, "pk", None)
        stored = model._base_manager.filter(pk=pk).values(*kept, *free).first()
        if stored is None:
            return False
        translated = any(stored[name] != getattr(self, name) for name in free)
        return translated and all(stored[name] == getattr(self, name) for name in kept)

    def delete(self, *args, **kwargs):
        # Even a choice nobody picked is part of what people answered. Checked before Django
        # collects anything, like PROTECT, so the surrounding transaction stays usable.
        with transaction.atomic():
            if is_frozen(self, lock=True):
                raise models.ProtectedError(f"“{self}”: {FROZEN_MESSAGE}", {self})
            return super().delete(*args, **kwargs)


class QuestionManager(models.Manager):
    def get_by_natural_key(self, key, number, quiz_slug):
        return self.get(key=key, version__number=number, version__quiz__slug=quiz_slug)


class Question(FrozenGuardMixin, models.Model):
    version = models.ForeignKey(QuizVersion, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(
        max_length=60, help_text="A stable name for the question, kept when a version is copied."
    )
    text = models.CharField(max_length=300)
    help_text = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_tie_breaker = models.BooleanField(
        default=False,
        help_text="Asked only after a close call, to settle it; not part of the quiz itself "
        "(not scored with it, not in its figures). Give tie-breakers weights for every role.",
    )

    objects = QuestionManager()

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="unique_question_key")
        ]

    def __str__(self):
        return self.text

    def natural_key(self):
        return (self.key, *self.version.natural_key())

    natural_key.dependencies = ["quizzes.quizversion"]  # type: ignore[attr-defined]  # serializers read it

    def _answered_lookup(self) -> dict | None:
        return {"pk": self.version_id} if self.version_id is not None else None


class ChoiceManager(models.Manager):
    def get_by_natural_key(self, key, question_key, number, quiz_slug):
        return self.get(
            key=key,
            question__key=question_key,
            question__version__number=number,
            question__version__quiz__slug=quiz_slug,
        )


class Choice(FrozenGuardMixin, models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    key = models.SlugField(max_length=60)
    text = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    objects = ChoiceManager()

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["question", "key"], name="unique_choice_key")
        ]

    def __str__(self):
        return self.text

    def natural_key(self):
        return (self.key, *self.question.natural_key())

    natural_key.dependencies = ["quizzes.question"]  # type: ignore[attr-defined]  # serializers read it

    def _answered_lookup(self) -> dict | None:
        return {"questions": self.question_id} if self.question_id is not None else None


class ChoiceWeightManager(models.Manager):
    def get_by_natural_key(self, role_slug, choice_key, question_key, number, quiz_slug):
        return self.get(
            role__slug=role_slug,
            choice__key=choice_key,
            choice__question__key=question_key,
            choice__question__version__number=number,
            choice__question__version__quiz__slug=quiz_slug,
        )


class ChoiceWeight(FrozenGuardMixin, models.Model):
    """How much picking a choice counts towards a role. Data, so new roles can be scored."""

    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, related_name="weights")
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="choice_weights")
    weight = models.PositiveSmallIntegerField(
        default=0, validators=[MinValueValidator(0), MaxValueValidator(MAX_WEIGHT)]
    )

    objects = ChoiceWeightManager()

    class Meta:
        ordering = ["role__order"]
        constraints = [
            models.UniqueConstraint(fields=["choice", "role"], name="unique_weight_per_role"),
            models.CheckConstraint(
                condition=models.Q(weight__lte=MAX_WEIGHT), name="weight_at_most_max"
            ),
        ]

    def __str__(self):
        return f"{self.role}: {self.weight}"

    def natural_key(self):
        return (*self.role.natural_key(), *self.choice.natural_key())

    natural_key.dependencies = ["quizzes.choice", "roles.role"]  # type: ignore[attr-defined]  # serializers read it

    def _answered_lookup(self) -> dict | None:
        if self.choice_id is None:
            return None
        return {"questions__choices": self.choice_id}


def is_frozen(obj: models.Model | None, *, lock: bool = False) -> bool:
    """The frozen rule: whether `obj` is a quiz version people have answered, or a question,
    choice or weight of one. Anything else (a role, a tool, None) is never frozen.

    Asks the database each time (one query), so a version answered a moment ago counts. With
    `lock` (inside a transaction, before a write) it also locks the version's row until the
    write commits, so no first answer can slip in between the check and the write.
    """
    if not isinstance(obj, (QuizVersion, FrozenGuardMixin)):
        return False
    where = obj._answered_lookup()
    if where is None:
        return False
    versions = QuizVersion.objects.filter(**where)
    if lock:
        versions = versions.select_for_update()
    answered = versions.values_list("first_answered_at", flat=True).first()
    return answered is not None
