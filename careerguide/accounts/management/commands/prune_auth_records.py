from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from careerguide.accounts.services import auth_records_prune


class Command(BaseCommand):
    help = (
        "Delete log-in records past their time: access logs older than "
        "ACCESS_LOG_RETENTION_DAYS, lockout attempts and password re-check failures whose "
        "cool-off has passed, expired API tokens and expired sessions. The task worker runs "
        "it daily (the auth-records-prune periodic job); this command runs it now."
    )

    def handle(self, *args, **options):
        counts = auth_records_prune(now=timezone.now())
        for what, count in counts.items():
            self.stdout.write(f"{what}: {count} deleted")
        # Sessions live in the database: expired ones are never read again, but
        # stay until deleted.
        call_command("clearsessions")
        self.stdout.write("expired sessions: deleted")
