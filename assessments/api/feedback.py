"""The owner's answer to "does this feel right?" on one of their assessments, in the API."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import FEEDBACK_COMMENT_MAX, Assessment
from ..services.feedback import feedback_delete, feedback_set
from .fields import AsSentBooleanField, CommentField


class FeedbackOutputSerializer(serializers.Serializer):
    feels_right = serializers.BooleanField(help_text="Your answer to “does this feel right?”.")
    comment = serializers.CharField(help_text="Your comment, only ever shown to you.")
    updated = serializers.DateTimeField(source="updated_at")


class FeedbackInputSerializer(serializers.Serializer):
    default_error_messages = {"invalid": gettext_lazy("Send a JSON object with the fields below.")}

    feels_right = AsSentBooleanField(help_text="true: yes, it feels right; false: not really.")
    comment = CommentField(
        required=False,
        allow_null=True,
        help_text=f"Optional plain text, up to {FEEDBACK_COMMENT_MAX} characters as people see "
        "them (after NFC, each grapheme cluster counts once: an accented letter, a flag or an "
        "emoji family is one), only ever shown to you. Left out or empty, any earlier comment "
        "goes.",
    )


class AssessmentFeedbackApi(APIView):
    """Your answer to "does this feel right?" on one of your results: one per result, which
    you may change or take back. Only yes/no counts go into the methodology's figures."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=FeedbackInputSerializer,
        responses={
            200: FeedbackOutputSerializer,
            400: OpenApiResponse(
                description="`feels_right`: missing or not true/false; `comment`: not text or "
                f"longer than {FEEDBACK_COMMENT_MAX} characters. Nothing is saved."
            ),
            404: OpenApiResponse(description="No result of yours has this id."),
        },
    )
    def put(self, request, assessment_id):
        data = FeedbackInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            feedback = feedback_set(
                assessment_id=assessment_id,
                user=request.user,
                feels_right=data.validated_data["feels_right"],
                comment=data.validated_data.get("comment", ""),
            )
        except Assessment.DoesNotExist:
            raise exceptions.NotFound() from None
        return Response(FeedbackOutputSerializer(feedback).data)

    @extend_schema(
        responses={
            204: OpenApiResponse(description="Taken back (or there was none)."),
            404: OpenApiResponse(description="No result of yours has this id."),
        },
    )
    def delete(self, request, assessment_id):
        try:
            feedback_delete(assessment_id=assessment_id, user=request.user)
        except Assessment.DoesNotExist:
            raise exceptions.NotFound() from None
        return Response(status=status.HTTP_204_NO_CONTENT)
