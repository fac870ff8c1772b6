"""Count everyone afresh, each person by their latest kept result per quiz version:
`python manage.py rebuild_peer_counts`.

The counts are kept up to date with every submission, claim and deletion; this is for after
restoring a backup, loading results by hand, or reordering the roles (the lean is measured
towards the first role in catalog order)."""

from django.core.management.base import BaseCommand

from assessments.peers import PEOPLE
from assessments.services.figures import peer_counts_rebuild


class Command(BaseCommand):
    help = "Rebuild the kept counts of everyone's results (peers figures) from the results."

    def handle(self, *args, **options):
        counted = peer_counts_rebuild()
        for version_id, counts in sorted(counted.items()):
            self.stdout.write(f"Quiz version {version_id}: {counts[(PEOPLE, '')]} people counted.")
        if not counted:
            self.stdout.write("No kept results to count.")
