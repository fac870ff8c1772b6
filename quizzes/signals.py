from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from . import services
from .models import AssessmentProgress, QuizVersion
from .progress import SESSION_PROGRESS_KEY, SESSION_RESULTS_KEY, progress_from_stored


@receiver(user_logged_in)
def keep_what_was_done_before_logging_in(sender, request, user, **kwargs):
    """Results taken anonymously go to the account; so do unfinished answers, if it has none."""
    session = getattr(request, "session", None)
    if session is None:
        return
    services.assessments_claim(user=user, assessment_ids=session.pop(SESSION_RESULTS_KEY, []))
    data = session.pop(SESSION_PROGRESS_KEY, None)
    if data and not AssessmentProgress.objects.filter(user=user).exists():
        version = QuizVersion.objects.filter(pk=data["version"]).first()
        if version is not None:
            progress = progress_from_stored(data["version"], data["client_id"], data["answers"])
            services.progress_save(
                user=user, version=version, client_id=progress.client_id, answers=progress.answers
            )
