"""Helpers shared by tests: answering the assessment the way a person or a browser does."""

from quizzes import selectors
from quizzes.models import Question


def choice_leaning_to(question: Question, role_slug: str):
    """The choice of `question` that weighs most for the role (the first such, by order)."""
    return max(
        question.choices.all(),
        key=lambda choice: next(
            (weight.weight for weight in choice.weights.all() if weight.role.slug == role_slug), 0
        ),
    )


def answers_leaning_to(version, role_slugs):
    """question id -> choice id, leaning to role_slugs[i % len] for the i-th question."""
    questions = selectors.question_list(version=version, with_weights=True)
    return {
        question.pk: choice_leaning_to(question, role_slugs[index % len(role_slugs)]).pk
        for index, question in enumerate(questions)
    }


def take_assessment(client, answers, *, submit=True):
    """Walk the assessment's pages as a browser does; returns the last response.

    With submit=False it stops on the last page, before pressing "See my result".
    """
    response = client.get("/assessment/step/1/")
    step = 1
    while True:
        form = response.context["form"]
        if response.context["is_last"] and not submit:
            return response
        data = {
            "version": form["version"].value(),
            "client_id": form["client_id"].value(),
            "action": "submit" if response.context["is_last"] else "next",
        }
        for question in form.questions:
            if question.pk in answers:
                data[form.field_name(question)] = answers[question.pk]
        response = client.post(f"/assessment/step/{step}/", data)
        if response.status_code != 302 or data["action"] != "next":
            return response
        step += 1
        response = client.get(response.url)
