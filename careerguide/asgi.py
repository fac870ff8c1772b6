"""ASGI entry point, for an ASGI server should one ever serve the site."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careerguide.settings.base")

application = get_asgi_application()
