from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm

from . import services


class SignupForm(UserCreationForm):
    """Username, e-mail and the password twice, checked by Django's password validators."""

    email = forms.EmailField(label="E-mail address", help_text="For resetting your password.")

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def clean_email(self):
        email = self.cleaned_data["email"]
        if services.email_is_taken(email):
            raise forms.ValidationError("An account with that e-mail address already exists.")
        return email


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Deleting your account also deletes all your assessments. It cannot be undone.",
    )
