"""careerguide settings, read from the environment.

With no environment at all the site runs in development mode on a SQLite file under var/,
with a local-memory cache and e-mail printed to the console. Production is DEBUG=0 with
SECRET_KEY and ALLOWED_HOSTS set, behind a TLS proxy that sends X-Forwarded-Proto.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

# The log-in lockout, client addresses, passwords, cookies, headers and CSP (security.py), the
# caches and sessions (caches.py): each read from the environment there.
from .caches import *  # noqa: F403
from .env import env_bool, env_int, env_list
from .security import *  # noqa: F403

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

# Off unless asked for: the WSGI entry point (gunicorn) runs in production mode, and refuses to
# start without a SECRET_KEY. manage.py (and so `make run`) asks for debug mode by default.
DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Only ever used on a developer's machine: DEBUG is on and no key was given.
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The site's own address, e.g. https://careerguide.example.com: links in e-mails and absolute
# URLs in shared (cached) answers are built from it, never from a request's Host header.
# Empty in development: then the request's host is used, and kept in every cache key.
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")

INSTALLED_APPS = [
    # Before the admin: it adds the per-language fields to the content models' admin forms.
    "modeltranslation",
    "careerguide.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django_prometheus",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",
    "careerguide.accounts",
    "careerguide.content",
    "roles",
    "quizzes",
    "assessments",
    "plans",
]

MIDDLEWARE = [
    # First: the time of everything after it, by view, and the answers by status (/metrics).
    "core.request_metrics.RequestMetricsMiddleware",
    # Gives each request its id (X-Request-ID) before anything logs.
    "core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before CommonMiddleware (which redirects /es/x to /es/x/ in that language).
    "core.middleware.LocaleMiddleware",
    # Before CommonMiddleware: an unknown API address answers JSON, never a slash redirect.
    "core.middleware.ApiAnswersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed a second factor (the admin asks).
    "django_otp.middleware.OTPMiddleware",
    "core.middleware.PrivateResponsesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-csp's, with the policy built once (core.middleware).
    "core.middleware.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its 429 answer.
    "axes.middleware.AxesMiddleware",
]

# The log-in lockout, client addresses, passwords, cookies, headers and CSP (security.py);
# the caches and sessions (caches.py): each read from the environment there.
from .caches import *  # noqa: E402, F403
from .security import *  # noqa: E402, F403

ROOT_URLCONF = "careerguide.urls"
WSGI_APPLICATION = "careerguide.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: a SQLite file under var/ unless DATABASE_URL names another (postgres://...).
DEFAULT_SQLITE_URL = f"sqlite:///{VAR_DIR / 'careerguide.sqlite3'}"
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip() or DEFAULT_SQLITE_URL
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        # Reuse connections across requests, and check them before use so that a
        # restarted PostgreSQL costs one failed check, not a failed request.
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# django-prometheus' wrappers of Django's own backends count queries, errors and their time.
DATABASES["default"]["ENGINE"] = DATABASES["default"]["ENGINE"].replace(
    "django.db.backends.", "django_prometheus.db.backends."
)
if DATABASES["default"]["ENGINE"].endswith(".sqlite3"):
    VAR_DIR.mkdir(exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # Take the write lock at the start of a transaction, so two writers queue
        # instead of failing with "database is locked" half-way through.
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "home"

# E-mail, the task queue and its periodic jobs, /metrics, the second factor's issuer and the
# logs (operations.py): each read from the environment there.
from .operations import *  # noqa: E402, F403

# Languages: English at today's URLs, Spanish under /es/ (i18n_patterns in urls.py). The API
# answers in the language of the Accept-Language header. To add a language, see the README.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our own named date and number formats (careerguide/formats/<language>/formats.py), so that
# templates say |date:"DATE_FORMAT" and each language writes dates its own way.
FORMAT_MODULE_PATH = ["careerguide.formats"]
LANGUAGE_COOKIE_NAME = "careerguide_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Content (roles, tools, questions...) is translated with django-modeltranslation: a column per
# language in the same row, so no page needs an extra query; an empty Spanish text shows English.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "es")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en",)}
MODELTRANSLATION_AUTO_POPULATE = False
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Bootstrap comes from its npm package (package-lock.json), served by us, never a CDN.
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Request bodies: no form or endpoint of ours needs near a megabyte (Django's default is 2.5 MB);
# a bigger body is a 400 before it is parsed. The proxy caps bodies as well (README, Deploying).
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
# No page takes files; one that ever does streams any over this to a temporary file.
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
# The quiz version page in the admin sends every weight (choices x roles) at once.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
# The catalog: content that is the same for everyone. A save or delete of any of these makes
# every cached page, catalog API answer and scoring table stale (core.caching).
CATALOG_MODELS = [
    "roles.Role",
    "roles.FocusArea",
    "roles.FocusPoint",
    "roles.ToolCategory",
    "roles.Tool",
    "roles.SalaryFigure",
    "roles.CareerAspect",
    "roles.AspectText",
    "roles.LabourSource",
    "roles.Occupation",
    "roles.RoleProxy",
    "roles.WageDistribution",
    "roles.Outlook",
    "quizzes.Quiz",
    "quizzes.QuizVersion",
    "quizzes.Question",
    "quizzes.Choice",
    "quizzes.ChoiceWeight",
]
# Where a result stands among everyone's is shown only once its quiz version has this many
# kept results (and the methodology page's feedback figures once they have this many answers).
PEERS_MIN_RESULTS = int(os.environ.get("PEERS_MIN_RESULTS", "20"))

# The follow-up people may ask for on a kept result ("which path did you take?") is sent this
# many days after they agreed (assessments.following; the checkbox's wording says 6 months).
FOLLOW_UP_AFTER_DAYS = env_int("FOLLOW_UP_AFTER_DAYS", 180)

# Share cards (assessments/cards.py) are drawn in Debian's DejaVu Sans from here when installed
# (package fonts-dejavu-core), else in the font that ships with Pillow.
CARD_FONT_DIR = os.environ.get("CARD_FONT_DIR", "/usr/share/fonts/truetype/dejavu")

# A new learning plan is for the top role of the person's latest result: asked of the
# assessments app by name, since plans never import it (see CONVENTIONS.md, "The house").
PLAN_DEFAULT_ROLE = "assessments.selectors.assessment.latest_top_role_slug"

# A quiz version's page in the admin shows how people received it: the methodology figures,
# built from people's results by the app above the quizzes app, named here for the same reason.
QUIZ_VERSION_FIGURES = "assessments.selectors.figures.version_figures_get"
# Its item analysis (quizzes/admin/item_analysis.py), likewise.
QUIZ_ITEM_ANALYSIS = "assessments.selectors.item_analysis.item_analysis_get"

# The content files load_content reads, in order (later files refer to earlier ones).
CONTENT_FIXTURES = ["catalog.json", "labour.json", "quiz.json"]

# The REST API (/api/v1/) for mobile clients: knox tokens (hashed, expiring, revocable),
# or the site's session with its CSRF token.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # knox's, without its walk over all of a person's tokens on every request.
        "careerguide.accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Its page size (and the most a client may ask for) is API_PAGE_SIZE.
    "DEFAULT_PAGINATION_CLASS": "core.api_pagination.ClientSizedPagination",
    # Throttles take the client address as the log-in lockout does (core.security.client_ip),
    # so a made-up X-Forwarded-For can't dodge them. Their counts live in the cache: while
    # Redis is unreachable they let requests through (a warning is logged).
    "DEFAULT_THROTTLE_CLASSES": [
        "core.throttling.AnonRateThrottle",
        "core.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "300/minute"),
        "user": os.environ.get("API_THROTTLE_USER", "600/minute"),
        # Registering and logging in: tight, to slow down password guessing and sign-up spam.
        "auth": os.environ.get("API_THROTTLE_AUTH", "10/minute"),
        # Accounts, on the site and the API alike (careerguide.accounts.throttling): sign-ups
        # and password-reset requests per client address, and e-mails we send to any one
        # address someone typed (reset links, sign-up mails), so no one can flood an inbox.
        "signup": os.environ.get("THROTTLE_SIGNUP", "20/hour"),
        "password_reset": os.environ.get("THROTTLE_PASSWORD_RESET", "5/hour"),
        "email": os.environ.get("THROTTLE_EMAIL", "3/hour"),
        # A shared result (/s/<token>/ and its card) per client address, the two together: a
        # person opens the page and its card a few times, a script asking again and again
        # is refused (assessments.views.sharing).
        "shared_link": os.environ.get("THROTTLE_SHARED_LINK", "60/minute"),
    },
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["core.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "core.api_schema.ErrorDocumentingAutoSchema",
    "EXCEPTION_HANDLER": "core.api_errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
API_PAGE_SIZE = 20
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env_int("API_TOKEN_TTL_DAYS", 30)),
    "AUTO_REFRESH": False,
    # Live tokens a person may hold (careerguide.accounts.services.token_create): a log-in
    # beyond it revokes their oldest token, so a new device is never refused.
    "TOKEN_LIMIT_PER_USER": env_int("API_TOKEN_LIMIT_PER_USER", 20),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "careerguide API",
    "DESCRIPTION": (
        "The catalog of roles and tools, the career-fit assessment, and a person's own history. "
        "Authenticate with `Authorization: Token <key>` from auth/register or auth/login "
        "(`Bearer <key>` works too); public operations need no token and ignore one. Every "
        "error is problem details (RFC 9457, `application/problem+json`, the `Problem` schema) "
        "with a stable `code`; a method an address does not have is 405 `method_not_allowed`. "
        "Every 200 GET has an `ETag`: send it in `If-None-Match` for a 304 while nothing changed."
    ),
    "VERSION": "2.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # 3.1: a nullable object is `oneOf: [{$ref}, {type: null}]`, which validators and client
    # generators read as meant (3.0's `allOf` beside `nullable` was not).
    "OAS_VERSION": "3.1.0",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api_schema.problem_details_hook",
    ],
    "ENUM_NAME_OVERRIDES": {},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # /healthz, /readyz and /metrics are probed over plain HTTP from inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
