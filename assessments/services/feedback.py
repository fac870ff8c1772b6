"""The owner's answer to "does this feel right?" on one of their assessments."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import caching
from core.text import free_text_clean

from ..models import FEEDBACK_COMMENT_MAX, Assessment, ResultFeedback


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
    comment, problem = free_text_clean(comment, most=FEEDBACK_COMMENT_MAX)
    if problem:
        errors["comment"] = problem
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
