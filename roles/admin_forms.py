"""Forms behind the catalog's admin screens, where a rule reaches beyond one field."""

from django import forms
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.core.exceptions import ValidationError

from . import labour
from .models import HOURS_TO_LEARN_MAX, Outlook, Role, RoleProxy, Tool, milestone_lines
from .prerequisites import cycle_message, prerequisite_cycle


class RoleAdminForm(forms.ModelForm):
    """A role, with the tools it uses picked from a searchable list (one query, any size).
    The admin saves the picked tools (RoleAdmin.save_related), once the role has its id."""

    tools = forms.ModelMultipleChoiceField(
        queryset=Tool.objects.order_by("name"),
        required=False,
        widget=FilteredSelectMultiple("tools", is_stacked=False),
        help_text="The role's page lists them by each tool's own order: lowest first.",
    )

    class Meta:
        model = Role
        fields = ["name", "slug", "tagline", "summary", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial["tools"] = list(self.instance.tools.values_list("pk", flat=True))


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

    def _clean_milestones(self, name: str) -> str | None:
        # One milestone a line, without the blank lines and \r\n a textarea sends. A
        # translation left empty stays empty (None: it reads as the English).
        value = self.cleaned_data[name]
        if value is None:
            return None
        return "\n".join(milestone_lines(value))

    def clean_milestones(self):
        return self._clean_milestones("milestones")

    # The admin edits the milestones in every language (django-modeltranslation's columns).
    def clean_milestones_en(self):
        return self._clean_milestones("milestones_en")

    def clean_milestones_es(self):
        return self._clean_milestones("milestones_es")

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


class OutlookAdminForm(forms.ModelForm):
    """A Handbook projection. The occupations it covers must be among its group's codes, so
    a projection is never shown for an occupation it does not count."""

    class Meta:
        model = Outlook
        fields = [
            "group_code",
            "group_title",
            "occupations",
            "source",
            "jobs",
            "growth_percent",
            "growth_words",
            "openings_per_year",
            "median_pay",
        ]

    def clean(self):
        cleaned = super().clean()
        group_code, occupations = cleaned.get("group_code"), cleaned.get("occupations")
        if group_code and occupations is not None:
            outside = [
                occupation.code
                for occupation in occupations
                if occupation.code not in labour.group_parts(group_code)
            ]
            if outside:
                self.add_error(
                    "occupations",
                    f"{', '.join(outside)} {'is' if len(outside) == 1 else 'are'} not in the "
                    f"group {group_code}: pick only occupations whose code it lists.",
                )
        return cleaned


class RoleProxyForm(forms.ModelForm):
    class Meta:
        model = RoleProxy
        fields = ["order", "occupation", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2, "cols": 60})}
