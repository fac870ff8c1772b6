from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from careerguide.content.export import export_content


class Command(BaseCommand):
    help = (
        "Write the current catalog, the federal labour-market figures and every quiz version "
        "to fixtures/catalog.json, fixtures/labour.json and fixtures/quiz.json (or "
        "--output-dir), in the natural-key format load_content reads, so curated content can "
        "be reviewed and versioned in git."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            type=Path,
            help="Write the files here instead of fixtures/ (created if missing).",
        )

    def handle(self, *args, output_dir=None, **options):
        if output_dir is not None and output_dir.exists() and not output_dir.is_dir():
            raise CommandError(f"{output_dir} exists and is not a directory.")
        try:
            exported = export_content(output_dir=output_dir)
        except OSError as error:
            raise CommandError(f"Could not write the files: {error}") from error
        for item in exported:
            self.stdout.write(f"wrote {item.rows} rows to {item.path}")
