"""Quizzes with versions, and the assessments people take.

A version that has been answered is frozen: its questions, choices and weights never change,
so a saved result always shows what the person really answered. That rule lives here, once:
`is_frozen` is the predicate and FROZEN_MESSAGE the message, for the models' own guard, the
authoring services, the admin and the content loader alike. Rows an assessment uses are
protected from deletion rather than cascaded.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from core.translations import translated_fields, translation_columns
from roles.models import Role, Tool

from . import peers

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
        return {"version": self.pk} if self.pk is not None else None


class FrozenGuardMixin:
    """Refuses to save or delete a row of a frozen version, whatever path the call comes from."""

    def _answered_lookup(self) -> dict | None:
        """The Assessment filter that finds answers of this row's version; None if it has none."""
        raise NotImplementedError

    def save(self, *args, **kwargs):
        if is_frozen(self) and not self._changes_only_translations():
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
        if is_frozen(self):
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
        return {"version": self.version_id} if self.version_id is not None else None


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
        return {"version__questions": self.question_id} if self.question_id is not None else None


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
        return {"version__questions__choices": self.choice_id}


def is_frozen(obj: models.Model | None) -> bool:
    """The frozen rule: whether `obj` is a quiz version people have answered, or a question,
    choice or weight of one. Anything else (a role, a tool, None) is never frozen.

    Asks the database each time (one query), so a version answered a moment ago counts.
    """
    if not isinstance(obj, (QuizVersion, FrozenGuardMixin)):
        return False
    where = obj._answered_lookup()
    return where is not None and Assessment.objects.filter(**where).exists()


class AssessmentQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(user=user) if user.is_authenticated else self.none()


class Assessment(models.Model):
    """One completed assessment, frozen as it was scored."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assessments",
        help_text="Empty while the person who took it has not signed up or logged in.",
    )
    version = models.ForeignKey(QuizVersion, on_delete=models.PROTECT, related_name="assessments")
    client_id = models.UUIDField(
        unique=True, help_text="Sent with the answers, so a replayed submission is recognised."
    )
    top_role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="+")
    margin = models.PositiveSmallIntegerField(help_text="Percentage points between the first two.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # An old result read again under a newer version is saved as a new result that points back
    # to it; the old one stays as it was.
    rescored_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="rescores"
    )
    # The language the questions were shown in. The questions and weights are the same in
    # every language; this is kept so the methodology figures can be split by language.
    language = models.CharField(
        max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="assessment_user_recent")]

    def __str__(self):
        return f"{self.top_role} ({self.created_at:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("quizzes:result", args=[self.pk])


class RoleScore(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField()
    percent = models.PositiveSmallIntegerField()
    points = models.PositiveIntegerField()
    max_points = models.PositiveIntegerField()

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "role"], name="unique_score_per_role")
        ]

    def __str__(self):
        return f"{self.role}: {self.percent}%"


class Answer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    choice = models.ForeignKey(Choice, on_delete=models.PROTECT, related_name="+")
    reason_rank = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="1 to 3 for the answers that counted most."
    )

    class Meta:
        ordering = ["question__order", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="unique_answer")
        ]

    def __str__(self):
        return f"{self.question}: {self.choice}"


class RecommendedTool(models.Model):
    """A tool the result told the person to learn first, kept as it was shown."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="recommended_tools"
    )
    tool = models.ForeignKey(Tool, on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "tool"], name="unique_recommended_tool")
        ]

    def __str__(self):
        return f"{self.rank}. {self.tool}"


class AssessmentProgress(models.Model):
    """A logged-in person's unfinished answers, so they can leave and resume later."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessment_progress"
    )
    version = models.ForeignKey(QuizVersion, on_delete=models.CASCADE, related_name="+")
    client_id = models.UUIDField(default=uuid.uuid4)
    answers = models.JSONField(default=dict, help_text="Question id to choice id.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "assessment progress"

    def __str__(self):
        return f"{self.user}: {len(self.answers)} answers"


class PeerCount(models.Model):
    """One kept count of the results of a quiz version (see peers.py for what is counted),
    changed in the same transaction as each result that is kept or deleted, so a result page
    reads a handful of rows instead of scanning everyone's results."""

    version = models.ForeignKey(QuizVersion, on_delete=models.CASCADE, related_name="peer_counts")
    kind = models.CharField(max_length=10, choices=[(kind, kind) for kind in peers.KINDS])
    key = models.CharField(max_length=100, blank=True)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "kind", "key"], name="one_peer_count")
        ]

    def __str__(self):
        return f"v{self.version_id} {self.kind} {self.key}: {self.count}"


FEEDBACK_COMMENT_MAX = 500


class ResultFeedback(models.Model):
    """The owner's answer to "does this feel right?" on one of their results. Private: the
    comment is never shown to anyone else; only the yes/no counts go into the figures."""

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="feedback")
    feels_right = models.BooleanField()
    comment = models.TextField(blank=True, max_length=FEEDBACK_COMMENT_MAX)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "result feedback"

    def __str__(self):
        return f"{self.assessment_id}: {'yes' if self.feels_right else 'not really'}"


SHARE_LINKS_LIVE_MAX = 10


class ShareLinkQuerySet(models.QuerySet["ShareLink"]):
    def live(self):
        return self.filter(revoked_at__isnull=True)


class ShareLink(models.Model):
    """A private link to one result (/s/<token>/): it shows only the fit per role, the lean in
    words, the quiz version and the date (and the owner's name if they chose so). Anyone with
    the token sees it until the owner revokes it; revoked links are kept so the token can't
    come back, and answer 404 like any unknown token."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="share_links")
    token = models.CharField(max_length=64, unique=True, editable=False)
    show_name = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "pk"]
        indexes = [models.Index(fields=["assessment", "revoked_at"], name="share_live_per_result")]

    def __str__(self):
        return f"{self.token[:6]}… for {self.assessment_id}"

    def get_absolute_url(self):
        return reverse("quizzes:shared", args=[self.token])
