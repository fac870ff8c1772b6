#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careerguide.settings.base")
    # A developer's command line: debug mode unless DEBUG says otherwise (a deploy exports
    # DEBUG=0). The WSGI entry point has no such default, so gunicorn runs in production mode.
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
