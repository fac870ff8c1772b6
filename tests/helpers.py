"""Helpers shared by tests: answering the assessment the way a person or a browser does,
committing, racing, and reading the API's error answers."""

import threading
from dataclasses import dataclass, field

from django.db import connections
from django.test import TestCase

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


def committed():
    """Run what waits for the commit (transaction.on_commit) when the block ends, as a real
    commit would: a test's own transaction never commits. The figures' version, for one, is
    bumped only after a submission commits (core.caching.versions)."""
    return TestCase.captureOnCommitCallbacks(execute=True)


@dataclass
class Race:
    returned: list = field(default_factory=list)  # what each call returned, as they finished
    errors: list[Exception] = field(default_factory=list)


def at_once(*calls, timeout: float = 60) -> Race:
    """Run the calls at the same moment, each in a thread of its own and so on a database
    connection of its own, and wait for them all. The test must be marked
    `django_db(transaction=True)`: the threads see only what was committed."""
    start = threading.Barrier(len(calls))
    race = Race()

    def run(call):
        try:
            start.wait(timeout=10)
            race.returned.append(call())
        except Exception as error:
            race.errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a call never finished"
    return race


def while_the_first_waits(call, *, pause_in, name: str, wait: float = 1) -> Race:
    """Run `call` twice, the second starting while the first is paused inside it: at its call
    of `pause_in.<name>` (a function it calls inside its transaction, after it has read and
    before it writes), for `wait` seconds. A double click, or the site and an app at once."""
    paused = threading.Event()
    original = getattr(pause_in, name)

    def pause_then_go_on(*args, **kwargs):
        if threading.current_thread().name == "first":
            paused.set()
            threading.Event().wait(timeout=wait)
        return original(*args, **kwargs)

    race = Race()

    def run():
        try:
            race.returned.append(call())
        except Exception as error:
            race.errors.append(error)
        finally:
            connections.close_all()

    setattr(pause_in, name, pause_then_go_on)
    try:
        first = threading.Thread(target=run, name="first")
        first.start()
        assert paused.wait(timeout=10), f"the first call never reached {name}"
        second = threading.Thread(target=run, name="second")
        second.start()
        for thread in (first, second):
            thread.join(timeout=30)
    finally:
        setattr(pause_in, name, original)
    assert not (first.is_alive() or second.is_alive()), "a call never finished"
    return race


# The API's error answers: problem details (core.problems).


def problem(response) -> dict:
    """The problem details body of an API error answer, checked for its fixed members."""
    assert response["Content-Type"] == "application/problem+json", response["Content-Type"]
    body = response.json()
    assert {"type", "code", "title", "status", "detail", "errors"} <= set(body), body
    assert body["status"] == response.status_code
    return body


def problem_fields(response) -> dict[str | None, list[str]]:
    """{field: [codes]} of an API error answer (field None: the request as a whole)."""
    fields: dict[str | None, list[str]] = {}
    for error in problem(response)["errors"]:
        fields.setdefault(error["field"], []).append(error["code"])
    return fields


def problem_messages(response) -> dict[str | None, list[str]]:
    """{field: [messages]} of an API error answer (field None: the request as a whole)."""
    messages: dict[str | None, list[str]] = {}
    for error in problem(response)["errors"]:
        messages.setdefault(error["field"], []).append(error["detail"])
    return messages


def problem_field_roots(response) -> set[str | None]:
    """The top-level fields an API error answer names (`answers` for `answers.0.choice`)."""
    return {field.split(".")[0] if field else None for field in problem_fields(response)}


def sent_mail() -> list:
    """The e-mails sent so far (django.core.mail.outbox), after the worker's turn: every queued
    job (core.tasks) is run first, as a worker would."""
    from django.core import mail

    from core.tasks import run_queue

    run_queue()
    return mail.outbox
