import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from roles.authoring import labour_figures_import
from roles.labour_file import LabourFileError


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--retrieved-on {value!r} is not a date like 2026-05-14.") from None


class Command(BaseCommand):
    help = (
        "Import a release of the BLS labour-market figures from a CSV file shaped like "
        "us-labour-market.csv (OEWS wages and the Handbook's outlook for the roles' proxy "
        "occupations). Every row is checked first; if any is bad, nothing is imported and "
        "every problem is listed with its line. Then `make export` writes fixtures/labour.json."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv", type=Path, help="The CSV file to import.")
        parser.add_argument(
            "--retrieved-on",
            help="When the figures were read from BLS (YYYY-MM-DD); today by default.",
        )

    def handle(self, *args, csv: Path, retrieved_on=None, **options):
        day = _date(retrieved_on) if retrieved_on else timezone.localdate()
        try:
            text = csv.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Could not read {csv}: {error}") from None
        try:
            report = labour_figures_import(text=text, retrieved_on=day)
        except LabourFileError as error:
            problems = "\n".join(f"  {problem}" for problem in error.problems)
            raise CommandError(
                f"{csv} was not imported; nothing changed. Fix these and run it again:\n{problems}"
            ) from None
        self.stdout.write(
            f"imported {report.figures} figures from {csv}: "
            f"{len(report.created)} rows created, {len(report.updated)} replaced"
        )
        for name in report.created:
            self.stdout.write(f"  created: {name}")
