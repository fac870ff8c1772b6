"""Reads of a person's own data."""

from plans import selectors as plan_selectors
from quizzes import selectors as quiz_selectors


def user_data_export(*, user) -> dict:
    """Everything we hold about the person, as plain JSON-ready data."""
    assessments = quiz_selectors.assessment_export_list(user=user)
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
                "tools_to_learn_first": [
                    recommended.tool.name for recommended in assessment.recommended_tools.all()
                ],
            }
            for assessment in assessments
        ],
        **plan_selectors.plan_export(user=user),
    }
