"""The assessment API's core: the current questions, submitting answers, and a person's own
assessments (the list, one with where it stands among everyone's, deleting one)."""

from django.http import HttpResponse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, generics, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_errors import Conflict
from core.caching import (
    PageKey,
    api_list_numbers,
    cache_public_page,
    cached_user_response,
    page_params,
    peers_version,
)
from quizzes import scoring
from quizzes import selectors as quiz_selectors
from quizzes.models import QuizVersion

from ..models import Assessment
from ..selectors.assessment import assessment_get_summary, assessment_summaries
from ..selectors.figures import peer_figures
from ..services.assessment import (
    ClientIdReused,
    ClientIdTaken,
    assessment_delete,
    assessment_submit,
)
from ..services.tie_breakers import tie_breakers_refusal
from .feedback import FeedbackOutputSerializer
from .figures import PeersOutputSerializer

MAX_ANSWERS = 500


class ChoiceOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    text = serializers.CharField()


class QuestionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    text = serializers.CharField()
    help = serializers.CharField(source="help_text")
    choices = ChoiceOutputSerializer(many=True)


class CurrentAssessmentOutputSerializer(serializers.Serializer):
    version = serializers.IntegerField(source="pk", help_text="Send this id back with answers.")
    version_number = serializers.IntegerField(
        source="number", help_text="The version number, for display."
    )
    quiz = serializers.CharField(source="quiz.name")
    questions = QuestionOutputSerializer(many=True)


@method_decorator(cache_public_page(), name="dispatch")
class CurrentAssessmentApi(APIView):
    """The current quiz version with its questions and choices (weights stay on the server)."""

    # Public: credentials are not read at all, so a stale token never breaks the catalog.
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        responses={
            200: CurrentAssessmentOutputSerializer,
            404: OpenApiResponse(description="No assessment is open."),
        }
    )
    def get(self, request):
        try:
            version = quiz_selectors.current_version_get()
        except QuizVersion.DoesNotExist:
            return Response({"detail": _("No assessment is open.")}, status=404)
        data = CurrentAssessmentOutputSerializer(
            {
                "pk": version.pk,
                "number": version.number,
                "quiz": version.quiz,
                "questions": quiz_selectors.questions_to_answer(version=version),
            }
        ).data
        return Response(data)


# --- results ---------------------------------------------------------------------------------


class ScoreOutputSerializer(serializers.Serializer):
    role = serializers.CharField(source="role.slug")
    role_name = serializers.CharField(source="role.name")
    percent = serializers.IntegerField()


class ReasonOutputSerializer(serializers.Serializer):
    question = serializers.IntegerField(source="question_id")
    question_text = serializers.CharField(source="question.text")
    choice = serializers.IntegerField(source="choice_id")
    choice_text = serializers.CharField(source="choice.text")


class RecommendedToolOutputSerializer(serializers.Serializer):
    slug = serializers.CharField(source="tool.slug")
    name = serializers.CharField(source="tool.name")
    category = serializers.CharField(source="tool.category.slug")
    category_name = serializers.CharField(source="tool.category.name")


class AssessmentOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="pk")
    created = serializers.DateTimeField(source="created_at")
    version = serializers.IntegerField(source="version_id")
    version_number = serializers.IntegerField(source="version.number")
    client_id = serializers.UUIDField()
    scores = ScoreOutputSerializer(many=True)
    top_role = serializers.CharField(source="top_role.slug")
    top_role_name = serializers.CharField(source="top_role.name")
    margin = serializers.IntegerField(help_text="Percentage points between the first two roles.")
    close_call = serializers.SerializerMethodField(
        help_text="Whether `margin` is under `close_call_below` (GET methodology/)."
    )
    settled_at_question = serializers.IntegerField(
        allow_null=True,
        help_text="The question (1-based, in the order asked) after which no answers to the "
        "rest could have changed the top role; null on results saved before it was recorded.",
    )
    settled_by_tie_breakers = serializers.BooleanField(
        help_text="Whether this close call was settled with the tie-breakers (the scores are "
        "then the reading with them; `first_reading` keeps the quiz's own)."
    )
    reasons = ReasonOutputSerializer(many=True, source="reason_answers")
    recommended_tools = RecommendedToolOutputSerializer(many=True)

    def get_close_call(self, assessment) -> bool:
        return scoring.is_close_call(assessment.margin)


class FirstScoreOutputSerializer(serializers.Serializer):
    role = serializers.CharField()
    percent = serializers.IntegerField()


class FirstReadingOutputSerializer(serializers.Serializer):
    top_role = serializers.CharField()
    margin = serializers.IntegerField()
    settled_at_question = serializers.IntegerField(allow_null=True)
    scores = FirstScoreOutputSerializer(many=True)


