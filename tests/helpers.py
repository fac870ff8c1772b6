"""Helpers shared by tests: answering the assessment the way a person or a browser does."""

from quizzes import selectors as quiz_selectors
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
    questions = quiz_selectors.question_list(version=version, with_weights=True)
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


def publish_changed_version(version):
    """Version 2 as an editor would make it from `version`: a copy with its last question
    removed, two questions added ("cloud" and "dashboards", one choice per role and a middle
    one) and one weight changed (question 1's MLOps choice weighs 5 for MLOps instead of 3).
    Published as the current version; returns it."""
    from quizzes import authoring
    from quizzes.models import Choice, ChoiceWeight, Question
    from roles.models import Role

    draft = authoring.version_copy_as_draft(version=version)
    questions = list(draft.questions.order_by("order"))
    questions[-1].delete()
    roles = list(Role.objects.order_by("order", "name"))
    for offset, key in enumerate(["cloud", "dashboards"], start=1):
        question = Question.objects.create(
            version=draft,
            key=key,
            text=f"A new question about {key}: which would you rather do?",
            order=100 + offset,
        )
        for position, role in enumerate(roles, start=1):
            choice = Choice.objects.create(
                question=question,
                key=f"for-{role.slug}",
                text=f"The {role.name} way",
                order=position,
            )
            for other in roles:
                ChoiceWeight.objects.create(
                    choice=choice, role=other, weight=3 if other == role else 0
                )
        middle = Choice.objects.create(
            question=question, key="middle", text="A bit of everything", order=len(roles) + 1
        )
        for role in roles:
            ChoiceWeight.objects.create(choice=middle, role=role, weight=1)
    # The first question's choice that weighs most for the first role weighs 2 more for it
    # (in the tests' own world: question 1's MLOps choice, 3 -> 5; the shipped quiz works too).
    first_role = roles[0]
    heaviest = ChoiceWeight.objects.filter(choice__question=questions[0], role=first_role).order_by(
        "-weight", "choice__order"
    )[0]
    ChoiceWeight.objects.filter(pk=heaviest.pk).update(weight=heaviest.weight + 2)
    return authoring.version_publish(version=draft)


def sent_mail() -> list:
    """The e-mails sent so far (django.core.mail.outbox), after the worker's turn: every queued
    job (core.tasks) is run first, as a worker would."""
    from django.core import mail

    from core.tasks import run_queue

    run_queue()
    return mail.outbox
