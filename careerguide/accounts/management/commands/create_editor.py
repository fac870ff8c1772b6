import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

EDITORS_GROUP = "Editors"


class Command(BaseCommand):
    help = (
        "Create a staff user in the Editors group: they can curate roles, tools and the quiz in "
        "the admin, and see nothing of people's accounts or results. The password is asked for "
        "twice, or read from the environment variable that --password-env names."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("email")
        parser.add_argument(
            "--password-env",
            metavar="VAR",
            help="Read the password from this environment variable instead of prompting.",
        )

    def handle(self, *args, username, email, password_env=None, **options):
        User = get_user_model()
        username = username.strip()
        email = User.objects.normalize_email(email.strip())
        self._check_username(User, username)
        self._check_email(User, email)
        try:
            group = Group.objects.get(name=EDITORS_GROUP)
        except Group.DoesNotExist:
            raise CommandError(
                f"There is no “{EDITORS_GROUP}” group; run `python manage.py migrate` first."
            ) from None

        user = User(username=username, email=email, is_staff=True)
        password = self._password_from_env(password_env) if password_env else self._prompt()
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(
                "The password is not good enough: " + " ".join(error.messages)
            ) from None
        user.set_password(password)

        with transaction.atomic():
            user.save()
            user.groups.add(group)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created editor “{username}” <{email}> in the {EDITORS_GROUP} group."
            )
        )

    def _check_username(self, User, username):
        if not username:
            raise CommandError("The username can't be empty.")
        try:
            User.username_validator(username)
        except ValidationError as error:
            raise CommandError(
                f"Invalid username “{username}”: {' '.join(error.messages)}"
            ) from None
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"A user named “{username}” already exists.")

    def _check_email(self, User, email):
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"“{email}” is not a valid e-mail address.") from None
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"A user with the e-mail address {email} already exists.")

    def _password_from_env(self, name):
        password = os.environ.get(name)
        if password is None:
            raise CommandError(f"The environment variable {name} is not set.")
        if not password:
            raise CommandError(f"The environment variable {name} is empty.")
        return password

    def _prompt(self):
        try:
            password = getpass.getpass("Password: ")
            if not password:
                raise CommandError("The password can't be empty.")
            if getpass.getpass("Password (again): ") != password:
                raise CommandError("The two passwords didn't match.")
        except KeyboardInterrupt:
            raise CommandError("Cancelled; no user was created.") from None
        return password
