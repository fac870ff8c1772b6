"""A seeded set of people for the evidence figures: the shipped quiz (fixtures/) answered by
simulated people through the same services as the site, then the methodology's evidence and
the editors' item analysis printed as they would be shown.

    DATABASE_URL=sqlite:////tmp/evidence.sqlite3 python -m bench.evidence_seed --people 200

Never point it at a database with real people in it: it creates accounts. It refuses a
database that already holds results.

The people (deterministic for a --seed): each has a lean θ ~ N(0, 1) towards MLOps (+) or data
engineering (-). On each question they pick a choice with probability ∝ exp(a·θ·s + ε), where
s is the choice's item score (the signed lean, quizzes/evidence.py), a the question's
discrimination (uniform 0.6 to 1.8 per question) and ε noise per person, question and choice
(normal, sd 1.2). Whether a result "feels right": yes with probability
logistic(-0.6 + 0.05 · margin); 80% answer it. A close call answers the tie-breakers with
probability 0.6. A quarter of the people take the quiz again 15 to 85 days later with
θ + N(0, 0.35).
These are assumptions of the simulation, not findings: the figures show the pipeline working
on a plausible population, not evidence about the real quiz.
"""

import argparse
import json
import math
import os
import random
import uuid
from datetime import timedelta


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--seed", type=int, default=27)
    parser.add_argument("--json", action="store_true", help="Print GET methodology/'s evidence.")
    parser.add_argument(
        "--min-results",
        type=int,
        action="append",
        help="Report under this PEERS_MIN_RESULTS too (repeatable); default: the setting.",
    )
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careerguide.settings.base")
    os.environ.setdefault("DEBUG", "1")  # a developer's tool, like manage.py
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from assessments.models import Assessment

    if Assessment.objects.exists():
        raise SystemExit("This database already holds results: use an empty one.")
    call_command("load_content", verbosity=0)
    seed(options.people, random.Random(options.seed))
    from django.conf import settings
    from django.test.utils import override_settings

    for least in options.min_results or [settings.PEERS_MIN_RESULTS]:
        print(f"=== PEERS_MIN_RESULTS = {least}")
        with override_settings(PEERS_MIN_RESULTS=least):
            report(as_json=options.json)


def _item_scores(version):
    """Per main question: (question id, [(choice id, item score)])."""
    from quizzes import evidence
    from quizzes import selectors as quiz_selectors
    from roles.models import Role

    first, second = Role.objects.order_by("order", "name").values_list("slug", flat=True)[:2]
    rows = []
    for questions in (quiz_selectors.scoring_questions(version=version),):
        for question in questions:
            maxima = evidence.question_maxima(question.choices)
            rows.append(
                (
                    question.question_id,
                    [
                        (choice, evidence.item_score(weights, maxima, first, second))
                        for choice, weights in question.choices.items()
                    ],
                )
            )
    return rows


def _answers(rng, theta, items, discrimination):
    answers = []
    for (question_id, choices), a in zip(items, discrimination, strict=True):
        utilities = [a * theta * score + rng.gauss(0, 1.2) for _choice, score in choices]
        top = max(utilities)
        weights = [math.exp(u - top) for u in utilities]
        choice = rng.choices([choice for choice, _score in choices], weights=weights)[0]
        answers.append((question_id, choice))
    return answers


