"""Editors' screens for the quiz: versions, their questions, choices and per-role weights.

A version's page edits its questions inline and shows a grid of every choice's weight for every
role, saved with the page. A version people have answered opens read-only: editors make a new
draft from it. Publishing and copying go through quizzes.services, and are logged in the
admin's history like any other change. Assessments (people's results) are shown to superusers
only, read-only.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from roles.models import Role

from . import selectors, services
from .admin_helpers import (
    FROZEN_MESSAGE,
    DeletionGuardMixin,
    choice_deletion_blockers,
    is_frozen,
    question_deletion_blockers,
    version_deletion_blockers,
)
from .models import (
    MAX_WEIGHT,
    Answer,
    Assessment,
    Choice,
    ChoiceWeight,
    FrozenVersionError,
    Question,
    Quiz,
    QuizVersion,
    RecommendedTool,
    RoleScore,
)
from .services import weights_update

WEIGHT_WIDGET_ATTRS = {"class": "vIntegerField", "style": "width: 4em", "min": 0, "max": MAX_WEIGHT}


def _roles(request) -> list[Role]:
    """The roles, in catalog order, fetched once per request."""
    if not hasattr(request, "_quiz_admin_roles"):
        request._quiz_admin_roles = selectors.role_list_for_scoring()
    return request._quiz_admin_roles


def _weight_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        min_value=0,
        max_value=MAX_WEIGHT,
        widget=forms.NumberInput(attrs=WEIGHT_WIDGET_ATTRS),
        **kwargs,
    )


# Read-only while answered ------------------------------------------------------------------


class FrozenReadOnlyMixin:
    """For a ModelAdmin of a version or of a row of one: an answered version opens read-only,
    with a message that says to make a new draft."""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not is_frozen(obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and request.method == "GET" and is_frozen(obj):
            messages.warning(request, FROZEN_MESSAGE)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except FrozenVersionError as error:
            # Answered while the editor was editing: the whole save was rolled back.
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(request.get_full_path())


class FrozenParentInlineMixin:
    """For an inline: nothing to add, change or delete under an answered version."""

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not is_frozen(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not is_frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not is_frozen(obj)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Quizzes ------------------------------------------------------------------------------------


class VersionListInline(ReadOnlyInline):
    model = QuizVersion
    fields = ("number", "status", "is_current", "published_at", "notes")
    readonly_fields = fields
    show_change_link = True
    ordering = ("-number",)


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "current_version")
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (VersionListInline,)

    def get_queryset(self, request):
        current = QuizVersion.objects.filter(quiz=OuterRef("pk"), is_current=True)
        return super().get_queryset(request).annotate(current_number=current.values("number")[:1])

    @admin.display(description="current version")
    def current_version(self, quiz: Quiz):
        return f"v{quiz.current_number}" if quiz.current_number else "none published"


# Versions and the weight grid ---------------------------------------------------------------


class WeightGridForm(forms.Form):
    """Every choice of a version by every role: one whole-number weight per cell."""

    def __init__(self, *args, version: QuizVersion, roles: list[Role], disabled=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles = roles
        self.sections = []
        for question in selectors.question_list(version=version, with_weights=True):
            rows = []
            for choice in question.choices.all():
                current = {weight.role_id: weight.weight for weight in choice.weights.all()}
                names = []
                for role in roles:
                    name = f"{choice.pk}-{role.pk}"
                    self.fields[name] = _weight_field(
                        label=f"{choice.text} ({role.name})",
                        initial=current.get(role.pk, 0),
                        disabled=disabled,
                    )
                    names.append(name)
                rows.append((choice, names))
            self.sections.append((question, rows))

    def grid(self):
        """(question, [(choice, [bound field per role])]) in quiz order, for the template."""
        return [
            (question, [(choice, [self[name] for name in names]) for choice, names in rows])
            for question, rows in self.sections
        ]

    def weights(self) -> dict[tuple[int, int], int]:
        """(choice id, role id) -> weight, for every cell."""
        return {
            tuple(int(part) for part in name.split("-")): value
            for name, value in self.cleaned_data.items()
        }

    def change_summary(self, shown: int = 10) -> str:
        """The changed cells, for the admin's history: the first few by name, then a count."""
        labels = [self.fields[name].label for name in self.changed_data]
        summary = ", ".join(labels[:shown])
        if len(labels) > shown:
            summary += f" and {len(labels) - shown} more"
        return f"weights: {summary}"


