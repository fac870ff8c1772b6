from django.db import models


class LoadedRow(models.Model):
    """What load_content last wrote to one content row, as a hash of its fixture fields.

    Comparing it with the row as it is now tells an editor's change (keep it) from a row
    that still holds what we loaded (safe to update from a newer fixture).
    """

    model_label = models.CharField(max_length=100)
    natural_key = models.CharField(max_length=500)
    fixture_hash = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model_label", "natural_key"], name="unique_loaded_row")
        ]

    def __str__(self):
        return f"{self.model_label} {self.natural_key}"
