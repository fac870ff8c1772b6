"""What a browser holds across requests: its attempt at the assessment, and the assessments it
took anonymously.

An attempt's unfinished answers wait in the database for a logged-in person, so they can resume
on another day or device (services/attempt.py), and in the session for everyone else. A browser
also remembers the assessments it took anonymously, which become the person's when they sign up
or log in (browser_assessments_claim).
"""

import uuid
from dataclasses import dataclass

from django.utils.translation import gettext as _

from quizzes.models import QuizVersion

from .models import Assessment, AssessmentProgress
from .selectors.assessment import assessment_for_replay, client_id_taken
from .services.attempt import Attempt, anonymous_assessments_claim, attempt_clear, attempt_save

SESSION_ATTEMPT_KEY = "assessment_progress"
SESSION_ASSESSMENTS_KEY = "anonymous_assessments"
REMEMBERED_ASSESSMENTS = 20


def _from_stored(version_id, client_id, answers) -> Attempt:
    return Attempt(
        version_id=int(version_id),
        client_id=uuid.UUID(str(client_id)),
        answers={int(question): int(choice) for question, choice in answers.items()},
    )


def _session_attempt(request) -> Attempt | None:
    data = request.session.get(SESSION_ATTEMPT_KEY)
    if not data:
        return None
    return _from_stored(data["version"], data["client_id"], data["answers"])


def browser_attempt_load(request, version: QuizVersion) -> Attempt:
    """The person's unfinished answers to `version`, or a fresh start."""
    stored = None
    if request.user.is_authenticated:
        row = AssessmentProgress.objects.filter(user=request.user).first()
        if row is not None:
            stored = _from_stored(row.version_id, row.client_id, row.answers)
    else:
        stored = _session_attempt(request)
    if stored is not None and stored.version_id == version.pk:
        return stored
    return Attempt(version_id=version.pk, client_id=uuid.uuid4(), is_new=True)


def browser_attempt_save(request, version: QuizVersion, attempt: Attempt) -> None:
    """Keep the answers so far, where this person's attempt lives."""
    if request.user.is_authenticated:
        attempt_save(
            user=request.user,
            version=version,
            client_id=attempt.client_id,
            answers=attempt.answers,
        )
    else:
        request.session[SESSION_ATTEMPT_KEY] = {
            "version": attempt.version_id,
            "client_id": str(attempt.client_id),
            "answers": {str(question): choice for question, choice in attempt.answers.items()},
        }


def browser_attempt_clear(request) -> None:
    """Forget the answers so far (the person starts again)."""
    if request.user.is_authenticated:
        attempt_clear(user=request.user)
    request.session.pop(SESSION_ATTEMPT_KEY, None)


@dataclass
class PostedPage:
    """How a posted page of questions relates to the person's attempt."""

    replayed: Assessment | None = None  # the page was submitted already: show that result
    problem: str = ""  # why the page can't count towards the attempt


def attempt_check(
    request, attempt: Attempt, *, version: QuizVersion, posted_client_id, posted_version_id
) -> PostedPage:
    """Which attempt a posted page belongs to. Every page carries the attempt's client_id: a
    page posted again after its result was saved leads to that result; the first page of a
    fresh attempt gives the attempt its id; a page of another attempt, or of questions that
    have changed since, is refused with a reason."""
    page = PostedPage()
    if posted_client_id is not None and posted_client_id != attempt.client_id:
        page.replayed = assessment_for_replay(
            client_id=posted_client_id,
            user=request.user,
            session_assessment_ids=anonymous_assessments(request),
        )
        if page.replayed is not None:
            return page
        # A fresh attempt takes the id its first page was shown with, never one that is
        # already someone's saved assessment (that would be a way to claim it).
        if attempt.is_new and not client_id_taken(client_id=posted_client_id):
            attempt.client_id = posted_client_id
        else:
            page.problem = _("This page is out of date. Please answer the questions shown here.")
    if posted_version_id is not None and posted_version_id != version.pk:
        page.problem = _("The questions have been updated. Please answer them again.")
    return page


def anonymous_attempt(request, attempt: Attempt):
    """The client_id of the attempt this browser's session holds (None for a fresh one or a
    logged-in person): proof that a submission under it is this browser's own, even when a
    second click arrives before the first one's session is saved."""
    if request.user.is_authenticated or attempt.is_new:
        return None
    return attempt.client_id


def attempt_finished(request, assessment: Assessment) -> None:
    """After a saved submission: the session's unfinished answers go (a logged-in person's
    went with the submission), and an anonymous person's browser remembers the result."""
    request.session.pop(SESSION_ATTEMPT_KEY, None)
    if assessment.user_id is None:
        ids = anonymous_assessments(request)
        if str(assessment.pk) not in ids:
            request.session[SESSION_ASSESSMENTS_KEY] = [*ids, str(assessment.pk)][
                -REMEMBERED_ASSESSMENTS:
            ]


def anonymous_assessments(request) -> list[str]:
    """Ids of the assessments this browser took before logging in."""
    return request.session.get(SESSION_ASSESSMENTS_KEY, [])


def browser_assessments_claim(request, user) -> None:
    """Right after a log-in or sign-up: the assessments this browser took anonymously and its
    unfinished attempt become the user's."""
    session = getattr(request, "session", None)
    if session is None:
        return
    unfinished = None
    if session.get(SESSION_ATTEMPT_KEY):
        unfinished = _session_attempt(request)
        session.pop(SESSION_ATTEMPT_KEY)
    anonymous_assessments_claim(
        user=user, assessment_ids=session.pop(SESSION_ASSESSMENTS_KEY, []), attempt=unfinished
    )
