from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Role, ToolCategory


class ToolFilterForm(forms.Form):
    """The filters of /tools/, read from GET so a filtered list has a shareable URL."""

    q = forms.CharField(label=_("Search"), max_length=100, required=False, strip=True)
    role = forms.ModelChoiceField(
        label=_("Role"),
        queryset=Role.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All roles"),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=ToolCategory.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All categories"),
    )

    def filters(self) -> dict:
        """The valid filters only: an invalid one is dropped (and reported at its field)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        role = data.get("role")
        category = data.get("category")
        return {
            "search": data.get("q") or "",
            "role_slug": role.slug if role else "",
            "category_slug": category.slug if category else "",
        }
