"""An attempt: the unfinished answers of a logged-in person, kept so they can resume on
another day or device; and what a browser did before its person logged in becoming theirs.
(The session's side, for everyone else, is browser.py.)"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

from core import caching
from quizzes.models import QuizVersion

from ..models import Assessment, AssessmentProgress
from .figures import peer_counts_follow


@dataclass
class Attempt:
    """An attempt's unfinished answers: the version, the attempt's client_id, and question id
    to choice id."""

    version_id: int
    client_id: uuid.UUID
    answers: dict[int, int] = field(default_factory=dict)
    is_new: bool = False  # nothing stored yet: the first page has not been posted


@transaction.atomic
def attempt_save(
    *, user, version: QuizVersion, client_id: uuid.UUID, answers: dict[int, int]
) -> AssessmentProgress:
    """Keep a logged-in person's unfinished answers so they can resume later."""
    stored, _created = AssessmentProgress.objects.update_or_create(
        user=user,
        defaults={
            "version": version,
            "client_id": client_id,
            "answers": {str(question_id): choice_id for question_id, choice_id in answers.items()},
        },
    )
    return stored


@transaction.atomic
def attempt_clear(*, user) -> None:
    """Forget a logged-in person's unfinished answers (they start again)."""
    AssessmentProgress.objects.filter(user=user).delete()


@transaction.atomic
def anonymous_assessments_claim(
    *, user, assessment_ids: Iterable[str], attempt: Attempt | None
) -> int:
    """What a browser did before its person signed up or logged in becomes theirs: the
    assessments it took (returns how many), and its unfinished attempt unless the account
    already has one."""
    ids = list(assessment_ids)
    claimed = 0
    if ids:
        unclaimed = Assessment.objects.select_for_update().filter(pk__in=ids, user__isnull=True)
        claimed_rows = list(unclaimed.values_list("pk", "version_id"))
        # A claimed result counts in place of the person's earlier one on its version, if it
        # is the later of the two.
        with peer_counts_follow(
            user_id=user.pk, version_ids={version_id for _pk, version_id in claimed_rows}
        ):
            claimed = Assessment.objects.filter(pk__in=[pk for pk, _ in claimed_rows]).update(
                user=user
            )
        caching.history_changed(user.pk)
    if attempt is not None and not AssessmentProgress.objects.filter(user=user).exists():
        version = QuizVersion.objects.filter(pk=attempt.version_id).first()
        if version is not None:
            attempt_save(
                user=user, version=version, client_id=attempt.client_id, answers=attempt.answers
            )
    return claimed
