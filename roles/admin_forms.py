"""Forms behind the catalog's admin screens, where a rule reaches beyond one field."""

from django import forms
from django.core.exceptions import ValidationError

from .models import HOURS_TO_LEARN_MAX, Tool, milestone_lines
from .prerequisites import cycle_message, prerequisite_cycle


class ToolAdminForm(forms.ModelForm):
    """A tool. Its prerequisites may never go round in a circle (nor hold the tool itself),
    judged on the graph as it would be after this save."""

    class Meta:
        model = Tool
        # The admin's fieldsets add the rest, with its own widgets.
        fields = ["hours_to_learn", "milestones", "prerequisites"]
        widgets = {"milestones": forms.Textarea(attrs={"rows": 6, "cols": 70})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "hours_to_learn" in self.fields:
            # The browser's own check says what the model's validators do (1 to 400, not 0).
            self.fields["hours_to_learn"].widget.attrs.update(min=1, max=HOURS_TO_LEARN_MAX)
        if "prerequisites" in self.fields:
            field = self.fields["prerequisites"]
            field.queryset = field.queryset.order_by("name")

    def clean_milestones(self):
        # One milestone a line, without the blank lines and \r\n a textarea sends.
        return "\n".join(milestone_lines(self.cleaned_data["milestones"]))

    def clean_prerequisites(self):
        prerequisites = self.cleaned_data["prerequisites"]
        if self.instance.pk is None:
            # A new tool: nothing requires it yet, so it can't close a circle.
            return prerequisites
        cycle = prerequisite_cycle(
            tool_pk=self.instance.pk,
            # A rename in this same save names the tool as the editor now sees it.
            tool_name=self.cleaned_data.get("name") or self.instance.name,
            prerequisite_pks=[tool.pk for tool in prerequisites],
            lock=True,
        )
        if cycle is not None:
            raise ValidationError(cycle_message(cycle), code="cycle")
        return prerequisites
