"""The figures count people, not results: each person's latest kept result per quiz version
counts (issue "Safe when the cache misbehaves", finding 2). The kept counts are recounted
under that rule (the kind "results" becomes "people"), so nobody has to remember to run
`rebuild_peer_counts` after deploying. The rule's pure parts come from assessments.peers;
"latest" is spelled here as Assessment.objects.counted() spells it."""

from collections import Counter

from django.db import migrations, models

from assessments import peers


def recount_people(apps, schema_editor):
    Assessment = apps.get_model("assessments", "Assessment")
    RoleScore = apps.get_model("assessments", "RoleScore")
    Answer = apps.get_model("assessments", "Answer")
    PeerCount = apps.get_model("assessments", "PeerCount")
    Role = apps.get_model("roles", "Role")

    later = Assessment.objects.filter(
        user_id=models.OuterRef("user_id"), version_id=models.OuterRef("version_id")
    ).filter(
        models.Q(created_at__gt=models.OuterRef("created_at"))
        | models.Q(created_at=models.OuterRef("created_at"), pk__gt=models.OuterRef("pk"))
    )
    counted = list(
        Assessment.objects.filter(user__isnull=False)
        .exclude(models.Exists(later))
        .values_list("pk", "version_id", "top_role__slug", "language")
    )
    ids = [row[0] for row in counted]
    percents: dict = {}
    for assessment_id, role, percent in RoleScore.objects.filter(
        assessment_id__in=ids
    ).values_list("assessment_id", "role__slug", "percent"):
        percents.setdefault(assessment_id, {})[role] = percent
    choices: dict = {}
    for assessment_id, choice_id in Answer.objects.filter(assessment_id__in=ids).values_list(
        "assessment_id", "choice_id"
    ):
        choices.setdefault(assessment_id, []).append(choice_id)
    reference = Role.objects.order_by("order", "name").values_list("slug", flat=True).first()
    by_version: dict[int, Counter] = {}
    for pk, version_id, top_role, language in counted:
        by_version.setdefault(version_id, Counter()).update(
            peers.counted_keys(
                percents=percents.get(pk, {}),
                reference=reference or "",
                top_role=top_role,
                choice_ids=choices.get(pk, []),
                language=language,
            )
        )
    PeerCount.objects.all().delete()
    PeerCount.objects.bulk_create(
        PeerCount(version_id=version_id, kind=kind, key=key, count=count)
        for version_id, counts in by_version.items()
        for (kind, key), count in counts.items()
        if count
    )


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0001_initial"),
        ("roles", "0005_texts_per_language"),
    ]

    operations = [
        migrations.AlterField(
            model_name="peercount",
            name="kind",
            field=models.CharField(
                choices=[
                    ("people", "people"),
                    ("lean", "lean"),
                    ("top", "top"),
                    ("choice", "choice"),
                    ("language", "language"),
                ],
                max_length=10,
            ),
        ),
        migrations.RunPython(recount_people, migrations.RunPython.noop),
    ]
