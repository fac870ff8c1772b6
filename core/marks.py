"""Marking text for the message catalogs from pure modules (scoring, planning, labour wording),
which never import Django: `gettext_noop` is a name xgettext knows, so `make messages` finds
the text, and the caller shows it through gettext in the active language."""


def gettext_noop(message: str) -> str:
    """The message as it is; marked for translation where it is written."""
    return message
