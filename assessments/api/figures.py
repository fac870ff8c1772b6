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
from ..selectors.evidence import definitions, evidence_list
from ..selectors.figures import Methodology, methodology_get
from ..selectors.outcomes import outcomes_get
from .evidence import EvidenceOutputSerializer
from .outcomes import VersionOutcomesOutputSerializer

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
            min_value=peers.SMALLEST_GROUP,
            help_text=f"People in the bar, rounded to the nearest {peers.COUNT_STEP}: never "
            f"fewer than {peers.SMALLEST_GROUP} (smaller bands are merged with their "
            "neighbours).",
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
    percent = serializers.IntegerField(
        allow_null=True,
        help_text="Share of everyone who chose the same answer, from the rounded counts; null "
        f"when fewer than {peers.SMALLEST_GROUP} people chose it or fewer than "
        f"{peers.SMALLEST_GROUP} chose otherwise.",
    )


class PeersOutputSerializer(serializers.Serializer):
    results = serializers.IntegerField(
        source="people",
        allow_null=True,
        help_text="People counted on this quiz version (each by their latest result), rounded "
        f"to the nearest {peers.COUNT_STEP}; null when fewer than {peers.SMALLEST_GROUP} (only "
        "where `peers_min_results` is set below it).",
    )
    same_lean_percent = serializers.IntegerField(
        allow_null=True,
        help_text="Share of them with the same top role as this result, from the rounded "
        f"counts; null when fewer than {peers.SMALLEST_GROUP} people are on either side.",
    )
    toward = serializers.CharField(
        source="toward_slug",
        help_text="The role (slug) a positive lean points to (the right of the histogram).",
    )
    toward_name = serializers.CharField(source="toward", help_text="Its name, to show.")
    away = serializers.ListField(
        child=serializers.CharField(),
        source="away_slugs",
        help_text="The other roles (slugs), a negative lean (the left).",
    )
    away_name = serializers.CharField(source="away", help_text="Their names, to show.")
    you = serializers.IntegerField(
        help_text="This result's lean: the `toward` role's fit minus the best of the others, "
        "in percentage points."
    )
    histogram = HistogramBarOutputSerializer(many=True)
    same_choice = SameChoiceOutputSerializer(
        many=True, help_text="For each deciding answer (`reasons`), how many chose the same."
    )


COUNT_HELP = (
    f"rounded to the nearest {peers.COUNT_STEP}; null until both clear leans and close calls "
    "have `peers_min_results` answers each, or when fewer than "
    f"{peers.SMALLEST_GROUP} people."
)
SHARE_HELP = (
    "from the rounded counts; null until it may be shown, or when fewer than "
    f"{peers.SMALLEST_GROUP} people said yes or fewer than {peers.SMALLEST_GROUP} said no."
)


class SplitFiguresOutputSerializer(serializers.Serializer):
    answers = serializers.IntegerField(
        allow_null=True,
        help_text="People who said whether their latest result felt right, " + COUNT_HELP,
    )
    feels_right_percent = serializers.IntegerField(
        allow_null=True, help_text="Share of them who said yes, " + SHARE_HELP
    )


class LanguageFiguresOutputSerializer(serializers.Serializer):
    language = serializers.CharField(help_text="`en` or `es`.")
    results = serializers.IntegerField(
        allow_null=True,
        help_text="People whose latest result was taken in it, rounded to the nearest "
        f"{peers.COUNT_STEP}; null when fewer than {peers.SMALLEST_GROUP}.",
    )
    answers = serializers.IntegerField(
        allow_null=True,
        help_text="Of them, people who said whether it felt right, rounded; null until every "
        f"language listed has `peers_min_results` answers, or when fewer than "
        f"{peers.SMALLEST_GROUP}.",
    )
    feels_right_percent = serializers.IntegerField(
        allow_null=True,
        help_text="Share of them who said yes; null until every language listed has "
        "`peers_min_results` answers, " + SHARE_HELP,
    )


