"""The owner's answer to "does this feel right?" on one of their assessments."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import caching
from core.text import normalized, visible_length

from ..models import FEEDBACK_COMMENT_MAX, Assessment, ResultFeedback


def _has_lone_surrogate(text: str) -> bool:
    """JSON may escape half of a character ("\\ud83d"); no database can store the result."""
    return any("\ud800" <= character <= "\udfff" for character in text)


@transaction.atomic
def feedback_set(
    *, assessment_id, user, feels_right: object, comment: object = ""
) -> ResultFeedback:
    """Set the owner's answer on one of their results (one per result, changeable).
    Assessment.DoesNotExist for anyone else's; ValidationError naming the field."""
    assessment = Assessment.objects.owned_by(user).get(pk=assessment_id)
    errors = {}
    if not isinstance(feels_right, bool):
        errors["feels_right"] = _("Say yes or not really.")
    if comment is None:
        comment = ""
    if not isinstance(comment, str):
        errors["comment"] = _("The comment must be text.")
    else:
        # One line break is one character, however it was sent (a browser's textarea sends
        # CRLF), so the site and the API count and store a comment alike.
        # Characters are counted as people see them (core.text): NFC, grapheme clusters.
        comment = comment.replace("\r\n", "\n").strip()
        if not _has_lone_surrogate(comment):
            comment = normalized(comment)
        length = visible_length(comment)
        if length > FEEDBACK_COMMENT_MAX:
            errors["comment"] = _("Keep the comment to %(max)s characters (it has %(count)s).") % {
                "max": FEEDBACK_COMMENT_MAX,
                "count": length,
            }
        elif "\x00" in comment or _has_lone_surrogate(comment):
            errors["comment"] = _("The comment holds a character we can't keep.")
    if errors:
        raise ValidationError(errors)
    assert isinstance(feels_right, bool) and isinstance(comment, str)  # checked above
    feedback, _created = ResultFeedback.objects.update_or_create(
        assessment=assessment, defaults={"feels_right": feels_right, "comment": comment}
    )
    caching.history_changed(user.pk)
    return feedback


@transaction.atomic
def feedback_delete(*, assessment_id, user) -> None:
    """Take back the owner's answer; Assessment.DoesNotExist for anyone else's result."""
    assessment = Assessment.objects.owned_by(user).get(pk=assessment_id)
    ResultFeedback.objects.filter(assessment=assessment).delete()
    caching.history_changed(user.pk)
