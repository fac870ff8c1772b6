"""Request body parsers for the API."""

import json

from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with a body nested too deeply for Python's parser (e.g. 50,000 `[`)
    refused as malformed: a 400, never a 500 from the RecursionError."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(_("JSON parse error - nested too deeply.")) from None
        except exceptions.ParseError as error:
            # Python refuses integers of more than 4,300 digits with a message about its own
            # settings (sys.set_int_max_str_digits); say it in words a client can act on.
            if "digits" in str(error.detail):
                raise exceptions.ParseError(_("JSON parse error - a number is too long.")) from None
            # DRF passes on Python's own words, in English whatever the client's language:
            # say where instead, in the client's language.
            cause = error.__context__
            if isinstance(cause, json.JSONDecodeError):
                where = {"line": cause.lineno, "column": cause.colno}
                raise exceptions.ParseError(
                    _("JSON parse error - not valid JSON at line %(line)s, column %(column)s.")
                    % where
                ) from None
            raise exceptions.ParseError(
                _("JSON parse error - the body is not valid JSON.")
            ) from None
