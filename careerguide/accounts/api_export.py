"""The person's data export over the API (GET me/export/): the same document as the site's
/profile/export/, from the same builder (data_export.user_data_export)."""

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .data_export import DataExportSerializer, user_data_export


class MeExportApi(APIView):
    """Everything we hold about you, as JSON: your account, results (with their answers and
    share links), self-check, plan, an unfinished attempt, API tokens' metadata and log-ins.
    The same document as the site's "Download my data"."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="me_export", responses={200: DataExportSerializer})
    def get(self, request):
        return Response(user_data_export(user=request.user, request=request))
