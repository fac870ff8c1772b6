"""Security settings, read from the environment: the log-in lockout (django-axes and our own
limits), the client address behind our proxies, password rules, cookies, headers and the
Content Security Policy. The production-only parts (HTTPS, HSTS, secure cookies) depend on
DEBUG and stay in base.py; the API's throttle rates are in REST_FRAMEWORK there."""

from datetime import timedelta

from .env import env_int, env_list

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out person is refused before their password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# The log-in lockout (site, admin and API alike; core.security.LockoutHandler, and for staff
# accounts the password is half a log-in: careerguide.accounts.two_factor). A username is
# locked *from one address* after AXES_FAILURE_LIMIT failures within AXES_COOLOFF_TIME, and a
# log-in clears only that username's failures from that address; an address is locked for every
# username after LOCKOUT_ADDRESS_FAILURE_LIMIT failures across usernames (except for usernames
# that have logged in from it before). A stranger elsewhere can't lock anyone out of their own
# account. Attempts live in the database: every instance shares them, with or without Redis.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "careerguide.accounts.two_factor.LockoutHandler"
AXES_USERNAME_CALLABLE = "core.security.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "core.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"
AXES_VERBOSE = False

# --- Accounts security: settings of our own (README, "Security") -----------------------------
# Failures from one address, across all usernames, before it is locked for AXES_COOLOFF_TIME.
LOCKOUT_ADDRESS_FAILURE_LIMIT = env_int("LOCKOUT_ADDRESS_FAILURE_LIMIT", 20)
# Days a successful log-in's access log (who, from where, when) is kept; `manage.py
# prune_auth_records` (run it daily) deletes older ones, with expired attempts and tokens.
ACCESS_LOG_RETENTION_DAYS = env_int("ACCESS_LOG_RETENTION_DAYS", 30)
# A wrong password when deleting the account or changing the password counts against that
# person: after AXES_FAILURE_LIMIT of them within AXES_COOLOFF_TIME, re-checks answer 429.
# Sign-ups, reset requests and e-mails to one address: rates in REST_FRAMEWORK below.
# --- end of accounts security ----------------------------------------------------------------
# The addresses (or networks, e.g. 10.0.0.0/8) of our own proxies. X-Forwarded-For is read only
# on a request that comes from one of them, and only as far as they wrote it, so a header a
# client made up changes nothing (core.security.client_ip).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
# An IPv6 client counts as its whole network of this prefix length (a /64 is what one home or
# one server is given, so one person has 2**64 addresses): the log-in lockout, the throttles
# and the auth log all see the network's first address (core.security.client_ip). IPv4
# addresses are counted one by one.
IPV6_CLIENT_PREFIX = env_int("IPV6_CLIENT_PREFIX", 64)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Production hardening. Behind a TLS proxy that sends X-Forwarded-Proto.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # the site's forms carry the token in the page, not from the cookie
# Content Security Policy: scripts only from our own origin, never inline. Inline style
# attributes stay allowed (Bootstrap's progress bars, the admin's widgets); they can't run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
