"""Editors' screens for questions and choices: their texts, with each choice's weights shown
(they are edited in the version's grid, quizzes.admin.versions)."""

from django.contrib import admin
from django.db.models import Count, Prefetch
from django.utils.html import format_html

from core.admin import in_default_language, in_every_language

from ..admin_forms import QuestionAdminForm
from ..models import Choice, ChoiceWeight, Question
from .common import FrozenParentInline, FrozenTranslatedAdmin, QuestionKeyHelpMixin, version_url


@admin.display(description="weights")
def weights_summary(choice: Choice) -> str:
    """E.g. "Data engineer 3 · MLOps engineer 0", with a link to the version's weight grid."""
    if choice.pk is None:
        return "Save, then set its weights in the version's grid."
    weights = " · ".join(f"{w.role.name} {w.weight}" for w in choice.weights.all()) or "none yet"
    url = version_url(choice.question.version_id) + "#weight-grid"
    return format_html('{} (<a href="{}">edit in the version\'s grid</a>)', weights, url)


WEIGHTS_WITH_ROLES = Prefetch("weights", queryset=ChoiceWeight.objects.select_related("role"))


class ChoiceInline(FrozenParentInline):
    """A question's choices, with their weights shown read-only."""

    model = Choice
    fields = ("order", "key", "text", "weights")
    readonly_fields = ("weights",)
    prepopulated_fields = {"key": (in_default_language("text"),)}
    ordering = ("order", "pk")
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("question")
        return queryset.prefetch_related(WEIGHTS_WITH_ROLES)

    weights = staticmethod(weights_summary)


@admin.register(Question)
class QuestionAdmin(QuestionKeyHelpMixin, FrozenTranslatedAdmin):
    form = QuestionAdminForm
    list_display = ("text", "key", "version", "order", "choice_count")
    list_filter = ("version__quiz", "version")
    list_select_related = ("version__quiz",)
    search_fields = ("text", "key", "help_text")
    ordering = ("version__quiz", "-version__number", "order", "pk")
    fields = (
        "version",
        "order",
        "key",
        in_every_language("text"),
        in_every_language("help_text"),
        "is_tie_breaker",
    )
    prepopulated_fields = {"key": (in_default_language("text"),)}
    inlines = (ChoiceInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(choice_count=Count("choices"))

    @admin.display(description="choices", ordering="choice_count")
    def choice_count(self, question) -> int:  # annotated by get_queryset
        return question.choice_count

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return readonly if obj is None else list(dict.fromkeys(["version", *readonly]))

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None else self.prepopulated_fields


@admin.register(Choice)
class ChoiceAdmin(FrozenTranslatedAdmin):
    list_display = ("text", "question", "version", "order")
    list_filter = ("question__version",)
    list_select_related = ("question__version__quiz",)
    search_fields = ("text", "key", "question__text")
    ordering = ("question__version__quiz", "-question__version__number", "question__order", "order")
    fields = ("question", "order", "key", in_every_language("text"), "weights")
    readonly_fields = ("question", "weights")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(WEIGHTS_WITH_ROLES)

    def has_add_permission(self, request):
        # Choices are added on their question's page, where the question is known.
        return False

    @admin.display(description="version")
    def version(self, choice: Choice):
        return choice.question.version

    weights = staticmethod(weights_summary)
