"""The assessment API: the current questions, submitting answers, a person's own history,
where a result stands among everyone's, "does this feel right?", an old result re-scored under
the current questions, share links to a result, and the methodology's figures."""

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
)
from rest_framework import exceptions, generics, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_schema import DETAIL_ERROR, FIELD_ERRORS
from core.caching import (
    PageKey,
    api_list_numbers,
    cache_public_page,
    cached_user_response,
    page_params,
    peers_version,
)
from core.security import site_url
from quizzes import scoring
from quizzes import selectors as quiz_selectors
from quizzes.models import QuizVersion

from . import peers, rescoring, selectors, services
from .models import FEEDBACK_COMMENT_MAX, SHARE_LINKS_LIVE_MAX, Assessment, ShareLink

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


# Where the result stands among everyone's (peers.py), and the owner's "does this feel right?".


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


class FeedbackOutputSerializer(serializers.Serializer):
    feels_right = serializers.BooleanField(help_text="Your answer to “does this feel right?”.")
    comment = serializers.CharField(help_text="Your comment, only ever shown to you.")
    updated = serializers.DateTimeField(source="updated_at")


class AssessmentDetailOutputSerializer(AssessmentOutputSerializer):
    """A result, where it stands among everyone's results on its quiz version, and your
    answer to "does this feel right?"."""

    # context["peers"]: the selectors.PeerFigures of the result.

    rescored_from = serializers.UUIDField(
        source="rescored_from_id",
        allow_null=True,
        help_text="The result this one was re-scored from (rescore/), or null.",
    )
    peers = serializers.SerializerMethodField()
    peers_results_needed = serializers.SerializerMethodField()
    feedback = FeedbackOutputSerializer(
        allow_null=True, help_text="Your answer to “does this feel right?” (null before one)."
    )

    @extend_schema_field(
        PeersOutputSerializer(
            allow_null=True,
            help_text="Everyone's results on the same quiz version beside this one; null until "
            "the version has enough results (see `peers_results_needed`).",
        )
    )
    def get_peers(self, assessment):
        figures = self.context["peers"]
        return PeersOutputSerializer(figures).data if figures.shown else None

    @extend_schema_field(
        serializers.IntegerField(
            min_value=0, help_text="Results the quiz version still needs before `peers` is shown."
        )
    )
    def get_peers_results_needed(self, assessment) -> int:
        return self.context["peers"].results_needed


def _result_of(*, assessment_id, user) -> Assessment:
    """One of the person's results with what its answer shows; Assessment.DoesNotExist else."""
    # The feedback comes in the same query (a one-to-one, absent or one row).
    return (
        selectors.assessment_summaries(user=user).select_related("feedback").get(pk=assessment_id)
    )


