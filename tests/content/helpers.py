"""What content tests share: emptying the database of content, as before a fresh load."""

from careerguide.content.models import LoadedRow
from quizzes.models import Assessment, AssessmentProgress, Quiz, QuizVersion
from roles.models import CareerAspect, Role, Tool, ToolCategory


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
