"""The self-check and the plan's forms. Their rules come from plans.services (one message per
rule, shared with the API); the forms put those messages at the field they concern."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import ServiceForm

from . import planning, selectors, services

LEVEL_PREFIX = "level-"
_WHOLE_NUMBER = re.compile(r"[0-9]{1,6}")


def _field_errors(error: ValidationError, field: str) -> ValidationError:
    return ValidationError(error.message_dict.get(field, error.messages))


class SkillsForm(forms.Form):
    """One five-step question per tool shown ("level-<tool slug>"). A posted level of a tool
    that is not on the page is checked against the catalog too (services.ratings_validate)."""

    def __init__(self, *args, tools, **kwargs):
        super().__init__(*args, **kwargs)
        self.tools = tools
        for tool in tools:
            self.fields[self.field_name(tool.slug)] = forms.TypedChoiceField(
                label=tool.name,
                help_text=tool.summary,
                choices=list(selectors.level_labels().items()),
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose how well you know %(tool)s.") % {"tool": tool.name},
                    "invalid_choice": _("Choose one of the five levels, from 0 to 4."),
                },
            )

    @staticmethod
    def field_name(slug: str) -> str:
        return f"{LEVEL_PREFIX}{slug}"

    def _others_posted(self) -> list[tuple[str, object]]:
        """Levels posted for tools that are not on the page, as (slug, level) pairs."""
        pairs: list[tuple[str, object]] = []
        for name in self.data:
            if name.startswith(LEVEL_PREFIX) and name not in self.fields:
                raw = self.data.get(name, "")
                pairs.append(
                    (
                        name.removeprefix(LEVEL_PREFIX),
                        int(raw) if _WHOLE_NUMBER.fullmatch(raw) else raw,
                    )
                )
        return pairs

    def clean(self):
        cleaned = super().clean()
        shown = [
            (tool.slug, cleaned[self.field_name(tool.slug)])
            for tool in self.tools
            if self.field_name(tool.slug) in cleaned
        ]
        try:
            self.levels = services.ratings_validate([*shown, *self._others_posted()])
        except ValidationError as error:
            raise _field_errors(error, "ratings") from None
        return cleaned

    def rows(self):
        """(tool, bound field) pairs for the template."""
        return [(tool, self[self.field_name(tool.slug)]) for tool in self.tools]


class RoleForm(forms.Form):
    """The role a plan is for: one of the catalog's, with tools to plan."""

    role = forms.CharField(label=gettext_lazy("Role"), required=False)

    def clean_role(self) -> str:
        try:
            return services.role_validate(self.cleaned_data["role"])
        except ValidationError as error:
            raise _field_errors(error, "role") from None


class PaceForm(forms.Form):
    """The hours a week the person has: a whole number from 1 to 60."""

    hours_per_week = forms.CharField(
        label=gettext_lazy("Hours a week you can spend learning"),
        required=False,
        widget=forms.NumberInput(
            attrs={
                "min": planning.HOURS_PER_WEEK_MIN,
                "max": planning.HOURS_PER_WEEK_MAX,
                "step": 1,
                "inputmode": "numeric",
            }
        ),
    )

    def clean_hours_per_week(self) -> int:
        raw = self.cleaned_data["hours_per_week"].strip()
        value: object = int(raw) if _WHOLE_NUMBER.fullmatch(raw) else raw
        try:
            return services.hours_per_week_validate(value)
        except ValidationError as error:
            raise _field_errors(error, "hours_per_week") from None


class ReminderForm(ServiceForm):
    """The weekly reminder: on or off, its weekday, time zone and language. Judged by
    plans.reminders.reminder_settings_set, whose messages go at the fields."""

    enabled = forms.BooleanField(
        label=gettext_lazy("E-mail me a weekly reminder of this plan"), required=False
    )
    weekday = forms.CharField(label=gettext_lazy("Day of the week"), required=False)
    time_zone = forms.CharField(label=gettext_lazy("Time zone"), required=False)
    language = forms.CharField(label=gettext_lazy("Language of the e-mail"), required=False)

    def clean_weekday(self) -> object:
        raw = self.cleaned_data["weekday"].strip()
        return int(raw) if _WHOLE_NUMBER.fullmatch(raw) else raw

    def clean_time_zone(self) -> str | None:
        # Left out of the post (a page from before the field), the zone set is kept; sent
        # empty, it goes to the service, which refuses it at the field.
        return self.cleaned_data["time_zone"] if "time_zone" in self.data else None
