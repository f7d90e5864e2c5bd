"""Django settings, read from the environment.

Defaults suit a local machine (SQLite under ``NMT_DATA_DIR``, generated secrets beside it); every
value can be set from the environment, and a bad value stops start-up with a message naming it.
See docs/operations.md for the full list.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from nmt.config.env import env_bool, env_int, env_list, env_str, secret_from_env_or_file

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("NMT_DATA_DIR", "var")).resolve()

DEBUG = env_bool("NMT_DEBUG", False)
SECRET_KEY = secret_from_env_or_file("NMT_SECRET_KEY", DATA_DIR)
ALLOWED_HOSTS = env_list("NMT_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("NMT_CSRF_TRUSTED_ORIGINS", [])

_database_url = env_str("DATABASE_URL", "")
if _database_url:
    try:
        _database = dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
    if _database["ENGINE"] not in {
        "django.db.backends.postgresql",
        "django.db.backends.sqlite3",
    }:
        raise ImproperlyConfigured(
            f"DATABASE_URL: engine {_database['ENGINE']} is not supported; use postgres:// or sqlite://"
        )
    if _database["ENGINE"] == "django.db.backends.postgresql":
        # The registry's queries are short; compiling them (JIT) costs more than it saves.
        _database.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
else:
    _database = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / "nmt.sqlite3"),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }
_database["ATOMIC_REQUESTS"] = False
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "nmt.accounts",
    "nmt.audit",
    "nmt.access",
    "nmt.cases",
    "nmt.supportline",
    "nmt.methods",
    "nmt.reports",
    "nmt.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "nmt.web.middleware.SessionActivityMiddleware",
    "nmt.web.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "nmt.web.middleware.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "nmt.web.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "nmt.web.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "nmt.config.urls"
WSGI_APPLICATION = "nmt.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A second factor (TOTP, with recovery codes) for every role: they all see personal data.
NMT_REQUIRE_TWO_FACTOR = env_bool("NMT_REQUIRE_TWO_FACTOR", True)
OTP_TOTP_ISSUER = "NMT"
# Repeated failed logins lock the account for a while (django-axes), logged to the audit.
AXES_FAILURE_LIMIT = env_int("NMT_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("NMT_LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "nmt.web.auth.locked_out"
AXES_VERBOSE = False
# Axes warns unless the address is part of the lockout key; the key here is the account, which no
# change of browser or cookies escapes, and locking whole addresses would lock out every user
# behind a municipality's shared NAT. Address-level throttling belongs to the proxy.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Retention (set by the controller's gallringsbeslut): years after a person's last case closed
# before they are anonymised; years before a call's free text is cleared; years after an imported
# agency list's period before its identities are cleared.
NMT_RETENTION_CLOSED_CASE_YEARS = env_int("NMT_RETENTION_CLOSED_CASE_YEARS", 5, minimum=1)
NMT_RETENTION_CALL_YEARS = env_int("NMT_RETENTION_CALL_YEARS", 2, minimum=1)
NMT_RETENTION_AGENCY_LIST_YEARS = env_int("NMT_RETENTION_AGENCY_LIST_YEARS", 5, minimum=1)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after inactivity (SessionActivityMiddleware renews them while in use) and with the
# browser.
SESSION_COOKIE_AGE = env_int("NMT_SESSION_IDLE_SECONDS", 30 * 60, minimum=120)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
_secure = env_bool("NMT_SECURE_COOKIES", not DEBUG and bool(_database_url))
SESSION_COOKIE_SECURE = _secure
CSRF_COOKIE_SECURE = _secure
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = env_int("NMT_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
_behind_proxy = env_bool("NMT_BEHIND_TLS_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _behind_proxy else None
# Rate limits and lockouts count the address the proxy appended, never one the client claims.
AXES_IPWARE_PROXY_COUNT = 1 if _behind_proxy else None

LANGUAGE_CODE = "sv"
# Each language is named in itself, as language switches do.
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "web" / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Static files are served from the package by WhiteNoise; collectstatic only where configured.
STATIC_ROOT = env_str("NMT_STATIC_ROOT", "") or None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Uploaded files (the methods library) live under the data dir and are never served as static
# files: downloads go through a view that checks access (nmt.methods). No MEDIA_URL on purpose.
MEDIA_ROOT = env_str("NMT_MEDIA_ROOT", str(DATA_DIR / "media"))
NMT_LIBRARY_MAX_BYTES = env_int("NMT_LIBRARY_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)

NMT_API_TOKEN_SECONDS = env_int("NMT_API_TOKEN_SECONDS", 8 * 3600, minimum=60)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "nmt.api.authentication.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min"},
    "NUM_PROXIES": 1 if _behind_proxy else 0,
    "EXCEPTION_HANDLER": "nmt.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "NMT API",
    "DESCRIPTION": "Cases, identifications, measures, referrals and support-line contacts.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    # Swagger UI is served from our own static files: no CDN (see nmt.api.views.docs).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several code lists share a field name ("status", "kind"); name their enums explicitly.
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "nmt.cases.codes.CaseStatus",
        "MeasureStatusEnum": "nmt.cases.codes.MeasureStatus",
        "ReferralStatusEnum": "nmt.cases.codes.ReferralStatus",
        "MeasureKindEnum": "nmt.cases.codes.MeasureKind",
        "DocumentKindEnum": "nmt.cases.codes.DocumentKind",
        "TimelineKindEnum": "nmt.cases.codes.TimelineKind",
    },
}

# Keys for field encryption and blind indexes (see docs/adr/0002-access-and-protection.md).
FIELD_ENCRYPTION_KEYS = env_list("NMT_FIELD_KEYS", []) or [
    secret_from_env_or_file("NMT_FIELD_KEY", DATA_DIR, nbytes=32)
]
BLIND_INDEX_KEY = secret_from_env_or_file("NMT_BLIND_INDEX_KEY", DATA_DIR, nbytes=32)
# Seals backup archives (nmt backup); keep it apart from the archives and from the field keys.
BACKUP_KEY = secret_from_env_or_file("NMT_BACKUP_KEY", DATA_DIR, nbytes=32)
# Permanent record keys of the cell key method (docs/report.md): must never change between years.
RECORD_KEY_SECRET = secret_from_env_or_file("NMT_RECORD_KEY_SECRET", DATA_DIR, nbytes=32)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("NMT_LOG_LEVEL", "WARNING")},
}

# Shared by all server processes (login throttling, API rate limits); a file cache needs no server.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env_str("NMT_CACHE_DIR", str(DATA_DIR / "cache")),
    }
}
