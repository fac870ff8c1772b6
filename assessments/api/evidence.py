"""The evidence about each published version in the API (part of `GET methodology/`): the
same presenter as the methodology page (selectors.evidence.evidence_list)."""

from rest_framework import serializers

from quizzes import evidence

from .. import peers

ROUNDED = f"rounded to the nearest {peers.COUNT_STEP}; null when fewer than {peers.SMALLEST_GROUP}."


class EvidenceShareOutputSerializer(serializers.Serializer):
    n = serializers.IntegerField(allow_null=True, help_text="People it is out of, " + ROUNDED)
    yes = serializers.IntegerField(allow_null=True, help_text="Of them, those counted, " + ROUNDED)
    percent = serializers.IntegerField(
        allow_null=True,
        help_text="The share, from the rounded counts; null when fewer than "
        f"{peers.SMALLEST_GROUP} people are on one side.",
    )
    interval = serializers.SerializerMethodField(
        help_text="Wilson 95% interval in whole percent [low, high], from the rounded counts; "
        "null with `percent`."
    )

    def get_interval(self, share) -> list[int] | None:
        return None if share.percent is None else [share.low, share.high]


class BandOutputSerializer(serializers.Serializer):
    band = serializers.ChoiceField(choices=list(evidence.BANDS))
    margin_from = serializers.IntegerField(source="start", help_text="Points, included.")
    margin_to = serializers.IntegerField(
        source="end", allow_null=True, help_text="Points, excluded; null: no upper end."
    )
    answers = EvidenceShareOutputSerializer(source="share")


class ConsistencyOutputSerializer(serializers.Serializer):
    n = serializers.IntegerField(
        source="people", allow_null=True, help_text="People counted, " + ROUNDED
    )
    questions = serializers.IntegerField()
    alpha = serializers.FloatField(allow_null=True, help_text="Cronbach's alpha, 2 decimals.")
    interval = serializers.SerializerMethodField(
        help_text="Feldt 95% interval [low, high]; null with `alpha`."
    )

    def get_interval(self, consistency) -> list[float] | None:
        if consistency.alpha is None or consistency.low is None:
            return None
        return [consistency.low, consistency.high]


class SettledOutputSerializer(serializers.Serializer):
    from_percent = serializers.IntegerField(help_text="Settled after more than this share.")
    up_to_percent = serializers.IntegerField(
        help_text="Settled after at most this share of the quiz's questions."
    )
    results = serializers.IntegerField(allow_null=True, help_text="Results, " + ROUNDED)


class VersionEvidenceOutputSerializer(serializers.Serializer):
    version = serializers.IntegerField(source="version.pk", help_text="As `version` in a result.")
    version_number = serializers.IntegerField(source="version.number")
    shown = serializers.BooleanField(
        help_text="Whether `peers_min_results` people are counted, so figures may be shown."
    )
    people = serializers.IntegerField(
        source="people_shown", allow_null=True, help_text="People counted, " + ROUNDED
    )
    agreement_by_margin = BandOutputSerializer(
        source="bands",
        many=True,
        help_text="Empty until each band shown has `peers_min_results` answers (and those "
        "left out are none or as many).",
    )
    agreement_rises = serializers.BooleanField(
        source="rises",
        allow_null=True,
        help_text="Whether the share saying yes never falls as the margin grows; null with "
        "fewer than two bands shown.",
    )
    internal_consistency = ConsistencyOutputSerializer(source="consistency", allow_null=True)
    retest = EvidenceShareOutputSerializer(
        allow_null=True,
        help_text="People who took the version twice 14 to 90 days apart, and those whose top "
        "role stayed; null until `peers_min_results` did.",
    )
    settled = SettledOutputSerializer(many=True)
    settled_median = serializers.IntegerField(
        allow_null=True, help_text="The median question results were settled after."
    )
    questions = serializers.IntegerField()


class DefinitionsOutputSerializer(serializers.Serializer):
    agreement = serializers.CharField()
    interval = serializers.CharField()
    consistency = serializers.CharField()
    retest = serializers.CharField()
    settled = serializers.CharField()


class EvidenceOutputSerializer(serializers.Serializer):
    definitions = DefinitionsOutputSerializer()
    versions = VersionEvidenceOutputSerializer(many=True, help_text="Newest first.")
