"""Saving an old assessment's reading under the current quiz version as a new assessment."""

import uuid
from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import ngettext

from ..answers import InvalidAnswers
from ..models import Assessment
from ..selectors.assessment import assessment_get_owned, client_id_taken
from ..selectors.rescoring import rescore_preview
from .assessment import CLIENT_ID_TAKEN, ClientIdTaken, assessment_submit


def assessment_rescore(
    *,
    assessment_id,
    user,
    answers: Iterable[tuple[object, object]],
    client_id: uuid.UUID,
    language: str = settings.LANGUAGE_CODE,
) -> tuple[Assessment, bool]:
    """Save the current version's reading of one of the person's results as a new result that
    links back to it (the old one stays as it was); `answers` are for the new questions only.
    Retry-safe like a submission: the same client_id again returns the same new result.
    Assessment.DoesNotExist for anyone else's result; InvalidAnswers for bad answers (a
    ValidationError at `detail` when it is not to be re-scored);
    ClientIdTaken for a client_id of any other result."""
    assessment = assessment_get_owned(assessment_id=assessment_id, user=user)
    replayed = Assessment.objects.filter(
        client_id=client_id, user=user, rescored_from=assessment
    ).first()
    if replayed is not None:
        return replayed, False
    # Used for any other result (even the person's own), it is not this save's retry.
    if client_id_taken(client_id=client_id):
        raise ClientIdTaken(CLIENT_ID_TAKEN)
    preview = rescore_preview(assessment=assessment, answers=answers)
    if preview.missing:
        raise InvalidAnswers(
            general=[
                ngettext(
                    "Answer every new question first (%(count)s left).",
                    "Answer every new question first (%(count)s left).",
                    len(preview.missing),
                )
                % {"count": len(preview.missing)}
            ]
        )
    keys = preview.new_keys
    chosen = {**preview.carried, **preview.fresh}
    return assessment_submit(
        version=preview.to_version,
        answers=[
            (keys.question_ids[key], keys.choice_ids[key][choice]) for key, choice in chosen.items()
        ],
        client_id=client_id,
        user=user,
        rescored_from=assessment,
        language=language,
    )
