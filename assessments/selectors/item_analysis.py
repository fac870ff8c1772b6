"""Item analysis of one quiz version, for editors (the version's admin page, through
settings.QUIZ_ITEM_ANALYSIS, so the instrument never imports people's data): per question the
spread of its choices, its corrected item-total correlation, alpha if it were left out, and
how often the people who picked each choice said their result felt right. The arithmetic is
quizzes.evidence's; the scores are the same item scores as the methodology's alpha.

People rule: nothing until settings.PEERS_MIN_RESULTS people are counted on the version (each
by their latest result); agreement by choice only where 5 or more said yes and 5 or more did
not (peers.shown_share). The spread is shown exactly, as shares: editors need it to see a
choice nobody picks, and it names nobody."""

from dataclasses import dataclass, field

from django.conf import settings

from quizzes import evidence
from quizzes.models import ChoiceWeight, Question, QuizVersion
from roles.models import Role

from .. import peers
from ..models import Answer, Assessment, ResultFeedback
from .evidence import ShownShare, shown_share

ONE_CHOICE_OVER = 90  # percent: a question nearly everyone answers the same tells little
LOW_CORRELATION = 0.2

SORTS = {
    "order": lambda row: row.order,
    "spread": lambda row: row.top_percent,
    "correlation": lambda row: (row.correlation is None, row.correlation or 0),
    "alpha_without": lambda row: (row.alpha_without is None, row.alpha_without or 0),
}


@dataclass(frozen=True)
class ChoiceRow:
    choice_id: int
    key: str
    text: str
    percent: int  # of the people counted, who picked it
    agreement: ShownShare  # of those who picked it and answered, who said it felt right


@dataclass(frozen=True)
class QuestionRow:
    question_id: int
    order: int
    key: str
    text: str
    choices: list[ChoiceRow]
    correlation: float | None
    alpha_without: float | None

    @property
    def top_percent(self) -> int:
        return max((choice.percent for choice in self.choices), default=0)

    @property
    def one_choice(self) -> bool:
        return self.top_percent > ONE_CHOICE_OVER

    @property
    def low_correlation(self) -> bool:
        return self.correlation is not None and self.correlation < LOW_CORRELATION

    @property
    def negative(self) -> bool:
        return self.correlation is not None and self.correlation < 0


@dataclass(frozen=True)
class ItemAnalysis:
    version: QuizVersion
    people: int  # counted (not shown)
    minimum: int
    first_role: str = ""
    second_role: str = ""
    alpha: float | None = None
    low: float | None = None
    high: float | None = None
    questions: list[QuestionRow] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return self.people >= self.minimum

    @property
    def people_shown(self) -> int | None:
        return peers.shown_count(self.people)

    def sorted_by(self, key: str) -> list[QuestionRow]:
        """The questions sorted by one of SORTS ("-key": descending); unknown keys: order."""
        descending = key.startswith("-")
        sort = SORTS.get(key.lstrip("-"), SORTS["order"])
        return sorted(self.questions, key=sort, reverse=descending)


def item_analysis_get(*, version_id) -> ItemAnalysis | None:
    """The item analysis of a version (None when there is no such version): seven queries
    whatever the number of questions or people (the version, the roles, the questions, their
    choices, the weights, the counted answers, the feedback)."""
    version = QuizVersion.objects.select_related("quiz").filter(pk=version_id).first()
    if version is None:
        return None
    least = settings.PEERS_MIN_RESULTS
    roles = list(Role.objects.order_by("order", "name").values_list("slug", "name")[:2])
    questions = list(
        Question.objects.filter(version=version, is_tie_breaker=False)
        .order_by("order", "pk")
        .prefetch_related("choices")
    )
    weights: dict[int, dict[int, dict[str, int]]] = {q.pk: {} for q in questions}
    for question_id, choice_id, role, weight in ChoiceWeight.objects.filter(
        choice__question__version=version, choice__question__is_tie_breaker=False
    ).values_list("choice__question_id", "choice_id", "role__slug", "weight"):
        weights[question_id].setdefault(choice_id, {})[role] = weight
    counted = Assessment.objects.counted().filter(version=version)
    answers: dict[object, dict[int, int]] = {}
    # The quiz's own questions: tie-breakers are answered by close calls only, a sample
    # of their own.
    for assessment_id, question_id, choice_id in Answer.objects.filter(
        assessment__in=counted, question__is_tie_breaker=False
    ).values_list("assessment_id", "question_id", "choice_id"):
        answers.setdefault(assessment_id, {})[question_id] = choice_id
    people = len(answers)
    if people < least or len(roles) < 2:
        return ItemAnalysis(version=version, people=people, minimum=least)
    feels_right: dict[object, bool] = dict(
        ResultFeedback.objects.filter(assessment__in=counted).values_list(
            "assessment_id", "feels_right"
        )
    )
    (first, first_name), (second, second_name) = roles
    maxima = {q: evidence.question_maxima(choices) for q, choices in weights.items()}
    complete = [chosen for chosen in answers.values() if len(chosen) == len(questions)]
    matrix = [
        [
            evidence.item_score(weights[q.pk].get(chosen[q.pk], {}), maxima[q.pk], first, second)
            for q in questions
        ]
        for chosen in complete
    ]
    alpha = evidence.cronbach_alpha(matrix)
    interval = (
        evidence.feldt_interval(alpha, people=len(matrix), questions=len(questions))
        if alpha is not None
        else None
    )
    correlations = evidence.corrected_item_total(matrix) if matrix else []
    without = evidence.alpha_if_deleted(matrix) if matrix else []
    picked: dict[int, int] = {}
    agreed: dict[int, list[int]] = {}  # choice -> [answers, yes]
    for result, chosen in answers.items():
        for choice_id in chosen.values():
            picked[choice_id] = picked.get(choice_id, 0) + 1
            if result in feels_right:
                row = agreed.setdefault(choice_id, [0, 0])
                row[0] += 1
                row[1] += feels_right[result]
    rows = []
    for index, question in enumerate(questions):
        rows.append(
            QuestionRow(
                question_id=question.pk,
                order=index + 1,
                key=question.key,
                text=question.text,
                choices=[
                    ChoiceRow(
                        choice_id=choice.pk,
                        key=choice.key,
                        text=choice.text,
                        percent=peers.percent_of(picked.get(choice.pk, 0), people),
                        agreement=shown_share(
                            agreed.get(choice.pk, [0, 0])[1], agreed.get(choice.pk, [0, 0])[0]
                        ),
                    )
                    for choice in question.choices.all()
                ],
                correlation=_rounded(correlations[index] if correlations else None),
                alpha_without=_rounded(without[index] if without else None),
            )
        )
    return ItemAnalysis(
        version=version,
        people=people,
        minimum=least,
        first_role=first_name,
        second_role=second_name,
        alpha=_rounded(alpha),
        low=_rounded(interval[0] if interval else None),
        high=_rounded(interval[1] if interval else None),
        questions=rows,
    )


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
