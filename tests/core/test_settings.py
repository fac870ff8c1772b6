import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run_manage(*args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        # The browser tests allow async-unsafe calls in this process; a plain manage.py doesn't.
        if key
        not in {
            "DJANGO_SETTINGS_MODULE",
            "DEBUG",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-production-secret-key-that-is-long-and-random-5f1c9e2b7a4d8e6f0a3b9c1d",
    "ALLOWED_HOSTS": "careerguide.example.com",
    "SITE_URL": "https://careerguide.example.com",
}


def test_production_settings_pass_the_deploy_check():
    result = _run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_secret_key_is_required_when_debug_is_off():
    result = _run_manage("check", DEBUG="0", ALLOWED_HOSTS="example.com")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({}, "sqlite3"),
        ({"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/careerguide"}, "postgresql"),
    ],
)
def test_database_comes_from_database_url(variables, expected):
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    result = _run_manage("shell", "-c", code, DATABASE_URL=variables.get("DATABASE_URL", ""))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith(expected)


def test_redis_url_moves_the_caches_to_redis_and_sessions_stay_in_the_database_alone():
    code = (
        "from django.conf import settings; "
        "print(settings.CACHES['default']['BACKEND'], settings.CACHES['pages']['BACKEND'], "
        "settings.SESSION_ENGINE)"
    )
    result = _run_manage("shell", "-c", code, REDIS_URL="redis://127.0.0.1:6379/1")
    assert result.stdout.strip().splitlines()[-1].split() == [
        "core.cache_backend.FailOpenRedisCache",
        "core.cache_backend.FailOpenRedisCache",
        # Never cached_db: a log-out while Redis is unreachable would leave a copy there
        # that works again once Redis answers (tests/core/test_redis_outage.py).
        "django.contrib.sessions.backends.db",
    ]


# 14. Production is the default where the app is served --------------------------------------


def _python(code: str, **env) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, *code.split(" ", 1)]
        if code.endswith(".py")
        else [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_wsgi_entry_point_refuses_to_start_without_production_settings():
    result = _python("import careerguide.wsgi")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_the_wsgi_entry_point_runs_with_debug_off():
    result = _python(
        "import careerguide.wsgi; from django.conf import settings; print(settings.DEBUG)",
        SECRET_KEY="a-production-secret-key-that-is-long-and-random-5f1c9e2b7a4d8e6f0a3b9c1d",
        ALLOWED_HOSTS="careerguide.example.com",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_manage_py_is_the_developers_debug_mode():
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings; print(settings.DEBUG)",
        ],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True"
