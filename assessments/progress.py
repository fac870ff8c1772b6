"""An attempt at the assessment across requests.

Unfinished answers wait in the database for a logged-in person (so they can resume on another
day or device) and in the session for everyone else. A browser also remembers the results it
took anonymously, which become the person's when they sign up or log in.
"""

import uuid
from dataclasses import dataclass

from django.utils.translation import gettext as _

from quizzes.models import QuizVersion

from . import selectors, services
from .models import Assessment, AssessmentProgress
from .services import Progress

SESSION_PROGRESS_KEY = "assessment_progress"
SESSION_RESULTS_KEY = "anonymous_assessments"
REMEMBERED_RESULTS = 20


def _from_stored(version_id, client_id, answers) -> Progress:
    return Progress(
        version_id=int(version_id),
        client_id=uuid.UUID(str(client_id)),
        answers={int(question): int(choice) for question, choice in answers.items()},
    )


def _session_progress(request) -> Progress | None:
    data = request.session.get(SESSION_PROGRESS_KEY)
    if not data:
        return None
    return _from_stored(data["version"], data["client_id"], data["answers"])


def progress_load(request, version: QuizVersion) -> Progress:
    """The person's unfinished answers to `version`, or a fresh start."""
    stored = None
    if request.user.is_authenticated:
        row = AssessmentProgress.objects.filter(user=request.user).first()
        if row is not None:
            stored = _from_stored(row.version_id, row.client_id, row.answers)
    else:
        stored = _session_progress(request)
    if stored is not None and stored.version_id == version.pk:
        return stored
    return Progress(version_id=version.pk, client_id=uuid.uuid4(), is_new=True)


def progress_save(request, version: QuizVersion, progress: Progress) -> None:
    """Keep the answers so far, where this person's progress lives."""
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


def progress_clear(request) -> None:
    """Forget the answers so far (the person starts again)."""
    if request.user.is_authenticated:
        services.progress_clear(user=request.user)
    request.session.pop(SESSION_PROGRESS_KEY, None)


@dataclass
class PostedPage:
    """How a posted page of questions relates to the person's attempt."""

    replayed: Assessment | None = None  # the page was submitted already: show that result
    problem: str = ""  # why the page can't count towards the attempt


def attempt_check(
    request, progress: Progress, *, version: QuizVersion, posted_client_id, posted_version_id
) -> PostedPage:
    """Which attempt a posted page belongs to. Every page carries the attempt's client_id: a
    page posted again after its result was saved leads to that result; the first page of a
    fresh attempt gives the attempt its id; a page of another attempt, or of questions that
    have changed since, is refused with a reason."""
    page = PostedPage()
    if posted_client_id is not None and posted_client_id != progress.client_id:
        page.replayed = selectors.assessment_for_replay(
            client_id=posted_client_id,
            user=request.user,
            session_assessment_ids=anonymous_results(request),
        )
        if page.replayed is not None:
            return page
        # A fresh attempt takes the id its first page was shown with, never one that is
        # already someone's saved assessment (that would be a way to claim it).
        if progress.is_new and not selectors.client_id_taken(client_id=posted_client_id):
            progress.client_id = posted_client_id
        else:
            page.problem = _("This page is out of date. Please answer the questions shown here.")
    if posted_version_id is not None and posted_version_id != version.pk:
        page.problem = _("The questions have been updated. Please answer them again.")
    return page


def anonymous_attempt(request, progress: Progress):
    """The client_id of the attempt this browser's session holds (None for a fresh one or a
    logged-in person): proof that a submission under it is this browser's own, even when a
    second click arrives before the first one's session is saved."""
    if request.user.is_authenticated or progress.is_new:
        return None
    return progress.client_id


def attempt_finished(request, assessment: Assessment) -> None:
    """After a saved submission: the session's unfinished answers go (a logged-in person's
    went with the submission), and an anonymous person's browser remembers the result."""
    request.session.pop(SESSION_PROGRESS_KEY, None)
    if assessment.user_id is None:
        ids = anonymous_results(request)
        if str(assessment.pk) not in ids:
            request.session[SESSION_RESULTS_KEY] = [*ids, str(assessment.pk)][-REMEMBERED_RESULTS:]


def anonymous_results(request) -> list[str]:
    """Ids of the assessments this browser took before logging in."""
    return request.session.get(SESSION_RESULTS_KEY, [])


def claim_anonymous_work(request, user) -> None:
    """Right after a log-in or sign-up: what this browser did anonymously becomes the user's."""
    session = getattr(request, "session", None)
    if session is None:
        return
    unfinished = None
    if session.get(SESSION_PROGRESS_KEY):
        unfinished = _session_progress(request)
        session.pop(SESSION_PROGRESS_KEY)
    services.anonymous_work_claim(
        user=user, assessment_ids=session.pop(SESSION_RESULTS_KEY, []), unfinished=unfinished
    )
