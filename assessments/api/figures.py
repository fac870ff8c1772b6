"""Figures about everyone's assessments in the API: where one stands among everyone's on its
quiz version (part of an assessment's answer), and the methodology with each version's
figures (selectors.figures.methodology_get, the presenter the page and the admin read too)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import peers
from ..selectors.figures import Methodology, methodology_get

# "from" is a Python keyword, so this serializer's fields are given as a mapping.
HistogramBarOutputSerializer = type(
    "HistogramBarOutputSerializer",
    (serializers.Serializer,),
    {
        "__doc__": "One bar: the results whose lean falls in [from, to).",
        "from": serializers.IntegerField(
            source="start", help_text="Lean in percentage points, included."
        ),
        "to": serializers.IntegerField(
            source="end", help_text=f"Lean, excluded (but the last bar holds {peers.LEAN_MAX})."
        ),
        "count": serializers.IntegerField(
            min_value=peers.SMALLEST_BAR,
            help_text=f"Results in the bar: never fewer than {peers.SMALLEST_BAR} "
            "(smaller bands are merged with their neighbours).",
        ),
        "you": serializers.BooleanField(source="has_you", help_text="This result is in it."),
    },
)


class SameChoiceOutputSerializer(serializers.Serializer):
    question = serializers.IntegerField(
        source="question_id", help_text="The question's id, as in `reasons`."
    )
    question_text = serializers.CharField(source="question")
    choice_text = serializers.CharField(source="choice", help_text="This result's answer.")
    percent = serializers.IntegerField(help_text="Share of everyone who chose the same answer.")


class PeersOutputSerializer(serializers.Serializer):
    results = serializers.IntegerField(help_text="Results on this quiz version, this one included.")
    same_lean_percent = serializers.IntegerField(
        help_text="Share of them with the same top role as this result."
    )
    toward = serializers.CharField(
        help_text="The role a positive lean points to (the right of the histogram)."
    )
    away = serializers.CharField(help_text="The other role(s), a negative lean (the left).")
    you = serializers.IntegerField(
        help_text="This result's lean: the `toward` role's fit minus the best of the others, "
        "in percentage points."
    )
    histogram = HistogramBarOutputSerializer(many=True)
    same_choice = SameChoiceOutputSerializer(
        many=True, help_text="For each deciding answer (`reasons`), how many chose the same."
    )


class SplitFiguresOutputSerializer(serializers.Serializer):
    answers = serializers.IntegerField(help_text="People who said whether it felt right.")
    feels_right_percent = serializers.IntegerField(
        allow_null=True,
        help_text="Share of them who said yes; null until both clear leans and close calls "
        "have `peers_min_results` answers each.",
    )


class LanguageFiguresOutputSerializer(serializers.Serializer):
    language = serializers.CharField(help_text="`en` or `es`.")
    results = serializers.IntegerField(help_text="Results kept that were taken in it.")
    answers = serializers.IntegerField(help_text="People who said whether it felt right.")
    feels_right_percent = serializers.IntegerField(
        allow_null=True,
        help_text="Share of them who said yes; null until every language listed has "
        "`peers_min_results` answers.",
    )


class VersionFiguresOutputSerializer(serializers.Serializer):
    quiz = serializers.CharField(source="version.quiz.name")
    version = serializers.IntegerField(source="version.pk", help_text="As `version` in a result.")
    version_number = serializers.IntegerField(source="version.number")
    results = serializers.IntegerField(help_text="Results counted on this version.")
    answers = serializers.IntegerField(help_text="People who said whether their result felt right.")
    shown = serializers.BooleanField(
        help_text="Whether there are enough answers for the percentages to be shown."
    )
    answers_needed = serializers.IntegerField(help_text="Answers still needed before they are.")
    feels_right_percent = serializers.IntegerField(allow_null=True)
    clear = SplitFiguresOutputSerializer(help_text="Results with a clear lean.")
    close_call = SplitFiguresOutputSerializer(help_text="Results that were a close call.")
    languages = LanguageFiguresOutputSerializer(
        many=True, help_text="The languages the version was taken in (same questions and points)."
    )


class MethodOutputSerializer(serializers.Serializer):
    fit = serializers.CharField()
    formula = serializers.CharField()
    close_call = serializers.CharField()
    close_call_below = serializers.IntegerField(
        help_text="A result is a close call when its `margin` is below this."
    )
    versions = serializers.CharField()
    peers = serializers.CharField()
    peers_min_results = serializers.IntegerField(
        help_text="Results (or answers) a version needs before its figures are shown."
    )
    smallest_bar = serializers.IntegerField(help_text="The fewest results a histogram bar shows.")


class MethodologyOutputSerializer(serializers.Serializer):
    method = MethodOutputSerializer()
    versions = VersionFiguresOutputSerializer(
        many=True, help_text="Published versions, newest first."
    )


def _method(methodology: Methodology) -> dict:
    least = methodology.min_results
    return {
        "fit": _(
            "Each answer gives every role some points. A role's fit is the points your answers "
            "gave it, as a share of the most it could get on that quiz version."
        ),
        "formula": _(
            "fit = 100 × (points your answers gave the role) ÷ (the most points the role could get)"
        ),
        "close_call": _(
            "A result is a close call when the top two roles are fewer than %(below)s "
            "percentage points apart, and a clear lean otherwise."
        )
        % {"below": methodology.close_call_below},
        "close_call_below": methodology.close_call_below,
        "versions": _(
            "Questions and weights change only in a new version of the quiz. A result keeps the "
            "scores of the version it was taken on, and is compared only with results of that "
            "version."
        ),
        "peers": _(
            "Everyone's results on a version are counted once they are kept on an account; "
            "deleted results stop counting at once. No figure is shown from fewer than "
            "%(least)s results, no bar from fewer than %(smallest_bar)s people, and comments are "
            "never shown to anyone but their author."
        )
        % {"least": least, "smallest_bar": methodology.smallest_bar},
        "peers_min_results": least,
        "smallest_bar": methodology.smallest_bar,
    }


class MethodologyApi(APIView):
    """How the fit is computed, and per published version how its results were received: the
    share of people who said their result felt right, split by clear lean and close call.
    Never a comment."""

    # Not cached: three queries, and the figures change with every answer.
    permission_classes = [AllowAny]

    @extend_schema(responses={200: MethodologyOutputSerializer})
    def get(self, request):
        methodology = methodology_get()
        data = {"method": _method(methodology), "versions": methodology.versions}
        return Response(MethodologyOutputSerializer(data).data)
