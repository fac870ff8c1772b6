"""Accounts over the API: register, log in and out with knox tokens, and the person's own record."""

from django.contrib.auth import authenticate, logout, user_logged_in, user_logged_out
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.models import AuthToken
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments.selectors import assessment as assessment_selectors
from core.api_errors import LockedOut
from core.security import site_url
from core.throttling import ScopedRateThrottle

from . import services
from .claims import browser_work_claim
from .throttling import SignupThrottle


class UserOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.EmailField(
        allow_null=True,
        help_text="Null until the address is confirmed by the link e-mailed to it at sign-up.",
    )
    date_joined = serializers.DateTimeField()
    language = serializers.CharField(
        help_text="The language the person last chose on the site or signed up in ('en', 'es'; "
        "empty if none): a client may send it as Accept-Language."
    )


class MeOutputSerializer(UserOutputSerializer):
    assessment_count = serializers.IntegerField()


class TokenOutputSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`.")
    expiry = serializers.DateTimeField()
    user = UserOutputSerializer()


class RegisterInputSerializer(serializers.Serializer):
    # Its shape and whether it is free are checked by the service, after normalising it as
    # the sign-up form does: one rule for both.
    username = serializers.CharField(max_length=150, trim_whitespace=False)
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class LoginInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class AccountDeleteInputSerializer(serializers.Serializer):
    password = serializers.CharField(max_length=128, trim_whitespace=False)


def _token_response(request, user, status_code):
    instance, token = services.token_create(user=user)
    user_logged_in.send(sender=type(user), request=request, user=user)
    browser_work_claim(request._request, user)
    data = TokenOutputSerializer({"token": token, "expiry": instance.expiry, "user": user}).data
    return Response(data, status=status_code)


@method_decorator(never_cache, name="dispatch")
class CredentialsApi(APIView):
    """Where credentials are sent: open to anyone, under the tighter "auth" rate as well. Its
    answers carry a token: never stored by a cache (Cache-Control: no-store)."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_scope = "auth"

    def get_throttles(self):
        return [*super().get_throttles(), ScopedRateThrottle()]


class RegisterApi(CredentialsApi):
    """Create an account and get a token for it. The e-mail address is confirmed by a link
    sent to it (`email` is null until then); whether it already has an account is never said."""

    def get_throttles(self):
        return [*super().get_throttles(), SignupThrottle()]

    @extend_schema(
        request=RegisterInputSerializer,
        responses={201: TokenOutputSerializer, 400: OpenApiResponse(description="Field errors.")},
    )
    def post(self, request):
        data = RegisterInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_create(
            **data.validated_data, site_url=site_url(request), language=translation.get_language()
        )
        return _token_response(request, user, status.HTTP_201_CREATED)


class LoginApi(CredentialsApi):
    """Exchange a username and password for a token."""

    @extend_schema(
        request=LoginInputSerializer,
        responses={
            200: TokenOutputSerializer,
            400: OpenApiResponse(description="Missing fields, or wrong username or password."),
        },
    )
    def post(self, request):
        data = LoginInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request._request, **data.validated_data)
        if user is None:
            # Never say which of the two was wrong.
            raise serializers.ValidationError(
                _("Unable to log in with that username and password."), code="invalid_credentials"
            )
        return _token_response(request, user, status.HTTP_200_OK)


class LogoutApi(APIView):
    """Revoke the token this request was made with, or end the session it was made in."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        if isinstance(request.auth, AuthToken):
            request.auth.delete()
            user_logged_out.send(sender=type(request.user), request=request, user=request.user)
        else:
            # A session log-in: end it as the site's log-out does (the session is flushed).
            logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeApi(APIView):
    """Your account. DELETE with your password deletes it and all your assessments."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: MeOutputSerializer})
    def get(self, request):
        user = request.user
        user.assessment_count = assessment_selectors.assessment_count(user=user)
        return Response(MeOutputSerializer(user).data)

    @extend_schema(
        request=AccountDeleteInputSerializer,
        responses={
            204: None,
            400: OpenApiResponse(description="Wrong or missing password."),
            429: OpenApiResponse(description="Too many wrong passwords lately."),
        },
    )
    def delete(self, request):
        data = AccountDeleteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.user_delete(user=request.user, password=data.validated_data["password"])
        except services.TooManyAttempts as limited:
            raise LockedOut(wait=limited.retry_after, detail=limited.message) from None
        return Response(status=status.HTTP_204_NO_CONTENT)
