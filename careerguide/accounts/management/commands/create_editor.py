import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from careerguide.accounts.models import EDITORS_GROUP
from careerguide.accounts.services import editor_create


class Command(BaseCommand):
    help = (
        f"Create a staff user in the {EDITORS_GROUP} group: they can curate roles, tools and the "
        "quiz in the admin, and see nothing of people's accounts or results. The password is "
        "asked for twice, or read from the environment variable that --password-env names."
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
        self._check_email(email)
        password = self._password_from_env(password_env) if password_env else self._prompt()
        try:
            editor_create(username=username, email=email, password=password)
        except Group.DoesNotExist:
            raise CommandError(
                f"There is no “{EDITORS_GROUP}” group; run `python manage.py migrate` first."
            ) from None
        except ValidationError as error:
            raise CommandError(self._problems(error.message_dict, username, email)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Created editor “{username}” <{email}> in the {EDITORS_GROUP} group."
            )
        )
        self.stdout.write(
            "Next: they log in at /admin/ with this password, then set up an authenticator "
            "app (they scan a QR code and type its code) and keep the ten backup codes shown "
            "once. From then on the admin asks for the password and a code. A lost phone: "
            f"`manage.py reset_second_factor {username}`."
        )

    def _problems(self, by_field, username, email) -> str:
        """The service's errors, one sentence per field, naming what was typed."""
        labels = {
            "username": f"The username “{username}”",
            "email": f"The e-mail address {email}",
            "password": "The password is not good enough",
        }
        return " ".join(
            f"{labels.get(name, name)}: {' '.join(messages)}" for name, messages in by_field.items()
        )

    def _check_username(self, User, username):
        # The shape of what was typed, as the sign-up form checks it; the rest is the service's.
        if not username:
            raise CommandError("The username can't be empty.")
        try:
            User.username_validator(username)
        except ValidationError as error:
            raise CommandError(
                f"Invalid username “{username}”: {' '.join(error.messages)}"
            ) from None

    def _check_email(self, email):
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"“{email}” is not a valid e-mail address.") from None

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
