"""The six-month follow-up in the API: your consent on one of your results (GET/PUT/DELETE
assessments/{id}/follow-up/), and the question and its answer with the token from the e-mail
(GET/POST follow-ups/{token}/), for an app that opens the e-mail's links itself. The rules are
services.follow_up's, the same as the site's."""

from datetime import timedelta

from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_fields import AsSentField

from .. import following
from ..models import Assessment, FollowUp
from ..services import follow_up as services
from .fields import AsSentBooleanField, CommentField


class InputSerializer(serializers.Serializer):
    default_error_messages = {"invalid": gettext_lazy("Send a JSON object with the fields below.")}


class FollowUpConsentOutputSerializer(serializers.Serializer):
    consented = serializers.BooleanField(help_text="Whether you asked for the follow-up.")
    wording = serializers.CharField(
        help_text="The checkbox's words: what you agreed to (or would agree to)."
    )
    wording_version = serializers.IntegerField(
        help_text="Their version; PUT sends back the one you showed."
    )
    consented_at = serializers.DateTimeField(allow_null=True)
    due = serializers.DateTimeField(
        allow_null=True, help_text="When the e-mail is due (FOLLOW_UP_AFTER_DAYS after consent)."
    )
    asked_at = serializers.DateTimeField(allow_null=True)
    reminded_at = serializers.DateTimeField(allow_null=True)
    unsubscribed_at = serializers.DateTimeField(allow_null=True)
    answered_at = serializers.DateTimeField(allow_null=True)
    answer = serializers.CharField(
        allow_null=True, help_text="A role's slug or `neither`; null until answered."
    )
    happiness = serializers.IntegerField(allow_null=True, min_value=1, max_value=5)
    comment = serializers.CharField(help_text="Your private comment, only ever shown to you.")


def consent_data(follow_up: FollowUp | None) -> dict:
    version = follow_up.wording_version if follow_up else following.WORDING_VERSION
    return {
        "consented": follow_up is not None,
        "wording": _(following.WORDINGS[version]),
        "wording_version": version,
        "consented_at": follow_up.consented_at if follow_up else None,
        "due": follow_up.due_at if follow_up else None,
        "asked_at": follow_up.asked_at if follow_up else None,
        "reminded_at": follow_up.reminded_at if follow_up else None,
        "unsubscribed_at": follow_up.unsubscribed_at if follow_up else None,
        "answered_at": follow_up.answered_at if follow_up else None,
        "answer": (follow_up.answer or None) if follow_up else None,
        "happiness": follow_up.happiness if follow_up else None,
        "comment": follow_up.comment if follow_up else "",
    }


@extend_schema_field({"type": "integer"})
class WordingVersionField(AsSentField):
    pass


class FollowUpConsentInputSerializer(InputSerializer):
    consent = AsSentBooleanField(
        help_text="true: e-mail me in 6 months to ask which path I took; false: withdraw."
    )
    wording_version = WordingVersionField(
        required=False,
        help_text="The version of the wording you showed (GET's `wording_version`); needed "
        "with consent true.",
    )


NOT_FOUND = OpenApiResponse(description="No result of yours has this id.")


class AssessmentFollowUpApi(APIView):
    """Your consent to be e-mailed, FOLLOW_UP_AFTER_DAYS (180) after you give it, to ask which
    path you took (one follow-up per person at a time; one e-mail and at most one reminder)."""

    def _assessment(self, request, assessment_id) -> Assessment:
        assessment = Assessment.objects.owned_by(request.user).filter(pk=assessment_id).first()
        if assessment is None:
            raise exceptions.NotFound()
        return assessment

    @extend_schema(responses={200: FollowUpConsentOutputSerializer, 404: NOT_FOUND})
    def get(self, request, assessment_id):
        self._assessment(request, assessment_id)
        follow_up = FollowUp.objects.filter(assessment_id=assessment_id).first()
        return Response(FollowUpConsentOutputSerializer(consent_data(follow_up)).data)

    @extend_schema(
        request=FollowUpConsentInputSerializer,
        responses={
            200: FollowUpConsentOutputSerializer,
            400: OpenApiResponse(
                description="`consent`: not true/false, no confirmed e-mail address, or "
                "already asked about another result; `wording_version`: not the current one."
            ),
            404: NOT_FOUND,
        },
    )
    def put(self, request, assessment_id):
        data = FollowUpConsentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            follow_up = services.follow_up_consent(
                assessment_id=assessment_id,
                user=request.user,
                consent=data.validated_data["consent"],
                wording_version=data.validated_data.get("wording_version"),
            )
        except Assessment.DoesNotExist:
            raise exceptions.NotFound() from None
        return Response(FollowUpConsentOutputSerializer(consent_data(follow_up)).data)

    @extend_schema(
        responses={
            204: OpenApiResponse(description="Withdrawn, with any answer (or there was none)."),
            404: NOT_FOUND,
        }
    )
    def delete(self, request, assessment_id):
        try:
            services.follow_up_withdraw(assessment_id=assessment_id, user=request.user)
        except Assessment.DoesNotExist:
            raise exceptions.NotFound() from None
        return Response(status=status.HTTP_204_NO_CONTENT)


class FollowUpChoiceOutputSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="What to send as `answer`.")
    text = serializers.CharField(help_text="The answer in words, in the request's language.")


class FollowUpQuestionOutputSerializer(serializers.Serializer):
    taken_at = serializers.DateTimeField(help_text="When the result was made.")
    top_role = serializers.CharField(help_text="The role the result put first (its name).")
    top_role_slug = serializers.CharField()
    choices = FollowUpChoiceOutputSerializer(many=True)
    expires = serializers.DateTimeField(help_text="The links and this token work until then.")
    answered_at = serializers.DateTimeField(allow_null=True)
    answer = serializers.CharField(allow_null=True)
    happiness = serializers.IntegerField(allow_null=True, min_value=1, max_value=5)
    comment = serializers.CharField()


@extend_schema_field({"type": "string"})
class AnswerField(AsSentField):
    pass


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 5, "nullable": True})
class HappinessField(AsSentField):
    pass


class FollowUpAnswerInputSerializer(InputSerializer):
    answer = AnswerField(help_text="One of the question's `choices` values.")
    happiness = HappinessField(
        required=False, allow_null=True, help_text="1 (not happy at all) to 5 (very happy)."
    )
    comment = CommentField(
        required=False,
        allow_null=True,
        help_text=f"Up to {following.COMMENT_MAX} characters as people see them (after NFC, "
        "each grapheme cluster counts once), only ever shown to you.",
    )


def _question_data(follow_up: FollowUp) -> dict:
    assert follow_up.asked_at is not None  # a token's follow-up was asked (follow_up_for_token)
    return {
        "taken_at": follow_up.assessment.created_at,
        "top_role": follow_up.assessment.top_role.name,
        "top_role_slug": follow_up.assessment.top_role.slug,
        "choices": [
            {"value": value, "text": label} for value, label in services.answer_choices().items()
        ],
        "expires": follow_up.asked_at + timedelta(days=following.LINKS_VALID_DAYS),
        "answered_at": follow_up.answered_at,
        "answer": follow_up.answer or None,
        "happiness": follow_up.happiness,
        "comment": follow_up.comment,
    }


TOKEN = OpenApiParameter(
    "token", OpenApiTypes.STR, OpenApiParameter.PATH, description="The token of the e-mail's links."
)
TOKEN_PROBLEMS = {
    404: OpenApiResponse(description="Not a token of ours, or the follow-up was withdrawn."),
    410: OpenApiResponse(description="Its links have expired (60 days after the question)."),
}


# No Authorization header marks these answers personal (core.middleware): say it here, as
# the site's page does; they hold the person's private comment.
@method_decorator(never_cache, name="dispatch")
class FollowUpAnswerApi(APIView):
    """The follow-up question, with the token of the e-mail's links (an answer link ends in
    /follow-up/{token}/?answer=...): no log-in needed, the token says which follow-up. GET
    reads the question and records nothing; POST records the answer (or changes it while the
    links work)."""

    authentication_classes: list = []  # the token in the address is the only credential
    permission_classes = [AllowAny]

    def _follow_up(self, token) -> FollowUp:
        try:
            return services.follow_up_for_token(token)
        except FollowUp.DoesNotExist:
            raise exceptions.NotFound() from None
        except services.LinkExpired:
            raise Gone() from None

    @extend_schema(
        parameters=[TOKEN], responses={200: FollowUpQuestionOutputSerializer, **TOKEN_PROBLEMS}
    )
    def get(self, request, token):
        return Response(
            FollowUpQuestionOutputSerializer(_question_data(self._follow_up(token))).data
        )

    @extend_schema(
        parameters=[TOKEN],
        request=FollowUpAnswerInputSerializer,
        responses={
            200: FollowUpQuestionOutputSerializer,
            400: OpenApiResponse(
                description="`answer`: not one of the choices; `happiness`: not 1-5; "
                f"`comment`: not text or over {following.COMMENT_MAX} characters."
            ),
            **TOKEN_PROBLEMS,
        },
    )
    def post(self, request, token):
        self._follow_up(token)
        data = FollowUpAnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            follow_up = services.follow_up_answer(
                token=token,
                answer=data.validated_data["answer"],
                happiness=data.validated_data.get("happiness"),
                comment=data.validated_data.get("comment", ""),
            )
        except services.LinkExpired:
            raise Gone() from None
        return Response(FollowUpQuestionOutputSerializer(_question_data(follow_up)).data)


class Gone(exceptions.APIException):
    status_code = 410
    default_detail = gettext_lazy("This follow-up has ended: its links have expired.")
    default_code = "gone"
