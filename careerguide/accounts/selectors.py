"""Reads of a person's own data."""

from django.db.models import Prefetch

from quizzes.models import Answer, Assessment, RoleScore


def user_data_export(*, user) -> dict:
    """Everything we hold about the person, as plain JSON-ready data."""
    assessments = (
        Assessment.objects.owned_by(user)
        .select_related("version__quiz", "top_role")
        .prefetch_related(
            Prefetch("scores", queryset=RoleScore.objects.select_related("role")),
            Prefetch(
                "answers",
                queryset=Answer.objects.select_related("question", "choice").order_by(
                    "question__order", "question_id"
                ),
            ),
        )
        .order_by("created_at")
    )
    return {
        "account": {
            "username": user.username,
            "email": user.email or "",
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "assessments": [
            {
                "id": str(assessment.pk),
                "created": assessment.created_at.isoformat(),
                "quiz": assessment.version.quiz.name,
                "version": assessment.version.number,
                "top_role": assessment.top_role.name,
                "margin": assessment.margin,
                "scores": [
                    {"role": score.role.name, "percent": score.percent}
                    for score in assessment.scores.all()
                ],
                "answers": [
                    {"question": answer.question.text, "answer": answer.choice.text}
                    for answer in assessment.answers.all()
                ],
            }
            for assessment in assessments
        ],
    }
