"""Results record the question after which they were settled (quizzes.evidence.settled_after);
the results already saved get it worked out from their answers, as a submission does now."""

from django.db import migrations, models

from quizzes.evidence import settled_after


def settle_saved_results(apps, schema_editor):
    Assessment = apps.get_model("assessments", "Assessment")
    Answer = apps.get_model("assessments", "Answer")
    ChoiceWeight = apps.get_model("quizzes", "ChoiceWeight")
    Question = apps.get_model("quizzes", "Question")
    Role = apps.get_model("roles", "Role")
    roles = list(Role.objects.order_by("order", "name").values_list("slug", flat=True))
    # Read version by version, so memory stays bounded by one version's answers.
    for version_id in Assessment.objects.values_list("version_id", flat=True).distinct():
        questions = list(
            Question.objects.filter(version_id=version_id)
            .order_by("order", "pk")
            .values_list("pk", flat=True)
        )
        choices: dict[int, dict[int, dict[str, int]]] = {q: {} for q in questions}
        for question_id, choice_id, role, weight in ChoiceWeight.objects.filter(
            choice__question__version_id=version_id
        ).values_list("choice__question_id", "choice_id", "role__slug", "weight"):
            choices[question_id].setdefault(choice_id, {})[role] = weight
        for question_id, choice_id in Answer.objects.filter(
            assessment__version_id=version_id
        ).values_list("question_id", "choice_id"):
            choices[question_id].setdefault(choice_id, {})  # a choice with no weights
        answers: dict[object, dict[int, int]] = {}
        for assessment_id, question_id, choice_id in Answer.objects.filter(
            assessment__version_id=version_id
        ).values_list("assessment_id", "question_id", "choice_id"):
            answers.setdefault(assessment_id, {})[question_id] = choice_id
        for assessment_id, chosen in answers.items():
            if set(chosen) != set(questions) or not roles:
                continue
            settled = settled_after(
                [choices[q] for q in questions], [chosen[q] for q in questions], roles
            )
            Assessment.objects.filter(pk=assessment_id).update(settled_at_question=settled)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0002_peer_counts_count_people"),
        ("quizzes", "0010_people_data_moves_to_assessments"),
        ("roles", "0005_texts_per_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="settled_at_question",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="The question (in the order asked) after which no answers to the rest "
                "could have changed the top role; empty on results saved before it was "
                "recorded.",
                null=True,
            ),
        ),
        migrations.RunPython(settle_saved_results, migrations.RunPython.noop),
    ]