class QuizVersionAdminForm(forms.ModelForm):
    """The version's own fields, plus its weight grid, validated and saved with them."""

    class Meta:
        model = QuizVersion
        fields = ["quiz", "number", "notes"]

    def __init__(self, *args, roles=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.weight_grid = None
        if self.instance.pk is not None and roles is not None:
            self.weight_grid = WeightGridForm(
                self.data if self.is_bound else None,
                prefix="weights",
                version=self.instance,
                roles=roles,
                disabled=is_frozen(self.instance),
            )

    def full_clean(self):
        super().full_clean()
        if self.is_bound and self.weight_grid is not None and not self.weight_grid.is_valid():
            self.add_error(None, "Some weights are not valid: see the marked cells in the grid.")


class QuestionInline(FrozenParentInlineMixin, admin.TabularInline):
    model = Question
    fields = ("order", "key", "text", "help_text", "choices_link")
    readonly_fields = ("choices_link",)
    prepopulated_fields = {"key": ("text",)}
    ordering = ("order", "pk")
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(choice_count=Count("choices"))

    @admin.display(description="choices")
    def choices_link(self, question: Question) -> str:
        if question.pk is None:
            return "Save, then add its choices."
        count = getattr(question, "choice_count", None)
        return format_html(
            '<a href="{}">{} choice{} and their weights</a>',
            reverse("admin:quizzes_question_change", args=[question.pk]),
            count,
            "" if count == 1 else "s",
        )


def _problems_html(problems: list[str]) -> str:
    return format_html_join("", "<li>{}</li>", ((problem,) for problem in problems))


@admin.register(QuizVersion)
class QuizVersionAdmin(FrozenReadOnlyMixin, DeletionGuardMixin, admin.ModelAdmin):
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

    def get_queryset(self, request):
        answered = Assessment.objects.filter(version=OuterRef("pk"))
        return (
            super()
            .get_queryset(request)
            .annotate(question_count=Count("questions"), answered=Exists(answered))
        )

    @admin.display(description="questions", ordering="question_count")
    def question_count(self, version: QuizVersion) -> int:
        return version.question_count

    @admin.display(description="answered", boolean=True, ordering="answered")
    def is_answered(self, version: QuizVersion) -> bool:
        return version.answered

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("quiz", "number", "notes")
        return ("quiz", "number", "status", "is_current", "created_at", "published_at", "notes")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        # Status changes through "publish" only; the quiz and number name the version.
        return ("quiz", "number", "status", "is_current", "created_at", "published_at")

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        quiz = Quiz.objects.order_by("pk").first()
        if quiz is not None and "quiz" not in initial:
            initial["quiz"] = quiz.pk
            highest = quiz.versions.order_by("-number").values_list("number", flat=True).first()
            initial.setdefault("number", (highest or 0) + 1)
        return initial

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        roles = _roles(request)

        class FormWithRoles(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, roles=roles, **kwargs)

        return FormWithRoles

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["weight_grid"] = context["adminform"].form.weight_grid
            context["can_publish"] = self.has_change_permission(request)
            context["can_copy"] = self.has_add_permission(request)
            if obj.status == QuizVersion.Status.DRAFT:
                context["publish_problems"] = services.version_problems(version=obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        grid = form.weight_grid
        if grid is not None and grid.has_changed():
            weights_update(version=form.instance, weights=grid.weights())

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        grid = getattr(form, "weight_grid", None)
        if grid is not None and grid.has_changed():
            message.append({"changed": {"fields": [grid.change_summary()]}})
        return message

    def deletion_blockers(self, objs):
        return version_deletion_blockers(objs)

    # Publish and copy: list actions, and buttons on the version's page ----------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/publish/",
                self.admin_site.admin_view(self.publish_view),
                name="{}_{}_publish".format(*info),
            ),
            path(
                "<path:object_id>/copy/",
                self.admin_site.admin_view(self.copy_view),
                name="{}_{}_copy".format(*info),
            ),
            *super().get_urls(),
        ]

    def _publish(self, request, version: QuizVersion) -> bool:
        try:
            with transaction.atomic():
                previous = list(
                    QuizVersion.objects.filter(quiz_id=version.quiz_id, is_current=True).exclude(
                        pk=version.pk
                    )
                )
                published = services.version_publish(version=version)
                self.log_change(request, published, "Published: now the version people take.")
                for old in previous:
                    self.log_change(
                        request, old, f"No longer current: version {published.number} published."
                    )
        except services.CannotPublish as error:
            self.message_user(
                request,
                format_html(
                    "“{}” can't be published yet:<ul>{}</ul>",
                    version,
                    _problems_html(error.problems),
                ),
                messages.ERROR,
            )
            return False
        self.message_user(
            request, f"“{published}” is published: people now take this version.", messages.SUCCESS
        )
        return True

    def _copy(self, request, version: QuizVersion) -> QuizVersion:
        with transaction.atomic():
            draft = services.version_copy_as_draft(version=version)
            self.log_addition(request, draft, f"New draft copied from version {version.number}.")
            self.log_change(request, version, f"Copied to the new draft, version {draft.number}.")
        self.message_user(
            request,
            format_html(
                '<a href="{}">{}</a> is a new draft copied from version {}: edit it, then '
                "publish it.",
                reverse("admin:quizzes_quizversion_change", args=[draft.pk]),
                draft,
                version.number,
            ),
            messages.SUCCESS,
        )
        return draft

    @admin.action(description="Publish the selected version", permissions=["change"])
    def publish(self, request, queryset):
        versions = list(queryset[:2])
        if len(versions) != 1:
            self.message_user(request, "Select exactly one version to publish.", messages.ERROR)
            return None
        self._publish(request, versions[0])
        return None

    @admin.action(description="New draft from this version", permissions=["add"])
    def copy_as_draft(self, request, queryset):
        drafts = [self._copy(request, version) for version in queryset.order_by("quiz", "number")]
        if len(drafts) == 1:
            return HttpResponseRedirect(
                reverse("admin:quizzes_quizversion_change", args=[drafts[0].pk])
            )
        return None

    def publish_view(self, request, object_id):
        """The "Publish" button on a version's page."""
        return self._button_view(request, object_id, self.has_change_permission, self._publish)

    def copy_view(self, request, object_id):
        """The "New draft from this version" button on a version's page."""
        return self._button_view(request, object_id, self.has_add_permission, self._copy)

    def _button_view(self, request, object_id, has_permission, act):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not has_permission(request):
            raise PermissionDenied
        version = self.get_object(request, unquote(object_id))
        if version is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        result = act(request, version)
        target = result if isinstance(result, QuizVersion) else version
        return HttpResponseRedirect(reverse("admin:quizzes_quizversion_change", args=[target.pk]))


