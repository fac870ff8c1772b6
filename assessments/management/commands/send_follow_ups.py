"""Send the follow-up e-mails due now (the question, or its one reminder) in this process,
without the worker: the worker's hourly job "follow-ups" does the same. Safe to run as often as
you like, beside the worker or on another machine: each e-mail goes out once."""

from django.core.management.base import BaseCommand

from assessments.services.follow_up import follow_ups_send_due


class Command(BaseCommand):
    help = "Send the six-month follow-up e-mails that are due (each once)."

    def handle(self, *args, **options):
        sent = follow_ups_send_due()
        self.stdout.write(f"{sent} follow-up e-mail(s) sent")
