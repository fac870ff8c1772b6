"""Writes of quizzes and assessments. The web views and the API both call these."""

import secrets
import uuid
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core import caching
from quizzes import scoring
from quizzes import selectors as quiz_selectors
from quizzes.models import QuizVersion

from . import peers, selectors
from .models import (
    FEEDBACK_COMMENT_MAX,
    SHARE_LINKS_LIVE_MAX,
    Answer,
    Assessment,
    AssessmentProgress,
    PeerCount,
    RecommendedTool,
    ResultFeedback,
    RoleScore,
    ShareLink,
)


@dataclass
class InvalidAnswers(Exception):
    """The answers can't be scored. Messages are keyed by question id where one is to blame."""

    by_question: dict[int, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def __str__(self):
        return "; ".join([*self.general, *self.by_question.values()])


CLIENT_ID_TAKEN = gettext_lazy("This client_id was already used for another assessment.")


class ClientIdTaken(Exception):
    """The client_id belongs to an assessment of someone else (or, to re-score, any other)."""


def answers_validate(
    *, questions: list[scoring.QuestionWeights], answers: Iterable[tuple[int, int]]
) -> dict[int, int]:
    """Check a list of (question id, choice id) pairs against a version's questions.

    Every question must be answered exactly once, with one of its own choices. Returns the
    answers as a question id -> choice id mapping; raises InvalidAnswers naming each problem.
    """
    choices_of = {question.question_id: set(question.choices) for question in questions}
    errors = InvalidAnswers()
    chosen: dict[int, int] = {}
    for question_id, choice_id in answers:
        if question_id not in choices_of:
            errors.general.append(
                _("Question %(id)s is not part of this quiz version.") % {"id": question_id}
            )
        elif question_id in chosen:
            errors.by_question[question_id] = _("This question was answered more than once.")
        elif choice_id not in choices_of[question_id]:
            errors.by_question[question_id] = _("That choice does not belong to this question.")
        else:
            chosen[question_id] = choice_id
    for question in questions:
        question_id = question.question_id
        if question_id not in chosen and question_id not in errors.by_question:
            errors.by_question[question_id] = _("Please answer this question.")
    if errors.by_question or errors.general:
        raise errors
    return chosen


@transaction.atomic
def assessment_submit(
    *,
    version: QuizVersion,
    answers: Iterable[tuple[int, int]],
    client_id: uuid.UUID,
    user=None,
    anonymous_results: Collection[str] = (),
    anonymous_attempt: uuid.UUID | None = None,
    rescored_from: Assessment | None = None,
    language: str = settings.LANGUAGE_CODE,
) -> tuple[Assessment, bool]:
    """Score and save an assessment; returns (assessment, created). `language` is the one the
    questions were shown in (the same questions and weights in every language): kept with the
    result so the methodology figures can be split by it.

    Idempotent on client_id: sending the same submission again returns the assessment that it
    created the first time, even when two copies race each other. An anonymous submission is
    only given back to the browser that made it (`anonymous_results`, or the attempt its
    session holds, `anonymous_attempt`): a client_id alone proves nothing. Runs a fixed number
    of queries whatever the number of questions (bulk inserts).
    """
    owner_id = user.pk if user is not None and user.is_authenticated else None
    proof = (anonymous_results, anonymous_attempt)
    existing = _assessment_for_client_id(client_id, owner_id, proof)
    if existing is not None:
        return existing, False
    if version.status != QuizVersion.Status.PUBLISHED:
        raise InvalidAnswers(general=[_("This quiz version is not open for answers.")])
    QuizVersion.objects.mark_answered(version.pk)

    questions = quiz_selectors.scoring_questions(version=version)
    chosen = answers_validate(questions=questions, answers=answers)
    roles = quiz_selectors.role_list_for_scoring()
    result = scoring.score(questions, chosen, [role.slug for role in roles])
    role_by_slug = {role.slug: role for role in roles}

    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                user_id=owner_id,
                version=version,
                client_id=client_id,
                top_role=role_by_slug[result.top_role],
                margin=result.margin,
                rescored_from=rescored_from,
                language=language
                if language in dict(settings.LANGUAGES)
                else settings.LANGUAGE_CODE,
            )
    except IntegrityError:
        # A copy of this submission won the race; it is the one to return.
        existing = _assessment_for_client_id(client_id, owner_id, proof)
        if existing is None:
            raise
        return existing, False

    RoleScore.objects.bulk_create(
        RoleScore(
            assessment=assessment,
            role=role_by_slug[fit.role],
            rank=rank,
            percent=fit.percent,
            points=fit.points,
            max_points=fit.max_points,
        )
        for rank, fit in enumerate(result.fits, start=1)
    )
    reason_rank = {reason.question_id: rank for rank, reason in enumerate(result.reasons, start=1)}
    Answer.objects.bulk_create(
        Answer(
            assessment=assessment,
            question_id=question.question_id,
            choice_id=chosen[question.question_id],
            reason_rank=reason_rank.get(question.question_id),
        )
        for question in questions
    )
    RecommendedTool.objects.bulk_create(
        RecommendedTool(assessment=assessment, tool_id=tool_id, rank=rank)
        for rank, tool_id in enumerate(
            selectors.tool_ids_to_learn_first(role=role_by_slug[result.top_role]), start=1
        )
    )
    if owner_id is not None:
        # A submission ends the attempt: the unfinished answers it was built from go.
        AssessmentProgress.objects.filter(user_id=owner_id).delete()
        # A kept result counts among everyone's at once (an anonymous one once it is claimed).
        keys = peers.counted_keys(
            percents={fit.role: fit.percent for fit in result.fits},
            reference=roles[0].slug,
            top_role=result.top_role,
            choice_ids=chosen.values(),
            language=assessment.language,
        )
        _peer_counts_change({version.pk: Counter(keys)})
    caching.history_changed(owner_id)
    return assessment, True