class VersionFiguresOutputSerializer(serializers.Serializer):
    quiz = serializers.CharField(source="version.quiz.name")
    version = serializers.IntegerField(source="version.pk", help_text="As `version` in a result.")
    version_number = serializers.IntegerField(source="version.number")
    results = serializers.IntegerField(
        allow_null=True,
        help_text="People counted on this version (each by their latest result), rounded to "
        f"the nearest {peers.COUNT_STEP}; null when fewer than {peers.SMALLEST_GROUP}.",
    )
    answers = serializers.IntegerField(
        allow_null=True,
        help_text="People who said whether their latest result felt right, rounded; null "
        f"until `peers_min_results` answered, or when fewer than {peers.SMALLEST_GROUP}.",
    )
    shown = serializers.BooleanField(
        help_text="Whether `peers_min_results` people answered, so the figures may be shown."
    )
    answers_needed = serializers.IntegerField(
        help_text="At most how many more answers are needed before they are, rounded up to a "
        f"multiple of {peers.COUNT_STEP}."
    )
    feels_right_percent = serializers.IntegerField(
        allow_null=True, help_text="Share of them who said yes, " + SHARE_HELP
    )
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
        help_text="People (or answers) a version needs before its figures are shown."
    )
    smallest_bar = serializers.IntegerField(
        help_text="The fewest people any bar, count or share shown stands for."
    )
    count_step = serializers.IntegerField(help_text="Counts are shown rounded to a multiple of it.")
    settled = serializers.CharField(help_text="What `settled_at_question` on a result means.")
    tie_breakers = serializers.CharField(help_text="What a close call's tie-breakers do.")


class MethodologyOutputSerializer(serializers.Serializer):
    method = MethodOutputSerializer()
    versions = VersionFiguresOutputSerializer(
        many=True, help_text="Published versions, newest first."
    )
    evidence = EvidenceOutputSerializer(
        help_text="Per published version: agreement by margin, internal consistency, retest "
        "consistency and when results were settled."
    )
    outcomes = VersionOutcomesOutputSerializer(
        many=True,
        help_text="Per published version, as `versions`: which path people took, asked some "
        "months after their result (the follow-up they asked for).",
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
            "Everyone's figures count people, not results: each person counts once per "
            "version, by their latest result kept on an account, and stops counting at once "
            "when it is deleted (their result before it counts instead). No figure is shown "
            "from fewer than %(least)s people; no count, bar or share stands for fewer than "
            "%(smallest_bar)s people; counts are rounded to the nearest %(step)s and shares "
            "worked out from the rounded counts; and comments are never shown to anyone but "
            "their author."
        )
        % {
            "least": least,
            "smallest_bar": methodology.smallest_bar,
            "step": methodology.count_step,
        },
        "settled": _(
            "A result is settled after the first question after which no answers to the "
            "questions still to come could have changed the top role: the lead so far was "
            "larger than the most those questions could move it."
        ),
        "tie_breakers": _(
            "A close call offers a few tie-breaker questions, asked only then. The answers are "
            "added to the quiz's and the result is worked out again, once; both readings are "
            "kept, and the result counts in everyone's figures with the tie-breakers."
        ),
        "peers_min_results": least,
        "smallest_bar": methodology.smallest_bar,
        "count_step": methodology.count_step,
    }


class MethodologyApi(APIView):
    """How the fit is computed, and per published version how its results were received: the
    share of people who said their result felt right, split by clear lean and close call.
    Never a comment."""

    # Not cached: three queries, and the figures change with every answer.
    # Public: credentials are not read at all, so a stale token never breaks the catalog.
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses={200: MethodologyOutputSerializer})
    def get(self, request):
        methodology = methodology_get()
        data = {
            "method": _method(methodology),
            "versions": methodology.versions,
            "evidence": {"definitions": definitions(), "versions": evidence_list()},
            "outcomes": outcomes_get(versions=[row.version for row in methodology.versions]),
        }
        return Response(MethodologyOutputSerializer(data).data)
