"""An editor's change and a version's first answer, at the same moment: the submission stamps
the version under its row lock before it reads the weights, and the editor's write takes the
same lock before checking the frozen rule, so one waits for the other and a saved result
always matches the weights it was scored with."""

import threading
import uuid

import pytest
from django.db import connection

from assessments.services.assessment import assessment_submit
from quizzes import authoring
from quizzes import selectors as quiz_selectors
from quizzes.models import ChoiceWeight, FrozenVersionError, is_frozen
from tests.factories import UserFactory, site_content_create
from tests.helpers import answers_leaning_to

# SQLite has no row locks (it serialises whole writes), and `make run` is one process.
needs_row_locks = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are PostgreSQL's (CI runs it there)"
)


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_an_editor_who_saves_during_the_first_answer_waits_and_finds_the_version_frozen(
    monkeypatch,
):
    site_content_create()  # committed, so that both threads' connections see it
    version = quiz_selectors.current_version_get()
    weight = ChoiceWeight.objects.filter(choice__question__version=version).first()
    answers = answers_leaning_to(version, ["mlops-engineer"])
    scoring, release = threading.Event(), threading.Event()
    read_weights = quiz_selectors.scoring_questions

    def scoring_questions_then_pause(**kwargs):
        questions = read_weights(**kwargs)
        scoring.set()  # the version is stamped; the submission's transaction is still open
        release.wait(timeout=30)
        return questions

    monkeypatch.setattr(quiz_selectors, "scoring_questions", scoring_questions_then_pause)
    outcome: dict[str, object] = {}

    def answer():
        try:
            outcome["result"], _ = assessment_submit(
                version=version,
                answers=answers.items(),
                client_id=uuid.uuid4(),
                user=UserFactory(),
            )
        finally:
            connection.close()

    def edit():
        try:
            authoring.weights_update(
                version=version, weights={(weight.choice_id, weight.role_id): weight.weight + 1}
            )
            outcome["edit"] = "saved"
        except FrozenVersionError:
            outcome["edit"] = "frozen"
        finally:
            connection.close()

    answering = threading.Thread(target=answer)
    answering.start()
    assert scoring.wait(timeout=30)
    editing = threading.Thread(target=edit)
    editing.start()
    editing.join(timeout=1)
    still_waiting = editing.is_alive()  # it must be waiting for the submission's lock
    release.set()
    answering.join(timeout=30)
    editing.join(timeout=30)

    assert still_waiting
    assert outcome["edit"] == "frozen"
    assert ChoiceWeight.objects.get(pk=weight.pk).weight == weight.weight  # as scored
    assert is_frozen(version) and outcome["result"] is not None