def _assessment_for_client_id(client_id, owner_id, proof) -> Assessment | None:
    existing = Assessment.objects.filter(client_id=client_id).first()
    if existing is None:
        return None
    anonymous_results, anonymous_attempt = proof
    browsers_own = str(existing.pk) in anonymous_results or existing.client_id == anonymous_attempt
    if existing.user_id != owner_id or (owner_id is None and not browsers_own):
        raise ClientIdTaken(CLIENT_ID_TAKEN)
    return existing


@transaction.atomic
def assessment_delete(*, assessment_id, user) -> None:
    """Delete one of the user's own assessments; Assessment.DoesNotExist for anyone else's."""
    assessment = Assessment.objects.owned_by(user).select_for_update().get(pk=assessment_id)
    _peer_counts_change(_counted(Assessment.objects.filter(pk=assessment.pk)), sign=-1)
    _cards_forget_on_commit([assessment.pk])
    assessment.delete()
    caching.history_changed(user.pk)


@dataclass
class Progress:
    """An attempt's unfinished answers: the version, the attempt's client_id, and question id
    to choice id."""

    version_id: int
    client_id: uuid.UUID
    answers: dict[int, int] = field(default_factory=dict)
    is_new: bool = False  # nothing stored yet: the first page has not been posted


@transaction.atomic
def anonymous_work_claim(
    *, user, assessment_ids: Iterable[str], unfinished: Progress | None
) -> int:
    """What a browser did before its person signed up or logged in becomes theirs: the
    assessments it took (returns how many), and its unfinished answers unless the account
    already has some. Called by name from every log-in path (site, sign-up, API)."""
    ids = list(assessment_ids)
    claimed = 0
    if ids:
        unclaimed = Assessment.objects.select_for_update().filter(pk__in=ids, user__isnull=True)
        claimed_ids = list(unclaimed.values_list("pk", flat=True))
        claimed = Assessment.objects.filter(pk__in=claimed_ids).update(user=user)
        _peer_counts_change(_counted(Assessment.objects.filter(pk__in=claimed_ids)))
        caching.history_changed(user.pk)
    if unfinished is not None and not AssessmentProgress.objects.filter(user=user).exists():
        version = QuizVersion.objects.filter(pk=unfinished.version_id).first()
        if version is not None:
            progress_save(
                user=user,
                version=version,
                client_id=unfinished.client_id,
                answers=unfinished.answers,
            )
    return claimed


@transaction.atomic
def progress_save(
    *, user, version: QuizVersion, client_id: uuid.UUID, answers: dict[int, int]
) -> AssessmentProgress:
    """Keep a logged-in person's unfinished answers so they can resume later."""
    progress, _created = AssessmentProgress.objects.update_or_create(
        user=user,
        defaults={
            "version": version,
            "client_id": client_id,
            "answers": {str(question_id): choice_id for question_id, choice_id in answers.items()},
        },
    )
    return progress


@transaction.atomic
def progress_clear(*, user) -> None:
    """Forget a logged-in person's unfinished answers (they start again)."""
    AssessmentProgress.objects.filter(user=user).delete()


# Everyone's results as counted (peers.py) ---------------------------------------------------