# Questions and choices ----------------------------------------------------------------------


class ChoiceWeightsForm(forms.ModelForm):
    """A choice with one weight field per role; choice_weights_form() adds the fields."""

    roles: list[Role] = []

    class Meta:
        model = Choice
        fields = ["order", "key", "text"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            current = {weight.role_id: weight.weight for weight in self.instance.weights.all()}
            for role in self.roles:
                self.initial[f"weight_{role.pk}"] = current.get(role.pk, 0)

    def _save_m2m(self):
        super()._save_m2m()
        weights_update(
            version=self.instance.question.version,
            weights={
                (self.instance.pk, role.pk): self.cleaned_data[f"weight_{role.pk}"]
                for role in self.roles
            },
        )


def choice_weights_form(roles: list[Role]) -> type[ChoiceWeightsForm]:
    fields = {f"weight_{role.pk}": _weight_field(label=role.name, initial=0) for role in roles}
    return type("ChoiceWeightsForm", (ChoiceWeightsForm,), {**fields, "roles": roles})


class ChoiceInline(FrozenParentInlineMixin, admin.TabularInline):
    """A question's choices, with one weight column per role."""

    model = Choice
    prepopulated_fields = {"key": ("text",)}
    ordering = ("order", "pk")
    show_change_link = True
    extra = 0

    def get_fields(self, request, obj=None):
        return ["order", "key", "text", *(f"weight_{role.pk}" for role in _roles(request))]

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = choice_weights_form(_roles(request))
        return super().get_formset(request, obj, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("weights")


class QuestionAdminForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["version", "order", "key", "text", "help_text"]

    def clean_version(self):
        version = self.cleaned_data["version"]
        if version is not None and is_frozen(version):
            raise forms.ValidationError(
                "People have answered this version, so it can't get new questions; "
                "make a new draft from it and add the question there."
            )
        return version


@admin.register(Question)
class QuestionAdmin(FrozenReadOnlyMixin, DeletionGuardMixin, admin.ModelAdmin):
    form = QuestionAdminForm
    list_display = ("text", "key", "version", "order", "choice_count")
    list_filter = ("version__quiz", "version")
    list_select_related = ("version__quiz",)
    search_fields = ("text", "key", "help_text")
    ordering = ("version__quiz", "-version__number", "order", "pk")
    prepopulated_fields = {"key": ("text",)}
    inlines = (ChoiceInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(choice_count=Count("choices"))

    @admin.display(description="choices", ordering="choice_count")
    def choice_count(self, question: Question) -> int:
        return question.choice_count

    def get_fields(self, request, obj=None):
        return ("version", "order", "key", "text", "help_text")

    def get_readonly_fields(self, request, obj=None):
        return ("version",) if obj is not None else ()

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None else self.prepopulated_fields

    def deletion_blockers(self, objs):
        return question_deletion_blockers(objs)


class ChoiceWeightInline(FrozenParentInlineMixin, admin.TabularInline):
    model = ChoiceWeight
    fields = ("role", "weight")
    autocomplete_fields = ("role",)
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("role")


@admin.register(Choice)
class ChoiceAdmin(FrozenReadOnlyMixin, DeletionGuardMixin, admin.ModelAdmin):
    list_display = ("text", "question", "version", "order")
    list_filter = ("question__version",)
    list_select_related = ("question__version__quiz",)
    search_fields = ("text", "key", "question__text")
    ordering = ("question__version__quiz", "-question__version__number", "question__order", "order")
    fields = ("question", "order", "key", "text")
    readonly_fields = ("question",)
    inlines = (ChoiceWeightInline,)

    def has_add_permission(self, request):
        # Choices are added on their question's page, where the question is known.
        return False

    @admin.display(description="version")
    def version(self, choice: Choice):
        return choice.question.version

    def deletion_blockers(self, objs):
        return choice_deletion_blockers(objs)


# People's results: superusers only, read-only ----------------------------------------------


class RoleScoreInline(ReadOnlyInline):
    model = RoleScore
    fields = ("rank", "role", "percent", "points", "max_points")
    readonly_fields = fields


class AnswerInline(ReadOnlyInline):
    model = Answer
    fields = ("question", "choice", "reason_rank")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("question", "choice")


class RecommendedToolInline(ReadOnlyInline):
    model = RecommendedTool
    fields = ("rank", "tool")
    readonly_fields = fields


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    """People's results, for superusers investigating a problem. Editors never see them."""

    list_display = ("created_at", "top_role", "margin", "version", "user")
    list_filter = ("version", "top_role")
    list_select_related = ("top_role", "version__quiz", "user")
    fields = ("id", "created_at", "user", "version", "top_role", "margin", "client_id")
    readonly_fields = fields
    inlines = (RoleScoreInline, AnswerInline, RecommendedToolInline)

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
