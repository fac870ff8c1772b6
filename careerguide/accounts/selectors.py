"""Reads of a person's own data."""

from assessments.models import ResultFeedback
from assessments.selectors.assessment import assessment_export_list
from plans import selectors as plan_selectors


def _feedback_export(assessment) -> dict | None:
    """The person's own answer to "does this feel right?" on one result, or None."""
    try:
        feedback = assessment.feedback  # fetched with the assessment (select_related)
    except ResultFeedback.DoesNotExist:
        return None
    return {
        "feels_right": feedback.feels_right,
        "comment": feedback.comment,
        "updated": feedback.updated_at.isoformat(),
    }


def user_data_export(*, user) -> dict:
    """Everything we hold about the person, as plain JSON-ready data."""
    assessments = (
        assessment_export_list(user=user).select_related("feedback").prefetch_related("share_links")
    )
    return {
        "account": {
            "username": user.username,
            "email": user.email or "",
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "language": user.language,
        },
        "assessments": [
            {
                "id": str(assessment.pk),
                "created": assessment.created_at.isoformat(),
                "language": assessment.language,
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
                "feedback": _feedback_export(assessment),
                "rescored_from": str(assessment.rescored_from_id)
                if assessment.rescored_from_id
                else None,
                "share_links": [
                    {
                        "path": link.get_absolute_url(),
                        "show_name": link.show_name,
                        "created": link.created_at.isoformat(),
                        "revoked": link.revoked_at.isoformat() if link.revoked_at else None,
                    }
                    for link in assessment.share_links.all()
                ],
            }
            for assessment in assessments
        ],
        **plan_selectors.plan_export(user=user),
    }