def _counted(assessments) -> dict[int, Counter]:
    """What the given assessments add to the kept counts, by quiz version (three queries
    whatever their number)."""
    rows = list(assessments.values_list("pk", "version_id", "top_role__slug", "language"))
    if not rows:
        return {}
    ids = [row[0] for row in rows]
    percents: dict[uuid.UUID, dict[str, int]] = {}
    for assessment_id, role, percent in RoleScore.objects.filter(assessment_id__in=ids).values_list(
        "assessment_id", "role__slug", "percent"
    ):
        percents.setdefault(assessment_id, {})[role] = percent
    choices: dict[uuid.UUID, list[int]] = {}
    for assessment_id, choice_id in Answer.objects.filter(assessment_id__in=ids).values_list(
        "assessment_id", "choice_id"
    ):
        choices.setdefault(assessment_id, []).append(choice_id)
    reference = selectors.peers_reference_role()
    by_version: dict[int, Counter] = {}
    for pk, version_id, top_role, language in rows:
        keys = peers.counted_keys(
            percents=percents.get(pk, {}),
            reference=reference,
            top_role=top_role,
            choice_ids=choices.get(pk, []),
            language=language,
        )
        by_version.setdefault(version_id, Counter()).update(keys)
    return by_version


def _peer_counts_change(by_version: dict[int, Counter], *, sign: int = 1) -> None:
    """Add (or with sign=-1 take) counts in one statement: an upsert that adds to the stored
    count in the database, so two submissions at once never lose one another's count. Rows
    go in one order, so concurrent upserts lock them in the same order (no deadlock)."""
    rows = [
        (version_id, kind, key, sign * count)
        for version_id, counts in sorted(by_version.items())
        for (kind, key), count in sorted(counts.items())
        if count
    ]
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(PeerCount._meta.db_table)
    version, kind, key, count = (quote(name) for name in ("version_id", "kind", "key", "count"))
    values = ", ".join(["(%s, %s, %s, %s)"] * len(rows))
    sql = (
        f"INSERT INTO {table} ({version}, {kind}, {key}, {count}) VALUES {values} "
        f"ON CONFLICT ({version}, {kind}, {key}) "
        f"DO UPDATE SET {count} = {table}.{count} + EXCLUDED.{count}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])
    caching.peers_changed()


@transaction.atomic
def peer_counts_forget_user(*, user) -> None:
    """Before an account goes: its results stop counting (in the same transaction)."""
    _peer_counts_change(_counted(Assessment.objects.filter(user=user)), sign=-1)


@transaction.atomic
def peer_counts_rebuild() -> dict[int, Counter]:
    """Count everyone's kept results afresh and replace the kept counts with them (for the
    `rebuild_peer_counts` command: after restoring a backup or reordering roles)."""
    # Lock the counts first, so no submission adds to them while they are rebuilt.
    list(PeerCount.objects.select_for_update().values_list("pk", flat=True))
    PeerCount.objects.all().delete()
    counted = _counted(Assessment.objects.filter(user__isnull=False))
    _peer_counts_change(counted)
    caching.peers_changed()  # also when nothing is left to count
    return counted


# "Does this feel right?" ---------------------------------------------------------------------


def _has_lone_surrogate(text: str) -> bool:
    """JSON may escape half of a character ("\\ud83d"); no database can store the result."""
    return any("\ud800" <= character <= "\udfff" for character in text)


@transaction.atomic
def feedback_set(
    *, assessment_id, user, feels_right: object, comment: object = ""
) -> ResultFeedback:
    """Set the owner's answer on one of their results (one per result, changeable).
    Assessment.DoesNotExist for anyone else's; ValidationError naming the field."""
    assessment = Assessment.objects.owned_by(user).get(pk=assessment_id)
    errors = {}
    if not isinstance(feels_right, bool):
        errors["feels_right"] = _("Say yes or not really.")
    if comment is None:
        comment = ""
    if not isinstance(comment, str):
        errors["comment"] = _("The comment must be text.")
    else:
        comment = comment.strip()
        if len(comment) > FEEDBACK_COMMENT_MAX:
            errors["comment"] = _("Keep the comment to %(max)s characters (it has %(count)s).") % {
                "max": FEEDBACK_COMMENT_MAX,
                "count": len(comment),
            }
        elif "\x00" in comment or _has_lone_surrogate(comment):
            errors["comment"] = _("The comment holds a character we can't keep.")
    if errors:
        raise ValidationError(errors)
    assert isinstance(feels_right, bool) and isinstance(comment, str)  # checked above
    feedback, _created = ResultFeedback.objects.update_or_create(
        assessment=assessment, defaults={"feels_right": feels_right, "comment": comment}
    )
    caching.history_changed(user.pk)
    return feedback


@transaction.atomic
def feedback_delete(*, assessment_id, user) -> None:
    """Take back the owner's answer; Assessment.DoesNotExist for anyone else's result."""
    assessment = Assessment.objects.owned_by(user).get(pk=assessment_id)
    ResultFeedback.objects.filter(assessment=assessment).delete()
    caching.history_changed(user.pk)


# Reading an old result under the current version ---------------------------------------------


def assessment_rescore(
    *,
    assessment_id,
    user,
    answers: Iterable[tuple[object, object]],
    client_id: uuid.UUID,
    language: str = settings.LANGUAGE_CODE,
) -> tuple[Assessment, bool]:
    """Save the current version's reading of one of the person's results as a new result that
    links back to it (the old one stays as it was); `answers` are for the new questions only.
    Retry-safe like a submission: the same client_id again returns the same new result.
    Assessment.DoesNotExist for anyone else's result; ValidationError for bad answers;
    ClientIdTaken for a client_id of any other result."""
    assessment = selectors.assessment_get_owned(assessment_id=assessment_id, user=user)
    replayed = Assessment.objects.filter(
        client_id=client_id, user=user, rescored_from=assessment
    ).first()
    if replayed is not None:
        return replayed, False
    # Used for any other result (even the person's own), it is not this save's retry.
    if selectors.client_id_taken(client_id=client_id):
        raise ClientIdTaken(CLIENT_ID_TAKEN)
    preview = selectors.rescore_preview(assessment=assessment, answers=answers)
    if preview.missing:
        raise ValidationError(
            {
                "answers": [
                    ngettext(
                        "Answer every new question first (%(count)s left).",
                        "Answer every new question first (%(count)s left).",
                        len(preview.missing),
                    )
                    % {"count": len(preview.missing)}
                ]
            }
        )
    keys = preview.new_keys
    chosen = {**preview.carried, **preview.fresh}
    return assessment_submit(
        version=preview.to_version,
        answers=[
            (keys.question_ids[key], keys.choice_ids[key][choice]) for key, choice in chosen.items()
        ],
        client_id=client_id,
        user=user,
        rescored_from=assessment,
        language=language,
    )


# Share links ---------------------------------------------------------------------------------

CARD_VARIANTS = ("anonymous", "named")
SHARE_TOKEN_BYTES = 24  # 32 URL-safe characters: unguessable


@transaction.atomic
def share_create(*, assessment_id, user, show_name: object = False) -> ShareLink:
    """A new private link to one of the person's results. Assessment.DoesNotExist for anyone
    else's; ValidationError beyond SHARE_LINKS_LIVE_MAX live links for one result."""
    if not isinstance(show_name, bool):
        raise ValidationError({"show_name": _("Say yes or no.")})
    # The result's row lock: two requests at once can't both slip under the limit.
    assessment = Assessment.objects.owned_by(user).select_for_update().get(pk=assessment_id)
    if ShareLink.objects.live().filter(assessment=assessment).count() >= SHARE_LINKS_LIVE_MAX:
        raise ValidationError(
            {
                "detail": _(
                    "A result can have at most %(max)s live links: revoke one you no longer "
                    "need first."
                )
                % {"max": SHARE_LINKS_LIVE_MAX}
            }
        )
    link = ShareLink.objects.create(
        assessment=assessment, token=secrets.token_urlsafe(SHARE_TOKEN_BYTES), show_name=show_name
    )
    caching.history_changed(user.pk)
    return link


def _cards_forget_on_commit(assessment_ids) -> None:
    results = [str(assessment_id) for assessment_id in assessment_ids]

    def forget() -> None:
        for result in results:
            caching.cards_forget(result=result, variants=CARD_VARIANTS)

    transaction.on_commit(forget)


def shares_forget_user(*, user) -> None:
    """Before an account goes: the cards of its shared results go too (its links cascade)."""
    _cards_forget_on_commit(
        ShareLink.objects.filter(assessment__user=user)
        .values_list("assessment_id", flat=True)
        .distinct()
    )


@transaction.atomic
def share_revoke(*, assessment_id, token: str, user) -> None:
    """Revoke one of the person's live links (ShareLink.DoesNotExist for anyone else's, an
    unknown or an already revoked one): it answers 404 from now on, everywhere, and when it
    was the result's last live link the result's cards are forgotten."""
    if not selectors.SHARE_TOKEN.fullmatch(token):
        raise ShareLink.DoesNotExist  # PostgreSQL refuses a NUL in a query: a 500, not a 404
    link = (
        ShareLink.objects.live()
        .select_for_update()
        .get(assessment__user=user, assessment_id=assessment_id, token=token)
    )
    link.revoked_at = timezone.now()
    link.save(update_fields=["revoked_at"])
    if not ShareLink.objects.live().filter(assessment_id=assessment_id).exists():
        _cards_forget_on_commit([assessment_id])
    caching.history_changed(user.pk)