def seed(people: int, rng: random.Random) -> None:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from assessments.models import Assessment
    from assessments.services.assessment import assessment_submit
    from assessments.services.feedback import feedback_set
    from assessments.services.tie_breakers import tie_breakers_answer
    from quizzes import scoring
    from quizzes import selectors as quiz_selectors

    version = quiz_selectors.current_version_get()
    items = _item_scores(version)
    discrimination = [rng.uniform(0.6, 1.8) for _ in items]
    tie_items = [
        (question.question_id, [(choice, _lean(question, choice)) for choice in question.choices])
        for question in quiz_selectors.tie_breaker_scoring_questions(version=version)
    ]
    now = timezone.now()

    def take(user, theta, days_ago):
        result, _ = assessment_submit(
            version=version,
            answers=_answers(rng, theta, items, discrimination),
            client_id=uuid.uuid4(),
            user=user,
        )
        Assessment.objects.filter(pk=result.pk).update(created_at=now - timedelta(days=days_ago))
        result.refresh_from_db()
        if scoring.is_close_call(result.margin) and tie_items and rng.random() < 0.6:
            result = tie_breakers_answer(
                assessment_id=result.pk,
                user=user,
                answers=_answers(rng, theta, tie_items, [1.2] * len(tie_items)),
                client_id=uuid.uuid4(),
            )
        return result

    for index in range(people):
        # Made-up accounts nobody can log in to.
        user = get_user_model().objects.create_user(username=f"simulated-{index + 1}")
        theta = rng.gauss(0, 1)
        first_day = rng.uniform(90, 120)
        latest = take(user, theta, first_day)
        if rng.random() < 0.25:
            latest = take(user, theta + rng.gauss(0, 0.35), first_day - rng.uniform(15, 85))
        latest.refresh_from_db()
        p_yes = 1 / (1 + math.exp(-(-0.6 + 0.05 * latest.margin)))
        if rng.random() < 0.8:  # not everyone answers "does this feel right?"
            feedback_set(assessment_id=latest.pk, user=user, feels_right=rng.random() < p_yes)


def _lean(question, choice):
    from quizzes import evidence
    from roles.models import Role

    first, second = Role.objects.order_by("order", "name").values_list("slug", flat=True)[:2]
    return evidence.item_score(
        question.choices[choice], evidence.question_maxima(question.choices), first, second
    )


def report(*, as_json: bool) -> None:
    from assessments.api.evidence import EvidenceOutputSerializer
    from assessments.models import Assessment
    from assessments.selectors.evidence import definitions, evidence_list
    from assessments.selectors.item_analysis import item_analysis_get
    from quizzes import selectors as quiz_selectors

    evidence = evidence_list()
    if as_json:
        data = EvidenceOutputSerializer({"definitions": definitions(), "versions": evidence}).data
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return
    version = quiz_selectors.current_version_get()
    row = next(row for row in evidence if row.version.pk == version.pk)
    print(f"{version}: {Assessment.objects.count()} results, {row.people} people counted")
    print(
        "settled by tie-breakers:",
        Assessment.objects.filter(settled_by_tie_breakers=True).count(),
    )
    print("agreement by margin (answers, yes, share, Wilson 95%):")
    for band in row.bands:
        share = band.share
        span = f"{band.start}-{band.end - 1}" if band.end else f"{band.start}+"
        interval = f"[{share.low}, {share.high}]" if share.percent is not None else "-"
        print(f"  {band.band:6} {span:6} n={share.n} yes={share.yes} {share.percent}% {interval}")
    print("  rises with the margin:", row.rises)
    consistency = row.consistency
    if consistency is not None:
        print(
            f"alpha {consistency.alpha} Feldt 95% [{consistency.low}, {consistency.high}] "
            f"n={consistency.people} questions={consistency.questions}"
        )
    retest = row.retest
    if retest is not None:
        print(
            f"retest: n={retest.n} same={retest.yes} {retest.percent}% "
            f"[{retest.low}, {retest.high}] (people counted {row.retest_people})"
        )
    else:
        print(f"retest: not shown ({row.retest_people} people with a pair)")
    print(f"settled: median question {row.settled_median} of {row.questions};")
    for part in row.settled:
        print(f"  {part.from_percent}-{part.up_to_percent}% of the questions: {part.results}")
    analysis = item_analysis_get(version_id=version.pk)
    assert analysis is not None
    print(f"item analysis (alpha {analysis.alpha} [{analysis.low}, {analysis.high}]):")
    for question in analysis.sorted_by("correlation"):
        flags = [
            flag
            for flag, on in (
                ("ONE CHOICE >90%", question.one_choice),
                ("NEGATIVE", question.negative),
                ("r<0.2", question.low_correlation and not question.negative),
                (
                    "alpha rises without",
                    question.alpha_without is not None
                    and analysis.alpha is not None
                    and question.alpha_without > analysis.alpha,
                ),
            )
            if on
        ]
        print(
            f"  {question.order:2} {question.key:24} top choice {question.top_percent:3}% "
            f"r={question.correlation} alpha-without={question.alpha_without} "
            f"{' '.join(flags)}"
        )


if __name__ == "__main__":
    main()
