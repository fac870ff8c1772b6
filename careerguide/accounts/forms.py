from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import ServiceForm
from core.security import site_url
from core.tasks import enqueue

from . import emails, services
from .models import User, username_characters_validator

USERNAME_LENGTH = User._meta.get_field("username").max_length or 150

# The code of a form error that means "too many wrong passwords": the view answers 429.
TOO_MANY_ATTEMPTS = "too_many_attempts"


class SignupForm(ServiceForm):
    """Username, e-mail and the password twice. The form checks what was typed; the rules of a
    new account (a free username, a good password) are the service's, the same as the API's.
    It never says whether an e-mail address has an account (services.user_create)."""

    username = auth_forms.UsernameField(label=gettext_lazy("Username"), max_length=USERNAME_LENGTH)
    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        max_length=254,
        help_text=gettext_lazy(
            "We will send a link to confirm it. It is used only to reset your password."
        ),
    )
    password1, password2 = auth_forms.SetPasswordMixin.create_password_fields()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].help_text = _(
            "%(count)s characters or fewer: the letters a to z (and á, é, í, ó, ú, ü, ñ), "
            "digits and . _ - only."
        ) % {"count": USERNAME_LENGTH}

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error(
                "password2", auth_forms.SetPasswordMixin.error_messages["password_mismatch"]
            )
        return cleaned

    # A weak password is shown under the second password box, as Django's sign-up form does.
    service_fields = {"password": "password2"}


class AccountCreationForm(auth_forms.AdminUserCreationForm):
    """The admin's "add user": a new username follows the same rule as a sign-up's."""

    def clean_username(self):
        username = super().clean_username()
        if username:
            username_characters_validator(username)
        return username


class _BoundedUsernameMixin:
    """Django's log-in forms set the username's max_length after the field is made, so it is
    never checked (a name of any length reached the lockout's 255-character column and gave a
    500 on PostgreSQL). Check it, at the field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(USERNAME_LENGTH))


class LoginForm(_BoundedUsernameMixin, auth_forms.AuthenticationForm):
    pass


class AdminLoginForm(_BoundedUsernameMixin, AdminAuthenticationForm):
    pass


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's, with the old password checked by services.password_recheck (counted and
    limited). Too many wrong ones is an error at the field with code TOO_MANY_ATTEMPTS, and
    `retry_after` says for how long (the view answers 429)."""

    retry_after: int | None = None

    def clean_old_password(self):
        password = self.cleaned_data["old_password"]
        try:
            services.password_recheck(user=self.user, password=password)
        except services.TooManyAttempts as limited:
            self.retry_after = limited.retry_after
            raise ValidationError(limited.message, code=TOO_MANY_ATTEMPTS) from None
        except ValidationError:
            raise ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            ) from None
        return password


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=gettext_lazy(
            "Deleting your account also deletes all your assessments. It cannot be undone."
        ),
    )


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's, with links built from SITE_URL (never from the request's Host header) and
    each e-mail within its address's budget, queued for delivery (emails.email_send). The
    request only queues a job for the address (`queue_for`); the worker looks it up and sends
    (`save_for_origin`), so the answer and its timing are the same whether it has an account."""

    def queue_for(self, request) -> None:
        from .tasks import password_reset_email_send

        enqueue(
            password_reset_email_send,
            email=self.cleaned_data["email"],
            origin=site_url(request),
            language=translation.get_language(),
        )

    def save_for_origin(self, origin: str) -> None:
        scheme, _, domain = origin.partition("://")
        self.save(domain_override=domain, use_https=scheme == "https")

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = " ".join(loader.render_to_string(subject_template_name, context).split())
        body = loader.render_to_string(email_template_name, context)
        emails.email_send(email=to_email, subject=subject, body=body, what="password reset")


class SecondFactorForm(forms.Form):
    """A code from the authenticator app (six digits) or a backup code."""

    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
        help_text=gettext_lazy(
            "The six digits your authenticator app shows now, or one of your backup codes."
        ),
    )
