"""Editors' screens for the quiz and its versions: a version's page edits its questions
inline and shows a grid of every choice's weight for every role, saved with the page (the one
place weights are edited; elsewhere they are shown, with a link to the grid). A version people
have answered opens read-only: editors make a new draft from it. Publishing, copying and
weights go through quizzes.authoring, and are logged in the admin's history like any other
change. People's results have their own admin, in assessments/.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count, OuterRef
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.module_loading import import_string

from core.admin import (
    ObjectActionsMixin,
    ReadOnlyInline,
    TranslatedAdmin,
    in_default_language,
    in_every_language,
)

from .. import authoring
from ..admin_forms import QuizVersionAdminForm
from ..models import Question, Quiz, QuizVersion
from .common import FrozenAdmin, FrozenParentInline, QuestionKeyHelpMixin, version_url
from .item_analysis import ItemAnalysisMixin


def version_figures(*, version_id: int):
    """The methodology figures of one version, or None for a draft. They are built from
    people's results, which live in an app above this one: it names its builder in
    settings.QUIZ_VERSION_FIGURES, so the instrument never imports it."""
    return import_string(settings.QUIZ_VERSION_FIGURES)(version_id=version_id)


# Quizzes ------------------------------------------------------------------------------------


class VersionListInline(ReadOnlyInline):
    model = QuizVersion
    fields = ("number", "status", "is_current", "published_at", "notes")
    show_change_link = True
    ordering = ("-number",)


@admin.register(Quiz)
class QuizAdmin(TranslatedAdmin):
    list_display = ("name", "slug", "current_version")
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": (in_default_language("name"),)}
    fields = (in_every_language("name"), "slug", in_every_language("description"))
    inlines = (VersionListInline,)

    def get_queryset(self, request):
        current = QuizVersion.objects.filter(quiz=OuterRef("pk"), is_current=True)
        return super().get_queryset(request).annotate(current_number=current.values("number")[:1])

    @admin.display(description="current version")
    def current_version(self, quiz) -> str:  # annotated by get_queryset
        return f"v{quiz.current_number}" if quiz.current_number else "none published"


# Versions and the weight grid ---------------------------------------------------------------


class QuestionInline(QuestionKeyHelpMixin, FrozenParentInline):
    model = Question
    fields = ("order", "key", "text", "help_text", "is_tie_breaker", "choices_link")
    readonly_fields = ("choices_link",)
    prepopulated_fields = {"key": (in_default_language("text"),)}
    ordering = ("order", "pk")
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(choice_count=Count("choices"))

    @admin.display(description="choices")
    def choices_link(self, question) -> str:  # annotated by get_queryset
        if question.pk is None:
            return "Save, then add its choices."
        count = question.choice_count
        return format_html(
            '<a href="{}">{} choice{} and their weights</a>',
            reverse("admin:quizzes_question_change", args=[question.pk]),
            count,
            "" if count == 1 else "s",
        )


@admin.register(QuizVersion)
class QuizVersionAdmin(ItemAnalysisMixin, ObjectActionsMixin, FrozenAdmin):
    form = QuizVersionAdminForm
    list_display = (
        "__str__",
        "number",
        "status",
        "is_current",
        "question_count",
        "is_answered",
        "published_at",
    )
    list_filter = ("quiz", "status", "is_current")
    list_select_related = ("quiz",)
    search_fields = ("quiz__name", "notes")
    actions = ("publish", "copy_as_draft")
    inlines = (QuestionInline,)
    fields = (
        "quiz",
        "number",
        "status",
        "is_current",
        "created_at",
        "published_at",
        "notes",
        "keys_kept",
        "how_received",
    )
    # Status changes through "publish" only; once saved, the quiz and number name the version.
    readonly_fields = (
        "status",
        "is_current",
        "created_at",
        "published_at",
        "keys_kept",
        "how_received",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(question_count=Count("questions"))

    @admin.display(description="questions", ordering="question_count")
    def question_count(self, version) -> int:  # annotated by get_queryset
        return version.question_count

    @admin.display(description="answered", boolean=True, ordering="first_answered_at")
    def is_answered(self, version) -> bool:
        return version.first_answered_at is not None

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is None else ("quiz", "number", *self.readonly_fields)

    @admin.display(description="question keys")
    def keys_kept(self, version) -> str:
        """How many questions keep their key from the version published before this one: their
        answers carry over when people re-score a result of it (quizzes.rescoring)."""
        if version is None or version.pk is None:
            return "Save the version: its questions are then compared with the version before."
        earlier = (
            QuizVersion.objects.published()
            .filter(quiz_id=version.quiz_id, number__lt=version.number)
            .order_by("-number")
            .first()
        )
        if earlier is None:
            return "The quiz's first published version: no earlier answers to carry over."
        keys = set(Question.objects.filter(version=version).values_list("key", flat=True))
        kept = keys & set(Question.objects.filter(version=earlier).values_list("key", flat=True))
        if len(keys) == 1:
            return (
                f"{len(kept)} of 1 question keeps its key from version {earlier.number} (its "
                "answers carry over when people re-score)."
            )
        return (
            f"{len(kept)} of {len(keys)} questions keep their key from version {earlier.number} "
            "(their answers carry over when people re-score)."
        )

    @admin.display(description="how people received it")
    def how_received(self, version) -> str:
        """The methodology page's figures for this version, under the same privacy rules."""
        if version is None or version.pk is None:
            return "Figures appear once the version is published and answered."
        return render_to_string(
            "admin/quizzes/quizversion/how_received.html",
            {"row": version_figures(version_id=version.pk)},
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["weight_grid"] = context["adminform"].form.weight_grid
            context["can_publish"] = self.has_change_permission(request)
            context["can_copy"] = self.has_add_permission(request)
            if obj.status == QuizVersion.Status.DRAFT:
                context["publish_problems"] = authoring.version_problems(version=obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The weight grid is not a model field: saved here, with the version and before its
        # questions' inlines, in the admin's transaction.
        grid = form.weight_grid
        if grid is not None and grid.has_changed():
            authoring.weights_update(version=obj, weights=grid.weights())

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        grid = getattr(form, "weight_grid", None)
        if grid is not None and grid.has_changed():
            message.append({"changed": {"fields": [grid.change_summary()]}})
        return message

    def deletion_blocker(self, version: QuizVersion):
        # An answered version is already held by its assessments, counted by the guard.
        if version.is_current:
            return f"“{version}” is the version people take now; publish another version first."
        return None

    # Publish and copy: list actions, and buttons on the version's page ----------------------

    object_actions = {"publish": "publish", "copy": "copy_as_draft"}

    @admin.action(description="Publish the selected version", permissions=["change"])
    def publish(self, request, queryset):
        versions = list(queryset[:2])
        if len(versions) != 1:
            self.message_user(request, "Select exactly one version to publish.", messages.ERROR)
            return
        version = versions[0]
        try:
            with transaction.atomic():
                previous = list(QuizVersion.objects.current().filter(quiz_id=version.quiz_id))
                published = authoring.version_publish(version=version)
                self.log_change(request, published, "Published: now the version people take.")
                for old in previous:
                    if old.pk != published.pk:
                        message = f"No longer current: version {published.number} published."
                        self.log_change(request, old, message)
        except authoring.CannotPublish as error:
            problems = format_html_join("", "<li>{}</li>", ((p,) for p in error.problems))
            message = format_html("“{}” can't be published yet:<ul>{}</ul>", version, problems)
            self.message_user(request, message, messages.ERROR)
            return
        message = f"“{published}” is published: people now take this version."
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description="New draft from this version", permissions=["add"])
    def copy_as_draft(self, request, queryset):
        drafts = []
        for version in queryset.order_by("quiz", "number"):
            with transaction.atomic():
                draft = authoring.version_copy_as_draft(version=version)
                number, new_number = version.number, draft.number
                self.log_addition(request, draft, f"New draft copied from version {number}.")
                self.log_change(request, version, f"Copied to the new draft, version {new_number}.")
            link = format_html('<a href="{}">{}</a>', version_url(draft.pk), draft)
            text = f"is a new draft copied from version {number}: edit it, then publish it."
            self.message_user(request, format_html("{} {}", link, text), messages.SUCCESS)
            drafts.append(draft)
        return HttpResponseRedirect(version_url(drafts[0].pk)) if len(drafts) == 1 else None
