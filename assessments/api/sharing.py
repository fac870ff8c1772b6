"""Share links to one of your assessments, in the API: list, create and revoke."""

from django.urls import reverse
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_pagination import ClientSizedPagination
from core.security import site_url

from ..models import SHARE_LINKS_LIVE_MAX, Assessment, ShareLink
from ..selectors.sharing import share_list
from ..services.sharing import share_create, share_revoke
from .fields import AsSentBooleanField


class ShareInputSerializer(serializers.Serializer):
    default_error_messages = {"invalid": gettext_lazy("Send a JSON object with the fields below.")}

    show_name = AsSentBooleanField(
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
    pagination_class = ClientSizedPagination

    @extend_schema(
        responses={
            200: ShareOutputSerializer(many=True),
            404: OpenApiResponse(description="No result of yours has this id."),
        },
        description="The result's live links, newest first (revoked ones are left out).",
    )
    def get(self, request, assessment_id):
        try:
            links = share_list(assessment_id=assessment_id, user=request.user)
        except Assessment.DoesNotExist:
            raise exceptions.NotFound() from None
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(links, request, view=self)
        data = ShareOutputSerializer(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        request=ShareInputSerializer,
        responses={
            201: ShareOutputSerializer,
            400: OpenApiResponse(
                description="`show_name`: not true or false; `detail`: the result already has "
                f"{SHARE_LINKS_LIVE_MAX} live links (revoke one first). Nothing is saved.",
            ),
            404: OpenApiResponse(description="No result of yours has this id."),
        },
        description="A new link to the result, with an unguessable token.",
    )
    def post(self, request, assessment_id):
        data = ShareInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            link = share_create(
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
                description="No live link of yours to this result has this token (revoked "
                "already, someone else's, or none).",
            ),
        },
    )
    def delete(self, request, assessment_id, token):
        try:
            share_revoke(assessment_id=assessment_id, token=token, user=request.user)
        except ShareLink.DoesNotExist:
            raise exceptions.NotFound() from None
        return Response(status=status.HTTP_204_NO_CONTENT)
