"""Send the weekly plan reminders due now, in this process (plans.reminders), without the
worker: the worker's hourly job "plan-reminders" does the same. Safe to run as often as you
like, beside the worker or on another machine: each person gets one e-mail a week."""

from django.core.management.base import BaseCommand

from plans.reminders import plan_reminders_send_due


class Command(BaseCommand):
    help = "Send the weekly plan reminders that are due (each once per person and week)."

    def handle(self, *args, **options):
        sent = plan_reminders_send_due()
        self.stdout.write(f"{sent} plan reminder(s) sent")
