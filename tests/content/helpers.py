"""What content tests share: the content models, and emptying the database of content, as
before a fresh load."""

from django.apps import apps
from django.conf import settings

from assessments.models import Assessment, AssessmentProgress
from careerguide.content.models import LoadedRow
from quizzes.models import Quiz, QuizVersion
from roles.models import CareerAspect, LabourSource, Occupation, Role, Tool, ToolCategory


def empty_the_database() -> None:
    """Delete every content row, results first (they protect what they used)."""
    Assessment.objects.all().delete()
    AssessmentProgress.objects.all().delete()
    LoadedRow.objects.all().delete()
    QuizVersion.objects.all().delete()
    Quiz.objects.all().delete()
    Tool.objects.all().delete()
    ToolCategory.objects.all().delete()
    CareerAspect.objects.all().delete()
    Role.objects.all().delete()
    # With them go the proxies, wages and outlooks.
    Occupation.objects.all().delete()
    LabourSource.objects.all().delete()


def content_models() -> list:
    """The models content fixtures hold: the settings' one list of them."""
    return [apps.get_model(label) for label in settings.CATALOG_MODELS]
