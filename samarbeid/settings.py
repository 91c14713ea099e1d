"""Settings, driven by environment variables (see .env.example).

Development needs no configuration: SQLite under var/, DEBUG on. Production sets
DEBUG=false, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL.
"""

import json
import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    # ninja's own templates and static files: the API docs (Swagger UI) are served from
    # here, not from a CDN, so they work offline and under the Content-Security-Policy.
    "ninja",
    # Django 6's task framework (the django-tasks backport) with its database backend:
    # background work (invoice runs, reports, imports) queued in the database, run by
    # `manage.py db_worker` on any machine (samarbeid.jobs shows users their tasks)
    "django_tasks",
    "django_tasks_db",
    "samarbeid.core",
    "samarbeid.accounts",
    "samarbeid.audit",
    "samarbeid.jobs",
    "samarbeid.registry",
    "samarbeid.governance",
    "samarbeid.arenas",
    "samarbeid.portfolio",
    "samarbeid.finance",
    "samarbeid.planning",
    "samarbeid.strategy",
    "samarbeid.review",
    "samarbeid.workshops",
    "samarbeid.meetings",
    "samarbeid.reports",
    "samarbeid.portal",
    "samarbeid.reminders",
    "samarbeid.signin",
    "samarbeid.archive",  # Noark 5 archive extracts
    "samarbeid.oparl",  # OParl 1.1, read only
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Reads ask the data version (the key of cached figures) once, however many parts use it.
    "samarbeid.core.read_version.VersionOncePerReadMiddleware",
    "samarbeid.core.locale.ChosenLanguageMiddleware",
    "samarbeid.core.limits.RequestSizeMiddleware",  # 413 before any body is read
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "samarbeid.accounts.middleware.ApiTokenMiddleware",
    "samarbeid.core.nul.RejectNulMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # A page's write that met another user's at the same moment: 409 and a page saying so.
    "samarbeid.core.conflicts.IntegrityErrorMiddleware",
    # A page's address asked with a method it does not take: the 405 page, not a blank one.
    "samarbeid.core.not_allowed.NotAllowedPageMiddleware",
]

ROOT_URLCONF = "samarbeid.urls"
WSGI_APPLICATION = "samarbeid.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "samarbeid" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "samarbeid.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'samarbeid.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# SQLite (the default database) lets one writer in at a time. A transaction that first reads
# and then writes can otherwise fail at once with "database is locked" when another writer
# got in between; IMMEDIATE transactions take the write lock when they begin, and the busy
# timeout lets a writer wait for it (up to DB_BUSY_TIMEOUT seconds) instead of failing.
# WAL lets readers go on while one writes. PostgreSQL needs none of this.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("DB_BUSY_TIMEOUT", 20),
            "init_command": "PRAGMA journal_mode=WAL",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cached figures are kept under data versions stored in the database (core.stamps), so
# any cache is consistent across app servers; a shared one also computes each figure once.
# With REDIS_URL set (e.g. redis://127.0.0.1:6379/0), every app server and worker shares
# Django's Redis cache: N servers compute a figure once, and a restarted one finds it warm.
# Without it each process caches in its own memory (`make run` needs no Redis). Django's
# default keeps only 300 entries; the budget splits alone need one per arena, so a busy
# municipality's page would evict its own. The local cache is bounded by size too
# (CACHE_MAX_BYTES per worker, default 16 MiB): entries of old data versions stay until
# pushed out, and a worker must not grow with every write (Redis: set `maxmemory` with an
# LRU policy, see the README's deployment section).
REDIS_URL = env_str("REDIS_URL")
CACHES: dict[str, dict[str, Any]] = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "samarbeid"),
        }
        if REDIS_URL
        else {
            "BACKEND": "samarbeid.core.cache.SizeBoundedLocMemCache",
            "OPTIONS": {
                "MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 20000),
                "MAX_BYTES": env_int("CACHE_MAX_BYTES", 16 * 1024 * 1024),
            },
        }
    ),
    # Whole public responses (core.public_cache), apart so that pages do not push out the
    # figures: the same Redis under its own prefix, else each process's own memory
    # (PAGE_CACHE_MAX_BYTES per worker, default 8 MiB).
    "pages": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "samarbeid") + "-pages",
        }
        if REDIS_URL
        else {
            "BACKEND": "samarbeid.core.cache.SizeBoundedLocMemCache",
            "LOCATION": "pages",
            "OPTIONS": {
                "MAX_ENTRIES": env_int("PAGE_CACHE_MAX_ENTRIES", 2000),
                "MAX_BYTES": env_int("PAGE_CACHE_MAX_BYTES", 8 * 1024 * 1024),
            },
        }
    ),
}
FORMS_URLFIELD_ASSUME_HTTPS = True

