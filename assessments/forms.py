from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import ServiceForm
from core.text import visible_length

from . import following
from .models import FEEDBACK_COMMENT_MAX
from .services.follow_up import answer_choices


def question_field(question, *, required: bool = True) -> forms.TypedChoiceField:
    """One question as a set of radio buttons, its answer the chosen choice's id. The
    assessment's pages and the re-scoring page ask their questions the same way."""
    return forms.TypedChoiceField(
        label=question.text,
        help_text=question.help_text,
        choices=[(choice.pk, choice.text) for choice in question.choices.all()],
        coerce=int,
        widget=forms.RadioSelect,
        required=required,
        error_messages={
            "required": _("Please answer this question."),
            "invalid_choice": _("Please pick one of the answers shown."),
        },
    )


class AssessmentStepForm(forms.Form):
    """One page of questions. The hidden fields tie the page to the attempt it belongs to."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    client_id = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, questions, require_answers=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[self.field_name(question)] = question_field(
                question, required=require_answers
            )

    @classmethod
    def for_attempt(cls, questions, version, attempt) -> "AssessmentStepForm":
        """The page as first shown: tied to the attempt, with the answers given so far."""
        return cls(
            questions=questions,
            initial={
                "version": version.pk,
                "client_id": attempt.client_id,
                **{
                    cls.field_name(question): attempt.answers.get(question.pk)
                    for question in questions
                },
            },
        )

    def tie_to_attempt(self, version, attempt) -> None:
        """Shown again after an error, the page must carry the current attempt's ids, or it
        could never be sent."""
        assert isinstance(self.data, QueryDict)  # bound to request.POST
        data = self.data.copy()
        data["client_id"] = str(attempt.client_id)
        data["version"] = str(version.pk)
        self.data = data

    @staticmethod
    def field_name(question) -> str:
        return f"question_{question.pk}"

    def valid_answers(self) -> dict[int, int]:
        """The answers on this page that are valid, even when others are not."""
        answers = {}
        for question in self.questions:
            value = (
                self.cleaned_data.get(self.field_name(question))
                if hasattr(self, "cleaned_data")
                else None
            )
            if value not in (None, ""):
                answers[question.pk] = value
        return answers

    def add_answer_errors(self, errors_by_question: dict[int, str]) -> None:
        for question in self.questions:
            if question.pk in errors_by_question:
                self.add_error(self.field_name(question), errors_by_question[question.pk])

    def rows(self):
        """(question, bound field) pairs for the template."""
        return [(question, self[self.field_name(question)]) for question in self.questions]


OUT_OF_DATE = _("The questions changed since this page was shown: please check your answers.")


class RescoreForm(forms.Form):
    """The current version's new questions, to read an old result under it. The hidden fields
    tie the answers to the version they were shown for and, on the comparison, to its save
    (a client_id made when the comparison was shown, so a retry saves nothing twice)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    client_id = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, questions, version, saving=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.version_id = version.pk
        self.saving = saving
        self.initial.setdefault("version", version.pk)
        for question in questions:
            self.fields[self.field_name(question)] = question_field(question)

    @classmethod
    def for_change(cls, data, *, questions, version) -> "RescoreForm":
        """The questions shown again with the answers that were compared (to change some)."""
        form = cls(questions=questions, version=version)
        for question in questions:
            name = cls.field_name(question)
            form.initial[name] = data.get(name)
        return form

    @staticmethod
    def field_name(question) -> str:
        return AssessmentStepForm.field_name(question)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("version") != self.version_id:
            self.add_error(None, OUT_OF_DATE)
        elif self.saving and cleaned.get("client_id") is None:
            self.add_error(None, _("This page is out of date: please compare again, then save."))
        return cleaned

    def answers(self) -> list[tuple[int, int]]:
        """(question id, choice id) for each new question, once the form is valid."""
        return [
            (question.pk, self.cleaned_data[self.field_name(question)])
            for question in self.questions
        ]

    def hidden_answers(self) -> list[tuple[str, int]]:
        """(field name, choice id) of each answer, for the comparison to send with the save."""
        return [
            (self.field_name(question), self.cleaned_data[self.field_name(question)])
            for question in self.questions
        ]

    def rows(self):
        """(question, bound field) pairs for the template."""
        return [(question, self[self.field_name(question)]) for question in self.questions]


