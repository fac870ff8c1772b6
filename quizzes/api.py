"""The assessment API: the current questions, submitting answers, and a person's own history."""

from django.http import HttpResponse
from django.utils.decorators import method_decorator
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.caching import api_list_numbers, cache_public_page, cached_user_response, page_params

from . import selectors, services
from .models import QuizVersion

MAX_ANSWERS = 500


# --- the questions ---------------------------------------------------------------------------


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
    number = serializers.IntegerField(help_text="The version number, for display.")
    quiz = serializers.CharField(source="quiz.name")
    questions = QuestionOutputSerializer(many=True)


@method_decorator(cache_public_page(), name="dispatch")
class CurrentAssessmentApi(APIView):
    """The current quiz version with its questions and choices (weights stay on the server)."""

    permission_classes = [AllowAny]

    @extend_schema(
        responses={
            200: CurrentAssessmentOutputSerializer,
            404: OpenApiResponse(description="No assessment is open."),
        }
    )
    def get(self, request):
        try:
            version = selectors.current_version_get()
        except QuizVersion.DoesNotExist:
            return Response({"detail": "No assessment is open."}, status=404)
        data = CurrentAssessmentOutputSerializer(
            {
                "pk": version.pk,
                "number": version.number,
                "quiz": version.quiz,
                "questions": selectors.questions_to_answer(version=version),
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
    category = serializers.CharField(source="tool.category.name")


class AssessmentOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="pk")
    created = serializers.DateTimeField(source="created_at")
    version = serializers.IntegerField(source="version_id")
    version_number = serializers.IntegerField(source="version.number")
    client_id = serializers.UUIDField()
    scores = ScoreOutputSerializer(many=True)
    top_role = serializers.CharField(source="top_role.slug")
    margin = serializers.IntegerField(help_text="Percentage points between the first two roles.")
    reasons = ReasonOutputSerializer(many=True, source="reason_answers")
    recommended_tools = RecommendedToolOutputSerializer(many=True)


# --- submitting ------------------------------------------------------------------------------


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
            return selectors.published_version_get(version_id=value)
        except QuizVersion.DoesNotExist:
            raise serializers.ValidationError("No published quiz version has this id.") from None


class AssessmentListCreateApi(generics.ListAPIView):
    """GET: your assessments, newest first. POST: submit answers and get the result."""

    permission_classes = [IsAuthenticated]
    serializer_class = AssessmentOutputSerializer

    def get_queryset(self):
        return selectors.assessment_summaries(user=self.request.user)

    def list(self, request, *args, **kwargs):
        # The page is the same until the person's history changes, so a mobile app polling
        # its history costs a cache read, not five queries and serializing.
        def render():
            data = super(AssessmentListCreateApi, self).list(request, *args, **kwargs).data
            return HttpResponse(JSONRenderer().render(data), content_type="application/json")

        page = page_params(request, numbers=api_list_numbers())
        return cached_user_response(
            user_id=request.user.pk, path=request.path, page=page, render=render
        )

    @extend_schema(
        request=AssessmentInputSerializer,
        responses={
            201: AssessmentOutputSerializer,
            200: OpenApiResponse(
                AssessmentOutputSerializer,
                description="A retry with a client_id already used: the same assessment.",
            ),
            400: OpenApiResponse(description="Field errors keyed by field."),
        },
    )
    def post(self, request):
        data = AssessmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            assessment, created = services.assessment_submit(
                version=data.validated_data["version"],
                answers=[
                    (answer["question"], answer["choice"])
                    for answer in data.validated_data["answers"]
                ],
                client_id=data.validated_data["client_id"],
                user=request.user,
            )
        except services.InvalidAnswers as errors:
            messages = list(errors.general) + [
                f"Question {question_id}: {message}"
                for question_id, message in sorted(errors.by_question.items())
            ]
            raise serializers.ValidationError({"answers": messages}) from None
        except services.ClientIdTaken as error:
            raise serializers.ValidationError({"client_id": [str(error)]}) from None
        assessment = selectors.assessment_summaries(user=request.user).get(pk=assessment.pk)
        return Response(
            AssessmentOutputSerializer(assessment).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class AssessmentDetailApi(generics.RetrieveDestroyAPIView):
    """One of your assessments (someone else's is a 404). DELETE removes it."""

    permission_classes = [IsAuthenticated]
    serializer_class = AssessmentOutputSerializer
    lookup_field = "pk"
    lookup_url_kwarg = "assessment_id"

    def get_queryset(self):
        return selectors.assessment_summaries(user=self.request.user)

    def perform_destroy(self, instance):
        services.assessment_delete(assessment_id=instance.pk, user=self.request.user)
