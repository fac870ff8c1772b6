"""An old assessment read under the current quiz version (rescoring.py): the version's keyed
questions, the preview (what carries over, what is still to answer, the comparison), and the
one presenter of the comparison for the page and the API."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core import caching
from quizzes import scoring
from quizzes import selectors as quiz_selectors
from quizzes.models import QuizVersion

from .. import rescoring
from ..answers import answers_validate
from ..models import Assessment


@dataclass(frozen=True)
class VersionKeys:
    """A version's questions by their keys, as the comparison takes them, and the ids the site
    and the API use for them."""

    questions: list[rescoring.KeyedQuestion]
    question_ids: dict[str, int]  # question key -> id
    choice_ids: dict[str, dict[str, int]]  # question key -> choice key -> id
    choice_keys: dict[int, tuple[str, str]]  # choice id -> (question key, choice key)
    roles: list[str]  # the roles its weights name, in catalog order


def _version_keys(version: QuizVersion) -> VersionKeys:
    questions = quiz_selectors.question_list(version=version, with_weights=True)
    order = {role.slug: index for index, role in enumerate(quiz_selectors.role_list_for_scoring())}
    named: set[str] = set()
    keyed = []
    for question in questions:
        choices = {}
        for choice in question.choices.all():
            choices[choice.key] = {w.role.slug: w.weight for w in choice.weights.all()}
            named.update(choices[choice.key])
        keyed.append(
            rescoring.KeyedQuestion(
                key=question.key,
                text=question.text,
                choices=choices,
                choice_texts={choice.key: choice.text for choice in question.choices.all()},
            )
        )
    return VersionKeys(
        questions=keyed,
        question_ids={question.key: question.pk for question in questions},
        choice_ids={q.key: {c.key: c.pk for c in q.choices.all()} for q in questions},
        choice_keys={c.pk: (q.key, c.key) for q in questions for c in q.choices.all()},
        roles=sorted(named, key=lambda slug: order.get(slug, len(order))),
    )


def version_keys(*, version: QuizVersion) -> VersionKeys:
    """version's questions by key, read once per catalog version."""
    return caching.catalog_data(name=f"keys:{version.pk}", build=lambda: _version_keys(version))


@dataclass(frozen=True)
class RescorePreview:
    """An old result beside the current version: what carries over, what is still to answer,
    and (once everything is answered) the comparison."""

    assessment: Assessment
    to_version: QuizVersion
    carried: dict[str, str]  # question key -> choice key
    fresh: dict[str, str]  # answers given for the new questions
    missing: list[str]  # keys of new questions still to answer, in order
    old_keys: VersionKeys
    new_keys: VersionKeys
    comparison: rescoring.Comparison | None
    # role slug -> name, in catalog order (read with the comparison; empty before it)
    role_names: dict[str, str] = field(default_factory=dict)

    @property
    def missing_ids(self) -> list[int]:
        return [self.new_keys.question_ids[key] for key in self.missing]


def rescore_preview(
    *, assessment: Assessment, answers: Iterable[tuple[object, object]] = ()
) -> RescorePreview:
    """The current version's reading of `assessment` with `answers` ((question id, choice id)
    for new questions only). ValidationError at `detail` for a result already on the current
    version (or with none open); InvalidAnswers for an answer that is not for a new question."""
    try:
        to_version = quiz_selectors.current_version_get(quiz_slug=assessment.version.quiz.slug)
    except QuizVersion.DoesNotExist:
        raise ValidationError({"detail": _("No quiz version is open to read it under.")}) from None
    if to_version.pk == assessment.version_id:
        raise ValidationError({"detail": _("This result is already on the current questions.")})
    old_keys = version_keys(version=assessment.version)
    new_keys = version_keys(version=to_version)
    old_answers = dict(
        old_keys.choice_keys[answer.choice_id]
        for answer in assessment.answers.all()
        if answer.choice_id in old_keys.choice_keys
    )
    carried, still = rescoring.carried_answers(old_answers, new_keys.questions)
    chosen = answers_validate(
        choices_of={
            new_keys.question_ids[key]: set(new_keys.choice_ids[key].values()) for key in still
        },
        answers=answers,
        carried={new_keys.question_ids[key] for key in carried},
        complete=False,
    )
    fresh = {
        new_keys.choice_keys[choice_id][0]: new_keys.choice_keys[choice_id][1]
        for choice_id in chosen.values()
    }
    missing = [key for key in still if key not in fresh]
    comparison, role_names = None, {}
    if not missing:
        roles = quiz_selectors.role_list_for_scoring()
        role_names = {role.slug: role.name for role in roles}
        comparison = rescoring.compare(
            old_questions=old_keys.questions,
            old_answers=old_answers,
            old_roles=[score.role.slug for score in assessment.scores.all()] or old_keys.roles,
            new_questions=new_keys.questions,
            new_answers={**carried, **fresh},
            new_roles=list(role_names),
        )
    return RescorePreview(
        assessment=assessment,
        to_version=to_version,
        carried=carried,
        fresh=fresh,
        missing=missing,
        old_keys=old_keys,
        new_keys=new_keys,
        comparison=comparison,
        role_names=role_names,
    )


