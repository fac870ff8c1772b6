"""The quiz admin's forms: a version with its weight grid (the one place weights are edited),
and a question. They validate; the version's admin saves the weights through
quizzes.authoring (QuizVersionAdmin.save_model)."""

from django import forms
from django.db.models import Max, Model

from . import selectors
from .models import FROZEN_MESSAGE, MAX_WEIGHT, Question, Quiz, QuizVersion, is_frozen

WEIGHT_WIDGET_ATTRS = {"class": "vIntegerField", "style": "width: 4em", "min": 0, "max": MAX_WEIGHT}


def frozen(obj: Model | None) -> bool:
    """models.is_frozen, remembered on the object: the admin asks many times for one page."""
    if obj is None:
        return False
    if "_frozen" not in obj.__dict__:
        obj.__dict__["_frozen"] = is_frozen(obj)
    return obj.__dict__["_frozen"]


class WeightGridForm(forms.Form):
    """Every choice of a version by every role: one whole-number weight per cell."""

    def __init__(self, *args, version: QuizVersion, roles, disabled=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles = roles
        self.sections = []
        for question in selectors.question_list(
            version=version, with_weights=True, tie_breakers=None
        ):
            rows = []
            for choice in question.choices.all():
                current = {weight.role_id: weight.weight for weight in choice.weights.all()}
                names = []
                for role in roles:
                    name = f"{choice.pk}-{role.pk}"
                    self.fields[name] = forms.IntegerField(
                        label=f"{choice.text} ({role.name})",
                        min_value=0,
                        max_value=MAX_WEIGHT,
                        widget=forms.NumberInput(attrs=WEIGHT_WIDGET_ATTRS),
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
        weights = {}
        for name, value in self.cleaned_data.items():
            choice_id, role_id = name.split("-")
            weights[int(choice_id), int(role_id)] = value
        return weights

    def change_summary(self, shown: int = 10) -> str:
        """The changed cells, for the admin's history: the first few by name, then a count."""
        labels = [str(self.fields[name].label) for name in self.changed_data]
        summary = ", ".join(labels[:shown])
        if len(labels) > shown:
            summary += f" and {len(labels) - shown} more"
        return f"weights: {summary}"


class QuizVersionAdminForm(forms.ModelForm):
    """The version's own fields, plus its weight grid (once it exists), validated with them."""

    class Meta:
        model = QuizVersion
        fields = ["quiz", "number", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.weight_grid = None
        if self.instance.pk is None:
            # A new version: of the first quiz, numbered after its highest one.
            quiz = Quiz.objects.order_by("pk").first()
            if quiz is not None:
                highest = quiz.versions.aggregate(Max("number"))["number__max"] or 0
                self.initial.setdefault("quiz", quiz.pk)
                self.initial.setdefault("number", highest + 1)
        else:
            self.weight_grid = WeightGridForm(
                self.data if self.is_bound else None,
                prefix="weights",
                version=self.instance,
                roles=selectors.role_list_for_scoring(),
                disabled=frozen(self.instance),
            )

    def full_clean(self):
        super().full_clean()
        if self.is_bound and self.weight_grid is not None and not self.weight_grid.is_valid():
            self.add_error(None, "Some weights are not valid: see the marked cells in the grid.")


class QuestionAdminForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["version", "order", "key", "text", "help_text"]

    def clean_version(self):
        version = self.cleaned_data["version"]
        if is_frozen(version):
            raise forms.ValidationError(FROZEN_MESSAGE)
        return version

    def clean_key(self):
        key = self.cleaned_data["key"]
        # On a saved question the version is shown read-only, not as a field, so Django's
        # unique check leaves out the (version, key) constraint: checked here, at the key.
        taken = Question.objects.filter(version_id=self.instance.version_id, key=key).exclude(
            pk=self.instance.pk
        )
        if "version" not in self.fields and taken.exists():
            raise forms.ValidationError("Another question of this version has this key.")
        return key
