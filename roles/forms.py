from django import forms

from .models import Role, ToolCategory


class ToolFilterForm(forms.Form):
    """The filters of /tools/, read from GET so a filtered list has a shareable URL."""

    q = forms.CharField(label="Search", max_length=100, required=False, strip=True)
    role = forms.ModelChoiceField(
        label="Role",
        queryset=Role.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="All roles",
    )
    category = forms.ModelChoiceField(
        label="Category",
        queryset=ToolCategory.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="All categories",
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
