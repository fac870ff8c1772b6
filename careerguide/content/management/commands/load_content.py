from django.core.management.base import BaseCommand, CommandError

from careerguide.content.loader import ContentError, load_content
from roles.models import Role


class Command(BaseCommand):
    help = (
        "Load the catalog and quiz content from fixtures/. Running it twice changes nothing; "
        "rows an editor changed since the last load are kept unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Overwrite rows that an editor changed."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the catalog already has roles (used by `make run`).",
        )

    def handle(self, *args, force=False, if_empty=False, **options):
        if if_empty and Role.objects.exists():
            self.stdout.write("The catalog already has content; nothing loaded.")
            return
        try:
            report = load_content(force=force)
        except ContentError as error:
            raise CommandError(f"{error} Nothing was loaded.") from None
        self.stdout.write(
            f"created {len(report.created)}, updated {len(report.updated)}, "
            f"unchanged {len(report.unchanged)}, kept editors' changes {len(report.kept_edits)}, "
            f"skipped frozen {len(report.skipped)}"
        )
        for name in report.kept_edits:
            self.stdout.write(f"  kept editor's change: {name} (use --force to overwrite)")
        for name in report.skipped:
            self.stdout.write(f"  skipped (answered quiz versions never change): {name}")