def _result_answer(assessment: Assessment) -> dict:
    figures = selectors.peer_figures(assessment=assessment)
    return AssessmentDetailOutputSerializer(assessment, context={"peers": figures}).data


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
            return quiz_selectors.published_version_get(version_id=value)
        except QuizVersion.DoesNotExist:
            raise serializers.ValidationError(_("No published quiz version has this id.")) from None


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
            201: AssessmentDetailOutputSerializer,
            200: OpenApiResponse(
                AssessmentDetailOutputSerializer,
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
                language=translation.get_language(),
            )
        except services.InvalidAnswers as errors:
            messages = list(errors.general) + [
                _("Question %(id)s: %(message)s") % {"id": question_id, "message": message}
                for question_id, message in sorted(errors.by_question.items())
            ]
            raise serializers.ValidationError({"answers": messages}) from None
        except services.ClientIdTaken as error:
            raise serializers.ValidationError({"client_id": [str(error)]}) from None
        assessment = _result_of(assessment_id=assessment.pk, user=request.user)
        return Response(
            _result_answer(assessment),
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
                assessment = _result_of(assessment_id=assessment_id, user=request.user)
            except Assessment.DoesNotExist:
                raise exceptions.NotFound() from None
            data = _result_answer(assessment)
            return HttpResponse(JSONRenderer().render(data), content_type="application/json")

        counted = peers_version()
        page = PageKey(
            params=(("peers", counted or ""),), cacheable=bool(counted) and not request.GET
        )
        return cached_user_response(
            user_id=request.user.pk, path=request.path, page=page, render=render
        )

    @extend_schema(responses={204: None})
    def delete(self, request, assessment_id):
        try:
            services.assessment_delete(assessment_id=assessment_id, user=request.user)
        except Assessment.DoesNotExist:
            raise exceptions.NotFound() from None
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- "does this feel right?" -----------------------------------------------------------------


class AsSentField(serializers.Field):
    """A value passed on as sent, never coerced ("yes", "true" or 1 are not a boolean): the
    service checks it, with one message for the site and the API."""

    def to_internal_value(self, data):
        return data


@extend_schema_field({"type": "boolean"})
class FeelsRightField(AsSentField):
    pass


@extend_schema_field({"type": "string", "maxLength": FEEDBACK_COMMENT_MAX, "nullable": True})
class CommentField(AsSentField):
    pass


class FeedbackInputSerializer(serializers.Serializer):
    default_error_messages = {"invalid": gettext_lazy("Send a JSON object with the fields below.")}

    feels_right = FeelsRightField(help_text="true: yes, it feels right; false: not really.")
    comment = CommentField(
        required=False,
        allow_null=True,
        help_text=f"Optional plain text, up to {FEEDBACK_COMMENT_MAX} characters, only ever "
        "shown to you. Left out or empty, any earlier comment goes.",
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
            feedback = services.feedback_set(
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
            services.feedback_delete(assessment_id=assessment_id, user=request.user)
        except Assessment.DoesNotExist:
            raise exceptions.NotFound() from None
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- an old result under the current questions (rescoring.py) ------------------------------


@extend_schema_field({"type": "boolean"})
class StrictBooleanField(serializers.Field):
    """true or false as JSON has them: "yes" or 1 never save a result by accident."""

    default_error_messages = {"invalid": gettext_lazy("Send true or false.")}

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data

    def to_representation(self, value):
        return value


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
    to_version = serializers.IntegerField(help_text="The current version (GET assessment/).")
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


def _points(value) -> float:
    return round(float(value), 1) + 0.0  # + 0.0: never a "-0.0"


def _preview_answer(preview: selectors.RescorePreview) -> dict:
    assessment, comparison = preview.assessment, preview.comparison
    new, changes = None, []
    if comparison is not None:
        # The result's roles are loaded with it; a role new since then is read from the catalog.
        names = {score.role.slug: score.role.name for score in assessment.scores.all()}
        if any(fit.role not in names for fit in comparison.new.fits):
            names = {role.slug: role.name for role in quiz_selectors.role_list_for_scoring()}
        new = {
            "scores": [
                {
                    "role": fit.role,
                    "role_name": names.get(fit.role, fit.role),
                    "percent": fit.percent,
                }
                for fit in comparison.new.fits
            ],
            "top_role": comparison.new.top_role,
            "margin": comparison.new.margin,
        }
        ids = {
            rescoring.REMOVED: selectors.version_keys(version=assessment.version).question_ids,
            rescoring.REWEIGHTED: preview.new_keys.question_ids,
            rescoring.ANSWERED: preview.new_keys.question_ids,
        }
        changes = [
            {
                "kind": change.kind,
                "question": ids[change.kind][change.question],
                "question_text": change.text,
                "answer": change.answer,
                "effects": [
                    {"role": role, "points": _points(points)}
                    for role, points in change.effects.items()
                ],
            }
            for change in comparison.changes
        ]
    return {
        "from_version": assessment.version_id,
        "from_version_number": assessment.version.number,
        "to_version": preview.to_version.pk,
        "to_version_number": preview.to_version.number,
        # The result as saved (its scores are what the comparison's old reading recomputes).
        "old": {
            "scores": [
                {"role": score.role.slug, "role_name": score.role.name, "percent": score.percent}
                for score in assessment.scores.all()
            ],
            "top_role": assessment.top_role.slug,
            "margin": assessment.margin,
        },
        "new": new,
        "changes": changes,
        "missing": preview.missing_ids,
        "carried": len(preview.carried),
    }


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
                FIELD_ERRORS,
                description="`detail`: the result is already on the current questions; "
                "`answers`: an answer to a question that is not new, unknown or answered twice, "
                "a choice of another question, or (to save) a new question left unanswered; "
                "`client_id`: missing to save, or used for another result. Nothing is saved.",
            ),
            404: OpenApiResponse(DETAIL_ERROR, description="No result of yours has this id."),
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
                assessment = selectors.assessment_get_owned(
                    assessment_id=assessment_id, user=request.user
                )
                preview = selectors.rescore_preview(assessment=assessment, answers=answers)
                return Response(RescorePreviewOutputSerializer(_preview_answer(preview)).data)
            saved, created = services.assessment_rescore(
                assessment_id=assessment_id,
                user=request.user,
                answers=answers,
                client_id=data.validated_data["client_id"],
                language=translation.get_language(),
            )
        except Assessment.DoesNotExist:
            raise exceptions.NotFound() from None
        except services.ClientIdTaken as error:
            raise serializers.ValidationError({"client_id": [str(error)]}) from None
        result = _result_of(assessment_id=saved.pk, user=request.user)
        return Response(
            _result_answer(result),
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


# --- share links ---------------------------------------------------------------------------


@extend_schema_field({"type": "boolean"})
class ShowNameField(AsSentField):
    pass


class ShareInputSerializer(serializers.Serializer):
    default_error_messages = {"invalid": gettext_lazy("Send a JSON object with the fields below.")}

    show_name = ShowNameField(
        required=False,
        help_text="true: the shared page and its card show your username. false or left out: "
        "they show no name.",
    )


class ShareOutputSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="The link's secret part; DELETE it to revoke.")
    url = serializers.SerializerMethodField(
        help_text="The shared page, for anyone with the link: the fit per role, the lean, the "
        "quiz version and the date (and your name if `show_name`); never the answers."
    )
    card_url = serializers.SerializerMethodField(
        help_text="The link's 1200x630 PNG card, as chat apps unfurl it."
    )
    created = serializers.DateTimeField(source="created_at")
    show_name = serializers.BooleanField()

    def _site(self) -> str:
        return site_url(self.context["request"])

    @extend_schema_field(serializers.URLField())
    def get_url(self, link: ShareLink) -> str:
        return f"{self._site()}{link.get_absolute_url()}"

    @extend_schema_field(serializers.URLField())
    def get_card_url(self, link: ShareLink) -> str:
        return f"{self._site()}{reverse('assessments:shared_card', args=[link.token])}"


class AssessmentSharesApi(APIView):
    """Private links to one of your results. Each shows, to anyone who has it, only the fit
    per role, the lean in words, the quiz version and the date (and your username if you
    chose so), until you revoke it."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={
            200: ShareOutputSerializer(many=True),
            404: OpenApiResponse(DETAIL_ERROR, description="No result of yours has this id."),
        },
        description="The result's live links, newest first (revoked ones are left out).",
    )
    def get(self, request, assessment_id):
        try:
            links = selectors.share_list(assessment_id=assessment_id, user=request.user)
        except Assessment.DoesNotExist:
            raise exceptions.NotFound() from None
        return Response(ShareOutputSerializer(links, many=True, context={"request": request}).data)

    @extend_schema(
        request=ShareInputSerializer,
        responses={
            201: ShareOutputSerializer,
            400: OpenApiResponse(
                FIELD_ERRORS,
                description="`show_name`: not true or false; `detail`: the result already has "
                f"{SHARE_LINKS_LIVE_MAX} live links (revoke one first). Nothing is saved.",
            ),
            404: OpenApiResponse(DETAIL_ERROR, description="No result of yours has this id."),
        },
        description="A new link to the result, with an unguessable token.",
    )
    def post(self, request, assessment_id):
        data = ShareInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            link = services.share_create(
                assessment_id=assessment_id,
                user=request.user,
                show_name=data.validated_data.get("show_name", False),
            )
        except Assessment.DoesNotExist:
            raise exceptions.NotFound() from None
        return Response(
            ShareOutputSerializer(link, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class AssessmentShareApi(APIView):
    """One of your links: DELETE revokes it, and it answers 404 from then on, for everyone."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={
            204: OpenApiResponse(description="Revoked."),
            404: OpenApiResponse(
                DETAIL_ERROR,
                description="No live link of yours to this result has this token (revoked "
                "already, someone else's, or none).",
            ),
        },
    )
    def delete(self, request, assessment_id, token):
        try:
            services.share_revoke(assessment_id=assessment_id, token=token, user=request.user)
        except ShareLink.DoesNotExist:
            raise exceptions.NotFound() from None
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- the methodology -------------------------------------------------------------------------


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


