from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from careerguide.accounts.two_factor import devices_reset


class Command(BaseCommand):
    help = (
        "Remove a staff account's second factor (its authenticator app and backup codes), for "
        "an editor who lost their phone, and sign them out everywhere: at their next log-in to "
        "the admin they set up a new one. Check who is asking first: whoever logs in with that "
        "password next enrols."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        User = get_user_model()
        user = User.objects.filter(username__iexact=username.strip()).first()
        if user is None:
            raise CommandError(f"There is no account “{username}”.")
        removed = devices_reset(user=user)
        if not removed:
            self.stdout.write(f"“{user.username}” had no second factor; nothing to reset.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Removed {removed} device(s) of “{user.username}” and signed them out "
                "everywhere. At their next log-in to the admin they scan a new QR code and get "
                "new backup codes."
            )
        )