FEELS_RIGHT_CHOICES = [("yes", _("Yes")), ("no", _("Not really"))]


class FeedbackForm(ServiceForm):
    """ "Does this feel right?" on one's own result. It only reads the request; what makes an
    answer valid (and every message) is services.feedback.feedback_set's, as for the API."""

    feels_right = forms.CharField(required=False)
    comment = forms.CharField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.validators = []  # a CharField's own null-character check: the service's

    @classmethod
    def for_feedback(cls, feedback) -> "FeedbackForm":
        """The form as first shown: empty, or with the answer already given."""
        if feedback is None:
            return cls()
        return cls(
            initial={
                "feels_right": "yes" if feedback.feels_right else "no",
                "comment": feedback.comment,
            }
        )

    def clean_feels_right(self) -> bool | None:
        # Anything but the two radios' values is None, which the service refuses at the field.
        return {"yes": True, "no": False}.get(self.cleaned_data["feels_right"])

    @property
    def comment_max(self) -> int:
        return FEEDBACK_COMMENT_MAX

    @property
    def comment_left(self) -> int:
        """Characters still free in the comment as shown (the live count starts from it)."""
        value = self["comment"].value() or ""
        text = str(value).replace("\r\n", "\n")
        return max(0, FEEDBACK_COMMENT_MAX - visible_length(text))

    @property
    def choices(self) -> list[tuple[str, str, bool]]:
        """(value, label, checked) for the radios."""
        current = self["feels_right"].value()
        if isinstance(current, bool):
            current = "yes" if current else "no"
        return [(value, str(label), value == current) for value, label in FEELS_RIGHT_CHOICES]


class ShareForm(ServiceForm):
    """ "Create a link" on one's own result: the "show my name" checkbox. It only reads the
    post: services.sharing.share_create judges it (and counts the live links), as for the API."""

    show_name = forms.CharField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["show_name"].validators = []  # a CharField's null-character check

    def clean_show_name(self) -> bool | None:
        # Unticked sends nothing; ticked sends the box's value. Anything else is None, which
        # the service refuses at the field.
        return {"": False, "yes": True}.get(self.cleaned_data["show_name"])


class TieBreakersForm(forms.Form):
    """A close call's tie-breakers on its result page. The hidden client_id is made when the
    page is shown, so sending the answers twice settles the result once."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[self.field_name(question)] = question_field(question)

    @staticmethod
    def field_name(question) -> str:
        return AssessmentStepForm.field_name(question)

    def answers(self) -> list[tuple[int, int]]:
        """(question id, choice id) for each tie-breaker answered validly."""
        return [
            (question.pk, self.cleaned_data[self.field_name(question)])
            for question in self.questions
            if self.cleaned_data.get(self.field_name(question)) is not None
        ]

    def add_service_errors(self, error: ValidationError) -> None:
        """The service's messages: per question where it names one, the rest above the form."""
        by_question = getattr(error, "by_question", {})
        for question in self.questions:
            if question.pk in by_question:
                self.add_error(self.field_name(question), by_question[question.pk])
        general = getattr(error, "general", None)
        if general is not None:
            for message in general:
                self.add_error(None, message)
            return
        for field, messages in error.message_dict.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)

    def rows(self):
        """(question, bound field) pairs for the template."""
        return [(question, self[self.field_name(question)]) for question in self.questions]


class FollowUpAnswerForm(ServiceForm):
    """The follow-up's answer page: which path, how happy (optional) and a private comment.
    It only reads the request; services.follow_up.follow_up_answer judges it, as for the API."""

    answer = forms.CharField(required=False)
    happiness = forms.CharField(required=False)
    comment = forms.CharField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.validators = []  # a CharField's own null-character check: the service's

    def clean_happiness(self) -> object:
        raw = self.cleaned_data["happiness"].strip()
        if not raw:
            return None
        return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 4 else raw

    @property
    def comment_max(self) -> int:
        return following.COMMENT_MAX

    def answer_choices(self) -> list[tuple[str, str, bool]]:
        """(value, label, checked) for the answer radios, in the active language."""
        chosen = self["answer"].value()
        return [(value, label, value == chosen) for value, label in answer_choices().items()]

    def happiness_choices(self) -> list[tuple[int, str, bool]]:
        chosen = str(self["happiness"].value() or "")
        return [
            (value, gettext(label), str(value) == chosen)
            for value, label in following.HAPPINESS.items()
        ]
