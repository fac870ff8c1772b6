"""The follow-up's outcomes in GET methodology/ (selectors.outcomes, the presenter the page
reads too)."""

from rest_framework import serializers

from .. import following, peers

COUNT = (
    f"rounded to the nearest {peers.COUNT_STEP}; null while not shown or when fewer than "
    f"{peers.SMALLEST_GROUP}."
)
SHARE = (
    f"from the rounded counts; null while not shown, or when fewer than {peers.SMALLEST_GROUP} "
    "people are on either side."
)


class OutcomeFiguresOutputSerializer(serializers.Serializer):
    asked = serializers.IntegerField(
        allow_null=True,
        help_text="People asked which path they took whose follow-up has ended (answered, or "
        f"its links expired after {following.LINKS_VALID_DAYS} days), " + COUNT,
    )
    answered = serializers.IntegerField(
        allow_null=True, help_text="Of them, who answered, " + COUNT
    )
    response_percent = serializers.IntegerField(
        allow_null=True,
        help_text="Answered as a share of asked (those who did not answer count), " + SHARE,
    )
    chose_first = serializers.IntegerField(
        allow_null=True,
        help_text="Of those who answered, who chose the role their result put first, " + COUNT,
    )
    chose_first_percent = serializers.IntegerField(
        allow_null=True, help_text="`chose_first` as a share of `answered`, " + SHARE
    )


class BandOutcomesOutputSerializer(OutcomeFiguresOutputSerializer):
    band = serializers.ChoiceField(
        choices=list(following.BANDS),
        help_text="The result's margin: `close` (a close call), `middle` (from the close-call "
        f"points to {following.WIDE_MARGIN - 1}) or `wide` ({following.WIDE_MARGIN} or more).",
    )
    name = serializers.CharField(source="label", help_text="The band in words.")


class VersionOutcomesOutputSerializer(OutcomeFiguresOutputSerializer):
    version = serializers.IntegerField(source="version.pk", help_text="As `version` in a result.")
    shown = serializers.BooleanField(
        help_text="Whether `peers_min_results` people were asked, so the figures may be shown."
    )
    asked_needed = serializers.IntegerField(
        help_text="At most how many more people must be asked before they are, rounded up to a "
        f"multiple of {peers.COUNT_STEP}."
    )
    bands_shown = serializers.BooleanField(
        help_text="Whether every margin band had `peers_min_results` people asked, so the "
        "split may be shown."
    )
    bands = BandOutcomesOutputSerializer(many=True)
