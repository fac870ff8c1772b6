"""One of your assessments read under the current questions, in the API: the preview, and
saving it as a new assessment (selectors.rescoring.rescore_comparison presents it, for the
page too)."""

from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_fields import StrictBooleanField

from .. import rescoring
from ..models import Assessment
from ..selectors.assessment import assessment_get_owned, assessment_get_summary
from ..selectors.rescoring import rescore_comparison, rescore_preview
from ..services.assessment import ClientIdTaken
from ..services.rescoring import assessment_rescore
from .assessment import (
    MAX_ANSWERS,
    AnswerInputSerializer,
    AssessmentDetailOutputSerializer,
    assessment_answer,
)


class RescoreInputSerializer(serializers.Serializer):
    answers: serializers.ListSerializer = serializers.ListSerializer(
        child=AnswerInputSerializer(),
        required=False,
        max_length=MAX_ANSWERS,
        help_text="Answers to the new questions only (their ids are in `missing`, their text "
        "and choices in GET assessment/); every other answer carries over. Left out: none yet.",
    )
    # DRF's metaclass takes declared fields off the class, so Serializer.save() stays a method.
    save = StrictBooleanField(  # type: ignore[assignment]
        default=False,
        help_text="true: save the reading as a new result (every new question answered, and a "
        "`client_id`). false or left out: only show it; nothing is saved.",
    )
    client_id = serializers.UUIDField(
        required=False,
        help_text="Needed to save: a UUID the app makes for this save; send it again on a retry.",
    )

    def validate(self, data):
        if data["save"] and "client_id" not in data:
            raise serializers.ValidationError(
                {
                    "client_id": [
                        _("To save, send a client_id: a UUID your app makes for this save.")
                    ]
                }
            )
        return data


class ReadingScoreOutputSerializer(serializers.Serializer):
    role = serializers.CharField()
    role_name = serializers.CharField()
    percent = serializers.IntegerField()


class ReadingOutputSerializer(serializers.Serializer):
    scores = ReadingScoreOutputSerializer(many=True, help_text="Each role's fit, best first.")
    top_role = serializers.CharField()
    margin = serializers.IntegerField(help_text="Percentage points between the first two roles.")


class EffectOutputSerializer(serializers.Serializer):
    role = serializers.CharField()
    points = serializers.FloatField(
        help_text="Percentage points this change moved the role's fit, to one decimal. Unrounded, "
        "a role's effects add up to its new fit minus its old one."
    )


class ChangeOutputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[
            (rescoring.REMOVED, "a question the current version no longer asks"),
            (rescoring.REWEIGHTED, "a carried answer whose weights changed"),
            (rescoring.ANSWERED, "a new question you answered"),
        ],
    )
    question = serializers.IntegerField(
        help_text="The question's id in its version: the result's version for a removed "
        "question, the current one otherwise."
    )
    question_text = serializers.CharField()
    answer = serializers.CharField(help_text="The answer's text.")
    effects = EffectOutputSerializer(many=True)


class RescorePreviewOutputSerializer(serializers.Serializer):
    """One of your results beside its reading under the current questions."""

    from_version = serializers.IntegerField(help_text="The result's quiz version.")
    from_version_number = serializers.IntegerField()
    to_version = serializers.IntegerField(
        source="to_version.pk", help_text="The current version (GET assessment/)."
    )
    to_version_number = serializers.IntegerField()
    old = ReadingOutputSerializer(help_text="The result as it was saved.")
    new = ReadingOutputSerializer(
        allow_null=True,
        help_text="The reading under the current questions; null while `missing` is not empty.",
    )
    changes = ChangeOutputSerializer(
        many=True,
        help_text="What moved the fit, in order: questions removed, carried answers whose "
        "weights changed, new questions answered. Empty while `missing` is not empty.",
    )
    missing = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Ids of the new questions still to answer, in order.",
    )
    carried = serializers.IntegerField(help_text="How many of the result's answers carry over.")


class AssessmentRescoreApi(APIView):
    """One of your results read under the current questions: its answers carry over where a
    question and its answer are still asked, and you answer only the new questions. Without
    `save`, the preview (nothing is saved); with `save` and a `client_id`, a new result that
    links back to it (`rescored_from`), the old one left as it was."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=RescoreInputSerializer,
        responses={
            200: PolymorphicProxySerializer(
                component_name="RescorePreviewOrResult",
                serializers=[RescorePreviewOutputSerializer, AssessmentDetailOutputSerializer],
                resource_type_field_name=None,
            ),
            201: OpenApiResponse(
                AssessmentDetailOutputSerializer, description="Saved: the new result."
            ),
            400: OpenApiResponse(
                description="`detail`: the result is already on the current questions; "
                "`answers`: an answer to a question that is not new, unknown or answered twice, "
                "a choice of another question, or (to save) a new question left unanswered; "
                "`client_id`: missing to save, or used for another result. Nothing is saved.",
            ),
            404: OpenApiResponse(description="No result of yours has this id."),
        },
        description="200: the preview, or on a retried save (a `client_id` already used for "
        "this) the result it saved, unchanged. 201: the new result.",
    )
    def post(self, request, assessment_id):
        data = RescoreInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        answers = [
            (answer["question"], answer["choice"])
            for answer in data.validated_data.get("answers", [])
        ]
        try:
            if not data.validated_data["save"]:
                assessment = assessment_get_owned(assessment_id=assessment_id, user=request.user)
                preview = rescore_preview(assessment=assessment, answers=answers)
                comparison = rescore_comparison(preview=preview)
                return Response(RescorePreviewOutputSerializer(comparison).data)
            saved, created = assessment_rescore(
                assessment_id=assessment_id,
                user=request.user,
                answers=answers,
                client_id=data.validated_data["client_id"],
                language=translation.get_language(),
            )
        except Assessment.DoesNotExist:
            raise exceptions.NotFound() from None
        except ClientIdTaken as error:
            raise serializers.ValidationError({"client_id": [str(error)]}) from None
        saved = assessment_get_summary(assessment_id=saved.pk, user=request.user)
        return Response(
            assessment_answer(saved),
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