class AssessmentDetailOutputSerializer(AssessmentOutputSerializer):
    """A result, where it stands among everyone's results on its quiz version, and your
    answer to "does this feel right?"."""

    # context["peers"]: the selectors.figures.PeerFigures of the result.

    rescored_from = serializers.UUIDField(
        source="rescored_from_id",
        allow_null=True,
        help_text="The result this one was re-scored from (rescore/), or null.",
    )
    tie_breakers = serializers.SerializerMethodField()
    first_reading = FirstReadingOutputSerializer(
        allow_null=True,
        help_text="The quiz's own reading, before the tie-breakers; null unless "
        "`settled_by_tie_breakers`.",
    )
    peers = serializers.SerializerMethodField()
    peers_results_needed = serializers.SerializerMethodField()
    feedback = FeedbackOutputSerializer(
        allow_null=True, help_text="Your answer to “does this feel right?” (null before one)."
    )

    @extend_schema_field(
        QuestionOutputSerializer(
            many=True,
            help_text="The tie-breakers still to ask: for a close call not yet settled, the "
            "questions to answer with POST tie-breakers/; otherwise empty.",
        )
    )
    def get_tie_breakers(self, assessment):
        if tie_breakers_refusal(assessment) is not None:
            return []
        questions = quiz_selectors.tie_breakers_to_answer(version=assessment.version)
        return QuestionOutputSerializer(questions, many=True).data

    @extend_schema_field(
        PeersOutputSerializer(
            allow_null=True,
            help_text="Everyone's results on the same quiz version beside this one, each person "
            "counted once (their latest result); null until the version has "
            "`peers_min_results` people (see `peers_results_needed`).",
        )
    )
    def get_peers(self, assessment):
        figures = self.context["peers"]
        return PeersOutputSerializer(figures).data if figures.shown else None

    @extend_schema_field(
        serializers.IntegerField(
            min_value=0,
            help_text="0 once `peers` is shown; otherwise at most how many more people must "
            "keep a result on the quiz version first, rounded up to a multiple of 5 (so that "
            "it never moves with one person).",
        )
    )
    def get_peers_results_needed(self, assessment) -> int:
        return self.context["peers"].people_needed


def assessment_answer(assessment: Assessment) -> dict:
    """An assessment (assessment_get_summary) as the API answers it, where it stands included."""
    figures = peer_figures(assessment=assessment)
    return AssessmentDetailOutputSerializer(assessment, context={"peers": figures}).data


class AnswerInputSerializer(serializers.Serializer):
    question = serializers.IntegerField(min_value=1)
    choice = serializers.IntegerField(min_value=1)


class AssessmentInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="The id from GET assessment/.")
    answers: serializers.ListSerializer = serializers.ListSerializer(
        child=AnswerInputSerializer(), allow_empty=False, max_length=MAX_ANSWERS
    )
    client_id = serializers.UUIDField(
        help_text="A UUID the app makes for this submission; send it again on a retry."
    )

    def validate_version(self, value):
        try:
            return quiz_selectors.published_version_get(version_id=value)
        except QuizVersion.DoesNotExist:
            raise serializers.ValidationError(_("No published quiz version has this id.")) from None


class AssessmentListCreateApi(generics.ListAPIView):
    """GET: your assessments, newest first. POST: submit answers and get the result."""

    permission_classes = [IsAuthenticated]
    serializer_class = AssessmentOutputSerializer

    def get_queryset(self):
        return assessment_summaries(user=self.request.user)

    def list(self, request, *args, **kwargs):
        # The page is the same until the person's history changes, so a mobile app polling
        # its history costs a cache read, not five queries and serializing.
        def render():
            data = super(AssessmentListCreateApi, self).list(request, *args, **kwargs).data
            return HttpResponse(JSONRenderer().render(data), content_type="application/json")

        page = page_params(request, numbers=api_list_numbers())
        return cached_user_response(user=request.user, path=request.path, page=page, render=render)

    @extend_schema(
        request=AssessmentInputSerializer,
        responses={
            201: AssessmentDetailOutputSerializer,
            200: OpenApiResponse(
                AssessmentDetailOutputSerializer,
                description="A retry with a client_id already used: the same assessment.",
            ),
            400: OpenApiResponse(
                description="Bad input; `client_id` used by someone else or for a re-score."
            ),
            409: OpenApiResponse(
                description="`conflict`: you sent this client_id before with other answers; "
                "`existing_id` is that result's id."
            ),
        },
    )
    def post(self, request):
        data = AssessmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            assessment, created = assessment_submit(
                version=data.validated_data["version"],
                answers=[
                    (answer["question"], answer["choice"])
                    for answer in data.validated_data["answers"]
                ],
                client_id=data.validated_data["client_id"],
                user=request.user,
                language=translation.get_language(),
            )
        # InvalidAnswers is a ValidationError at `answers`: core.api_errors answers it.
        except ClientIdReused as error:
            raise Conflict(str(error), extra={"existing_id": str(error.existing_id)}) from None
        except ClientIdTaken as error:
            raise serializers.ValidationError({"client_id": [str(error)]}) from None
        assessment = assessment_get_summary(assessment_id=assessment.pk, user=request.user)
        return Response(
            assessment_answer(assessment),
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class AssessmentDetailApi(APIView):
    """One of your assessments (someone else's is a 404), with where it stands among
    everyone's and your feedback. DELETE removes it."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: AssessmentDetailOutputSerializer})
    def get(self, request, assessment_id):
        # Cached until the person's history changes (their results, their feedback) or
        # anyone's kept results do (the figures): the key holds both versions.
        def render():
            try:
                assessment = assessment_get_summary(assessment_id=assessment_id, user=request.user)
            except Assessment.DoesNotExist:
                raise exceptions.NotFound() from None
            data = assessment_answer(assessment)
            return HttpResponse(JSONRenderer().render(data), content_type="application/json")

        page = PageKey(params=(("peers", peers_version()),), cacheable=not request.GET)
        return cached_user_response(user=request.user, path=request.path, page=page, render=render)

    @extend_schema(responses={204: None})
    def delete(self, request, assessment_id):
        try:
            assessment_delete(assessment_id=assessment_id, user=request.user)
        except Assessment.DoesNotExist:
            raise exceptions.NotFound() from None
        return Response(status=status.HTTP_204_NO_CONTENT)
