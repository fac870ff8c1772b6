"""Where unfinished answers wait between pages: the database for a logged-in person (so they
can resume on another day or device), the session for everyone else."""

import uuid
from dataclasses import dataclass, field

from . import services
from .models import AssessmentProgress, QuizVersion

SESSION_PROGRESS_KEY = "assessment_progress"
SESSION_RESULTS_KEY = "anonymous_assessments"


@dataclass
class Progress:
    version_id: int
    client_id: uuid.UUID
    answers: dict[int, int] = field(default_factory=dict)
    is_new: bool = False  # nothing stored yet: the first page has not been posted


def progress_from_stored(version_id, client_id, answers) -> Progress:
    return Progress(
        version_id=version_id,
        client_id=uuid.UUID(str(client_id)),
        answers={int(question): int(choice) for question, choice in answers.items()},
    )


def progress_load(request, version: QuizVersion) -> Progress:
    """The person's unfinished answers to `version`, or a fresh start."""
    stored = None
    if request.user.is_authenticated:
        row = AssessmentProgress.objects.filter(user=request.user).first()
        if row is not None:
            stored = progress_from_stored(row.version_id, row.client_id, row.answers)
    else:
        data = request.session.get(SESSION_PROGRESS_KEY)
        if data:
            stored = progress_from_stored(data["version"], data["client_id"], data["answers"])
    if stored is not None and stored.version_id == version.pk:
        return stored
    return Progress(version_id=version.pk, client_id=uuid.uuid4(), is_new=True)


def progress_store(request, version: QuizVersion, progress: Progress) -> None:
    if request.user.is_authenticated:
        services.progress_save(
            user=request.user,
            version=version,
            client_id=progress.client_id,
            answers=progress.answers,
        )
    else:
        request.session[SESSION_PROGRESS_KEY] = {
            "version": progress.version_id,
            "client_id": str(progress.client_id),
            "answers": {str(question): choice for question, choice in progress.answers.items()},
        }


def progress_forget(request) -> None:
    if request.user.is_authenticated:
        services.progress_clear(user=request.user)
    request.session.pop(SESSION_PROGRESS_KEY, None)


def anonymous_results(request) -> list[str]:
    """Ids of the assessments this browser took before logging in."""
    return request.session.get(SESSION_RESULTS_KEY, [])


def remember_anonymous_result(request, assessment_id) -> None:
    ids = anonymous_results(request)
    if str(assessment_id) not in ids:
        request.session[SESSION_RESULTS_KEY] = [*ids, str(assessment_id)][-20:]