# Background tasks: queued in the database, so every worker on any machine takes from one
# queue (`manage.py db_worker`; README "Bakgrunnsoppgaver"). The tests run the same backend
# and the worker in-process (samarbeid.jobs.tests).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "samarbeid.accounts.passwords.MinimumLength"},  # Django's, in bokmål
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

# API lists: at most this many records per page (a bigger `limit` is a 422, not a slow query).
NINJA_PAGINATION_MAX_LIMIT = env_int("API_MAX_PAGE_SIZE", 1000)
NINJA_PAGINATION_PER_PAGE = 100

# Log-in throttling: five failures lock the username+address pair for an hour (the user
# from another address, and other users from this one, can still log in). Behind reverse
# proxies, TRUSTED_PROXY_COUNT says how many: the client's address is then the one the
# outermost proxy wrote into X-Forwarded-For, never what the client wrote there
# (accounts.client_address). 0, the default, uses the connection's address only.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "samarbeid.accounts.client_address.client_address"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_VERBOSE = False
AXES_RESET_ON_SUCCESS = True
# The lock-out page explains in Norwegian what happened and when to try again (HTTP 429).
AXES_LOCKOUT_TEMPLATE = "core/lockout.html"

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norsk bokmål")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "samarbeid" / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
# Serve files straight from the apps and npm build too, so tests and `runserver` need no
# collectstatic; production still runs collectstatic (make serve) for hashed names.
WHITENOISE_USE_FINDERS = True
STATICFILES_DIRS = [BASE_DIR / "samarbeid" / "static"]
# Uploaded files (meeting documents): local files under var/media by default, or an
# S3-compatible store (django-storages) when S3_BUCKET is set. They are never served from
# MEDIA_URL: a view checks that the user may see each file (meetings.views.documents.document_file).
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
S3_BUCKET = env_str("S3_BUCKET")
DEFAULT_STORAGE: dict[str, Any] = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    if S3_BUCKET
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Security: strict by default in production, relaxed only for local HTTP development.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# `make run` serves as in production (DEBUG off) over plain HTTP on the developer's machine
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        # key=value pairs; the time in UTC with its offset (samarbeid/core/logs.py)
        "structured": {"()": "samarbeid.core.logs.StructuredFormatter"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
    # a task refused for a reason its user reads is not logged as the software's error
    "filters": {
        "expected_task_failures": {"()": "samarbeid.jobs.logs.ExpectedFailures"},
        "refusals_without_traceback": {"()": "samarbeid.core.logs.RefusalsWithoutTraceback"},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # authlib logs requests at DEBUG with tokens in them: never below WARNING
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "authlib": {"level": "WARNING"},
        "django_tasks": {"filters": ["expected_task_failures"]},
        # a 403 is one line (the path and who was refused), not a traceback
        "django.request": {"filters": ["refusals_without_traceback"]},
    },
}

# Shown in the interface: the organisation that runs this instance.
SITE_NAME = env_str("SITE_NAME", "Samarbeid")


# Sign-in with the municipality's own account: OpenID Connect providers (Microsoft Entra ID,
# ID-porten, any other), as a JSON list (README: "Signing in with the municipality's
# account"). Empty: username and password only.
def _oidc_providers() -> list[dict[str, Any]]:
    raw = env_str("OIDC_PROVIDERS")
    if not raw:
        return []
    try:
        providers = json.loads(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"OIDC_PROVIDERS is not JSON: {exc}") from exc
    required = {"slug", "name", "issuer", "client_id", "client_secret"}
    if not isinstance(providers, list) or not all(
        isinstance(p, dict) and required <= set(p) for p in providers
    ):
        raise ImproperlyConfigured(
            f"OIDC_PROVIDERS must be a list of objects with {sorted(required)}"
        )
    return providers


OIDC_PROVIDERS = _oidc_providers()

# Where the app is reached, for the links in e-mails (no trailing slash).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# E-mail (reminders): SMTP as configured; without EMAIL_HOST, development prints the
# messages to the console instead of sending them.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Samarbeid <ikke-svar@samarbeid.example.no>")
