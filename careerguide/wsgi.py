"""WSGI entry point, used by gunicorn: `gunicorn careerguide.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careerguide.settings.base")

application = get_wsgi_application()
