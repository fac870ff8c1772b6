"""Settling a close call in the API: `POST assessments/{id}/tie-breakers/` with the answers to
the version's tie-breakers (services.tie_breakers.tie_breakers_answer, as the result page)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import Assessment
from ..selectors.assessment import assessment_get_summary
from ..services.tie_breakers import tie_breakers_answer
from .assessment import (
    MAX_ANSWERS,
    AnswerInputSerializer,
    AssessmentDetailOutputSerializer,
    assessment_answer,
)


class TieBreakersInputSerializer(serializers.Serializer):
    answers: serializers.ListSerializer = serializers.ListSerializer(
        child=AnswerInputSerializer(),
        allow_empty=False,
        max_length=MAX_ANSWERS,
        help_text="One answer to each question in the result's `tie_breakers`.",
    )
    client_id = serializers.UUIDField(
        help_text="A UUID the app makes for these answers; send it again on a retry."
    )


class TieBreakersApi(APIView):
    """Settle one of your close calls with the tie-breakers: the result is scored again with
    them, keeps its first reading (`first_reading`) and says `settled_by_tie_breakers`. A
    retry with the same client_id gives the same result; someone else's result is a 404."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=TieBreakersInputSerializer,
        responses={
            200: AssessmentDetailOutputSerializer,
            400: OpenApiResponse(
                description="Not a close call, already settled (`detail`), or answers that "
                "are not one per tie-breaker (`answers`)."
            ),
            404: OpenApiResponse(description="No such result of yours."),
        },
    )
    def post(self, request, assessment_id):
        data = TieBreakersInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            tie_breakers_answer(
                assessment_id=assessment_id,
                user=request.user,
                answers=[
                    (answer["question"], answer["choice"])
                    for answer in data.validated_data["answers"]
                ],
                client_id=data.validated_data["client_id"],
            )
            assessment = assessment_get_summary(assessment_id=assessment_id, user=request.user)
        except Assessment.DoesNotExist:
            raise exceptions.NotFound() from None
        # InvalidAnswers and the service's other ValidationErrors: core.api_errors answers them.
        return Response(assessment_answer(assessment))
