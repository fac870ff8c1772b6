"""The one check of a set of answers against a version's questions, for a submission and for
a re-scoring alike, and the one exception that names what is wrong with them."""

from collections.abc import Collection, Iterable, Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class InvalidAnswers(ValidationError):
    """The answers can't be scored. Messages are keyed by question id where one is to blame
    (`by_question`, for the form's fields), the others in `general`; as a ValidationError it
    holds them all at `answers`, as the API shows them."""

    def __init__(
        self, *, by_question: Mapping[int, str] | None = None, general: Iterable[str] = ()
    ):
        self.by_question = dict(by_question or {})
        self.general = list(general)
        messages = self.general + [
            _("Question %(id)s: %(message)s") % {"id": question_id, "message": message}
            for question_id, message in sorted(self.by_question.items())
        ]
        super().__init__({"answers": messages})


def answers_validate(
    *,
    choices_of: Mapping[int, Collection[int]],
    answers: Iterable[tuple[object, object]],
    carried: Collection[int] = (),
    complete: bool = True,
) -> dict[int, int]:
    """Check (question id, choice id) pairs against questions (`choices_of`: question id ->
    its choice ids): each question answered at most once, with one of its own choices, none
    of the `carried` ones (their earlier answers stand), and with `complete` every question
    answered. Returns question id -> choice id; raises InvalidAnswers naming each problem."""
    by_question: dict[int, str] = {}
    general: list[str] = []
    chosen: dict[int, int] = {}
    for question_id, choice_id in answers:
        if isinstance(question_id, int) and question_id in carried:
            general.append(
                _("Question %(id)s is not new: your answer to it carries over.")
                % {"id": question_id}
            )
        elif not isinstance(question_id, int) or question_id not in choices_of:
            general.append(
                _("Question %(id)s is not part of this quiz version.")
                % {"id": str(question_id)[:20]}
            )
        elif question_id in chosen or question_id in by_question:
            by_question[question_id] = _("This question was answered more than once.")
        elif not isinstance(choice_id, int) or choice_id not in choices_of[question_id]:
            by_question[question_id] = _("That choice does not belong to this question.")
        else:
            chosen[question_id] = choice_id
    if complete:
        for question_id in choices_of:
            if question_id not in chosen and question_id not in by_question:
                by_question[question_id] = _("Please answer this question.")
    if by_question or general:
        raise InvalidAnswers(by_question=by_question, general=general)
    return chosen
