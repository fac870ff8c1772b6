"""Helpers of the roles tests."""


def row_index(data, prefix: str, pk: int) -> int:
    """The index of the formset row that edits the object with this pk."""
    for name, values in data.items():
        if name.startswith(f"{prefix}-") and name.endswith("-id") and values == [str(pk)]:
            return int(name.split("-")[1])
    raise AssertionError(f"no {prefix} row for {pk}")