def _method() -> dict:
    least = settings.PEERS_MIN_RESULTS
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
        % {"below": scoring.CLOSE_CALL_BELOW},
        "close_call_below": scoring.CLOSE_CALL_BELOW,
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
        % {"least": least, "smallest_bar": peers.SMALLEST_BAR},
        "peers_min_results": least,
        "smallest_bar": peers.SMALLEST_BAR,
    }


def _version_figures(figures: selectors.VersionFigures) -> dict:
    shown, split_shown = figures.shown, figures.split_shown
    return {
        "version": figures.version,
        "results": figures.results,
        "answers": figures.answers,
        "shown": shown,
        "answers_needed": figures.answers_needed,
        "feels_right_percent": figures.feels_right_percent if shown else None,
        "clear": {
            "answers": figures.clear_answers,
            "feels_right_percent": figures.clear_percent if split_shown else None,
        },
        "close_call": {
            "answers": figures.close_answers,
            "feels_right_percent": figures.close_percent if split_shown else None,
        },
        "languages": [
            {
                "language": language.language,
                "results": language.results,
                "answers": language.answers,
                "feels_right_percent": (
                    language.feels_right_percent if figures.languages_split_shown else None
                ),
            }
            for language in figures.languages
        ],
    }


class MethodologyApi(APIView):
    """How the fit is computed, and per published version how its results were received: the
    share of people who said their result felt right, split by clear lean and close call.
    Never a comment."""

    # Not cached: three queries, and the figures change with every answer.
    permission_classes = [AllowAny]

    @extend_schema(responses={200: MethodologyOutputSerializer})
    def get(self, request):
        data = {
            "method": _method(),
            "versions": [_version_figures(row) for row in selectors.methodology_figures()],
        }
        return Response(MethodologyOutputSerializer(data).data)
