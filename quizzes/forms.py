from django import forms
from django.http import QueryDict


class AssessmentStepForm(forms.Form):
    """One page of questions. The hidden fields tie the page to the attempt it belongs to."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    client_id = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, questions, require_answers=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[self.field_name(question)] = forms.TypedChoiceField(
                label=question.text,
                help_text=question.help_text,
                choices=[(choice.pk, choice.text) for choice in question.choices.all()],
                coerce=int,
                widget=forms.RadioSelect,
                required=require_answers,
                error_messages={"required": "Please answer this question."},
            )

    @classmethod
    def for_attempt(cls, questions, version, progress) -> "AssessmentStepForm":
        """The page as first shown: tied to the attempt, with the answers given so far."""
        return cls(
            questions=questions,
            initial={
                "version": version.pk,
                "client_id": progress.client_id,
                **{
                    cls.field_name(question): progress.answers.get(question.pk)
                    for question in questions
                },
            },
        )

    def tie_to_attempt(self, version, progress) -> None:
        """Shown again after an error, the page must carry the current attempt's ids, or it
        could never be sent."""
        assert isinstance(self.data, QueryDict)  # bound to request.POST
        data = self.data.copy()
        data["client_id"] = str(progress.client_id)
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
