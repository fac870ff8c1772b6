"""Writes of accounts. The web views and the API both call these."""

from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import EDITORS_GROUP, User


def email_is_taken(email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()


@transaction.atomic
def user_create(*, username: str, email: str, password: str) -> User:
    """Create an account after the same checks the sign-up form makes; ValidationError by field."""
    errors = {}
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = ["That username is taken."]
    if email_is_taken(email):
        errors["email"] = ["An account with that e-mail address already exists."]
    candidate = User(username=username, email=email)
    try:
        password_validation.validate_password(password, user=candidate)
    except ValidationError as error:
        errors["password"] = error.messages
    if errors:
        raise ValidationError(errors)
    user = User.objects.create_user(username=username, email=email, password=password)
    return user


@transaction.atomic
def editor_create(*, username: str, email: str, password: str) -> User:
    """Create a staff account in the Editors group, after user_create's checks (ValidationError
    by field). Group.DoesNotExist if the group is missing: the migrations have not run."""
    group = Group.objects.get(name=EDITORS_GROUP)
    user = user_create(username=username, email=email, password=password)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(group)
    return user


@transaction.atomic
def user_delete(*, user, password: str) -> None:
    """Delete the account and everything of it (its assessments cascade), if the password fits."""
    if not user.check_password(password):
        raise ValidationError({"password": ["That is not your password."]})
    user.delete()
