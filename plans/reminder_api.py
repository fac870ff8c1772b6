"""The weekly plan reminder over the API (GET/PUT plan/reminders/): the same settings and the
same rules as the plan page (plans.reminders.reminder_settings_set)."""

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_fields import AsSentField

from . import reminders, reminding
from .api import InputSerializer

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class ReminderOutputSerializer(serializers.Serializer):
    enabled = serializers.BooleanField(help_text="Whether the weekly e-mail is on (off at first).")
    weekday = serializers.IntegerField(
        min_value=reminding.MONDAY,
        max_value=reminding.SUNDAY,
        help_text="The day it comes: 1 Monday ... 7 Sunday (ISO 8601).",
    )
    time_zone = serializers.CharField(
        help_text="The IANA time zone whose clock says when that day begins: the e-mail comes "
        f"from {reminding.send_from_shown()} there on that day (UTC until you choose one)."
    )
    language = serializers.ChoiceField(choices=LANGUAGE_CODES, help_text="The e-mail's language.")
    email_confirmed = serializers.BooleanField(
        help_text="Whether your account has a confirmed e-mail address (needed to switch it on)."
    )
    has_plan = serializers.BooleanField(
        help_text="Whether you saved a plan with a role (needed to switch it on)."
    )
    can_enable = serializers.BooleanField(help_text="Both of the above.")


@extend_schema_field({"type": "boolean"})
class EnabledField(AsSentField):
    pass


@extend_schema_field({"type": "integer", "minimum": reminding.MONDAY, "maximum": reminding.SUNDAY})
class WeekdayField(AsSentField):
    pass


@extend_schema_field(
    {
        "type": "string",
        "minLength": 1,
        "maxLength": reminding.TIME_ZONE_MAX_LENGTH,
        "example": "Europe/Madrid",
    }
)
class TimeZoneField(AsSentField):
    pass


@extend_schema_field({"type": "string", "enum": LANGUAGE_CODES})
class LanguageField(AsSentField):
    pass


class ReminderInputSerializer(InputSerializer):
    enabled = EnabledField(help_text="true to switch the weekly e-mail on, false to switch it off.")
    weekday = WeekdayField(
        required=False, help_text="1 Monday ... 7 Sunday; left out, the day set is kept."
    )
    time_zone = TimeZoneField(
        required=False,
        help_text="An IANA time zone name, such as Europe/Madrid or America/Mexico_City (the "
        "zone database's); left out, the zone set is kept.",
    )
    language = LanguageField(required=False, help_text="Left out, the language set is kept.")


class PlanRemindersApi(APIView):
    """Your weekly plan reminder: once a week, on the morning of the day you choose in your
    time zone, and in your language: the steps due that week, anything late and your
    progress; nothing is sent in a week with nothing due. Every e-mail has a one-click
    unsubscribe link."""

    @extend_schema(responses={200: ReminderOutputSerializer})
    def get(self, request):
        return Response(
            ReminderOutputSerializer(reminders.reminder_settings_get(user=request.user)).data
        )

    @extend_schema(
        request=ReminderInputSerializer,
        responses={
            200: ReminderOutputSerializer,
            400: OpenApiResponse(
                description="`enabled`: missing, not true/false, or true without a confirmed "
                "e-mail address or a saved plan; `weekday`: not 1-7; `time_zone`: not a name "
                "in the time zone database; `language`: not one of the site's. Nothing is "
                "saved."
            ),
        },
    )
    def put(self, request):
        data = ReminderInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        reminders.reminder_settings_set(
            user=request.user,
            enabled=values["enabled"],
            weekday=values.get("weekday"),
            time_zone=values.get("time_zone"),
            language=values.get("language"),
        )
        return Response(
            ReminderOutputSerializer(reminders.reminder_settings_get(user=request.user)).data
        )
