"""What people make with the quiz: their results (with the role scores, answers and tools to
learn first that were shown), unfinished attempts, feedback, the counts behind the figures,
and share links.

The tables keep the names they had in the quizzes app (`db_table`), where these models lived
until the instrument and people's data were split (migration assessments.0001).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from quizzes.models import Choice, Question, QuizVersion
from roles.models import Role, Tool

from . import following, peers


class AssessmentQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(user=user) if user.is_authenticated else self.none()

    def counted(self):
        """The results that count among everyone's: each person's latest kept result per
        quiz version (the latest created; of two created at once, the greater id), so
        everyone's figures count people, not results. The rule's one home."""
        later = Assessment.objects.filter(
            user_id=models.OuterRef("user_id"), version_id=models.OuterRef("version_id")
        ).filter(
            models.Q(created_at__gt=models.OuterRef("created_at"))
            | models.Q(created_at=models.OuterRef("created_at"), pk__gt=models.OuterRef("pk"))
        )
        return self.filter(user__isnull=False).exclude(models.Exists(later))


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

    settled_at_question = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="The question (in the order asked) after which no answers to the rest could "
        "have changed the top role; empty on results saved before it was recorded.",
    )

    # A close call settled by the version's tie-breakers (services/tie_breakers.py): the scores
    # above are then the reading with them, and `first_reading` keeps the quiz's own.
    settled_by_tie_breakers = models.BooleanField(default=False)
    tie_breaker_client_id = models.UUIDField(
        null=True,
        blank=True,
        unique=True,
        help_text="Sent with the tie-breakers' answers, so a replayed answer is recognised.",
    )
    first_reading = models.JSONField(
        null=True,
        blank=True,
        help_text="Before the tie-breakers: top_role, margin, settled_at_question and scores "
        "(role, percent), best first.",
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        db_table = "quizzes_assessment"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="assessment_user_recent")]

    def __str__(self):
        return f"{self.top_role} ({self.created_at:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("assessments:result", args=[self.pk])


class RoleScore(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField()
    percent = models.PositiveSmallIntegerField()
    points = models.PositiveIntegerField()
    max_points = models.PositiveIntegerField()

    class Meta:
        db_table = "quizzes_rolescore"
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
        db_table = "quizzes_answer"
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
        db_table = "quizzes_recommendedtool"
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
        db_table = "quizzes_assessmentprogress"
        verbose_name_plural = "assessment progress"

    def __str__(self):
        return f"{self.user}: {len(self.answers)} answers"


class PeerCount(models.Model):
    """One kept count of the people of a quiz version, each counted by their latest kept
    result on it (Assessment.objects.counted(); see peers.py for what is counted), changed in
    the same transaction as each result that is kept or deleted, so a result page reads a
    handful of rows instead of scanning everyone's results."""

    version = models.ForeignKey(QuizVersion, on_delete=models.CASCADE, related_name="peer_counts")
    kind = models.CharField(max_length=10, choices=[(kind, kind) for kind in peers.KINDS])
    key = models.CharField(max_length=100, blank=True)
    count = models.IntegerField(default=0)

    class Meta:
        db_table = "quizzes_peercount"
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
        db_table = "quizzes_resultfeedback"
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
        db_table = "quizzes_sharelink"
        ordering = ["-created_at", "pk"]
        indexes = [models.Index(fields=["assessment", "revoked_at"], name="share_live_per_result")]

    def __str__(self):
        return f"{self.token[:6]}… for {self.assessment_id}"

    def get_absolute_url(self):
        return reverse("assessments:shared", args=[self.token])


class FollowUp(models.Model):
    """A person's consent, given on one of their kept results, to be asked by e-mail some
    months later which path they took, and their answer (following.py has the rules). The
    wording they agreed to is kept by its version, with the time. No e-mail address is kept
    here: the mail goes to the account's confirmed address of the day, and the row goes with
    the account or the result."""

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="follow_up"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follow_ups"
    )
    consented_at = models.DateTimeField()
    wording_version = models.PositiveSmallIntegerField()
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    due_at = models.DateTimeField(db_index=True)
    asked_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.CharField(
        max_length=100, blank=True, help_text="A role's slug, or “neither”; empty until answered."
    )
    # Whether the answer was the role the result put first, fixed when answered (an editor
    # may rename or remove a role later).
    chose_top_role = models.BooleanField(null=True, blank=True)
    happiness = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="1 (not happy at all) to 5 (very happy); optional."
    )
    comment = models.TextField(blank=True, max_length=following.COMMENT_MAX)

    class Meta:
        db_table = "assessments_followup"
        constraints = [
            # One follow-up per person at a time (services.follow_up moves it before asking).
            models.UniqueConstraint(fields=["user"], name="one_follow_up_per_person"),
            models.CheckConstraint(
                condition=Q(happiness__isnull=True)
                | (
                    Q(happiness__gte=following.HAPPINESS_MIN)
                    & Q(happiness__lte=following.HAPPINESS_MAX)
                ),
                name="follow_up_happiness_in_range",
            ),
        ]

    def __str__(self):
        return f"follow-up of {self.assessment_id}"

    def state(self) -> following.State:
        return following.State(
            due_at=self.due_at,
            asked_at=self.asked_at,
            reminded_at=self.reminded_at,
            answered_at=self.answered_at,
            unsubscribed_at=self.unsubscribed_at,
        )