# The comparison as the page and the API show it -------------------------------------------


@dataclass(frozen=True)
class ReadingScore:
    role: str
    role_name: str
    percent: int


@dataclass(frozen=True)
class ReadingShown:
    """A reading: each role's fit, best first, and its margin."""

    scores: list[ReadingScore]
    margin: int

    @property
    def top_role(self) -> str:
        return self.scores[0].role

    @property
    def top(self) -> ReadingScore:
        return self.scores[0]

    @property
    def runner_up(self) -> ReadingScore | None:
        return self.scores[1] if len(self.scores) > 1 else None

    @property
    def margin_words(self) -> str:
        """ "a clear lean" or "a close call" in the active language."""
        return _(scoring.margin_in_words(self.margin))

    def percent(self, role: str) -> int | None:
        return next((score.percent for score in self.scores if score.role == role), None)


@dataclass(frozen=True)
class Effect:
    role: str
    role_name: str
    points: float  # percentage points, to one decimal


@dataclass(frozen=True)
class ChangeShown:
    kind: str  # rescoring.REMOVED, REWEIGHTED or ANSWERED
    question: int  # its id in its version: the result's for a removed one, else the current
    question_text: str
    answer: str
    effects: list[Effect]


@dataclass(frozen=True)
class FitChange:
    role_name: str
    before: int | None  # None: not scored then
    after: int | None  # None: not scored now
    change: int | None  # percentage points, None unless scored both then and now


@dataclass(frozen=True)
class RescoreComparison:
    """One result beside its reading under the current questions, as the page and the API
    show it. `new`, `changes` and `fits` are empty while `missing` is not."""

    assessment: Assessment
    to_version: QuizVersion
    old: ReadingShown  # the result as saved (what the comparison's old reading recomputes)
    new: ReadingShown | None
    changes: list[ChangeShown]
    fits: list[FitChange]  # every role then and now, in catalog order
    missing: list[int]  # ids of the new questions still to answer, in order
    carried: int  # how many of the result's answers carry over

    @property
    def from_version(self) -> int:
        return self.assessment.version_id

    @property
    def from_version_number(self) -> int:
        return self.assessment.version.number

    @property
    def to_version_number(self) -> int:
        return self.to_version.number

    def changes_of(self, kind: str) -> list[ChangeShown]:
        return [change for change in self.changes if change.kind == kind]


def _points(value) -> float:
    return round(float(value), 1) + 0.0  # + 0.0: never a "-0.0"


def rescore_comparison(*, preview: RescorePreview) -> RescoreComparison:
    """The preview as shown (no query: the result's scores are loaded with it, the roles
    with the comparison)."""
    assessment, comparison = preview.assessment, preview.comparison
    old = ReadingShown(
        scores=[
            ReadingScore(role=score.role.slug, role_name=score.role.name, percent=score.percent)
            for score in assessment.scores.all()
        ],
        margin=assessment.margin,
    )
    if comparison is None:
        return RescoreComparison(
            assessment=assessment,
            to_version=preview.to_version,
            old=old,
            new=None,
            changes=[],
            fits=[],
            missing=preview.missing_ids,
            carried=len(preview.carried),
        )
    # Every role in catalog order, then any the result was scored for that is gone since.
    names = dict(preview.role_names)
    for score in old.scores:
        names.setdefault(score.role, score.role_name)
    new = ReadingShown(
        scores=[
            ReadingScore(
                role=fit.role, role_name=names.get(fit.role, fit.role), percent=fit.percent
            )
            for fit in comparison.new.fits
        ],
        margin=comparison.new.margin,
    )
    ids = {
        rescoring.REMOVED: preview.old_keys.question_ids,
        rescoring.REWEIGHTED: preview.new_keys.question_ids,
        rescoring.ANSWERED: preview.new_keys.question_ids,
    }
    fits = []
    for slug, name in names.items():
        before, after = old.percent(slug), new.percent(slug)
        if before is not None or after is not None:
            change = after - before if before is not None and after is not None else None
            fits.append(FitChange(role_name=name, before=before, after=after, change=change))
    return RescoreComparison(
        assessment=assessment,
        to_version=preview.to_version,
        old=old,
        new=new,
        changes=[
            ChangeShown(
                kind=change.kind,
                question=ids[change.kind][change.question],
                question_text=change.text,
                answer=change.answer,
                effects=[
                    Effect(role=role, role_name=names.get(role, role), points=_points(points))
                    for role, points in change.effects.items()
                ],
            )
            for change in comparison.changes
        ],
        fits=fits,
        missing=preview.missing_ids,
        carried=len(preview.carried),
    )
