"""Gongjiang settings: one file, every deployment choice read from the environment.

Development (DEBUG on) works with no set-up: fixed development keys and an SQLite file under var/.
Production (DEBUG off) refuses to start without real keys.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GONGJIANG_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

# Development keys: public, so only ever accepted with DEBUG on.
DEV_SECRET_KEY = "dev-only-insecure-secret-key-gongjiang-0000000000000000000000"
DEV_DATA_KEY = "1:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"


def required_secret(name: str, dev_default: str) -> str:
    value = os.environ.get(name, "")
    if value:
        return value
    if DEBUG:
        return dev_default
    raise ImproperlyConfigured(
        f"{name} is not set. With DEBUG off the platform will not start without it; "
        f"see .env.example and README.md."
    )


SECRET_KEY = required_secret("GONGJIANG_SECRET_KEY", DEV_SECRET_KEY)
# Personal-data key ring: "VERSION:HEX[,VERSION:HEX...]"; see gongjiang/core/crypto.py.
GONGJIANG_DATA_KEY = required_secret("GONGJIANG_DATA_KEY", DEV_DATA_KEY)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "gongjiang.common.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tables2",
    "django_filters",
    "ninja",  # its Swagger UI files, served locally for the API's interactive docs
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "gongjiang.common",
    "gongjiang.core",
    "gongjiang.accounts",
    "gongjiang.workflow",
    "gongjiang.jobs",
    "gongjiang.orgs",
    "gongjiang.talents",
    "gongjiang.evaluation",
    "gongjiang.carriers",
    "gongjiang.schools",
    "gongjiang.competitions",
    "gongjiang.honours",
    "gongjiang.benefits",
    "gongjiang.training",
    "gongjiang.plan",
    "gongjiang.stats",
    "gongjiang.portal",
    "gongjiang.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "gongjiang.common.middleware.RequestContextMiddleware",
    "gongjiang.common.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "gongjiang.accounts.middleware.SessionLifetimeMiddleware",
    "gongjiang.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "gongjiang.common.middleware.ErrorPageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "gongjiang.api.middleware.ApiCallMiddleware",
    # Last, so that its process_exception runs first: a row out of reach is 404, never 403.
    "gongjiang.accounts.middleware.OutOfScopeMiddleware",
]

ROOT_URLCONF = "gongjiang.urls"
WSGI_APPLICATION = "gongjiang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "gongjiang" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongjiang.accounts.context_processors.navigation",
            ],
        },
    }
]

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'gongjiang.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Tests use a file (not memory) so that worker processes started by tests see the same data.
    # One file per test run, so two runs in one checkout do not share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-gongjiang-{os.getpid()}.sqlite3")}
    # WAL lets the web process read while a background job writes. IMMEDIATE transactions take the
    # write lock when they begin, so two writers queue (up to the timeout) instead of one of them
    # failing with "database is locked" when it upgrades a read to a write half-way through.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "timeout": env_int("GONGJIANG_SQLITE_TIMEOUT", 30),
            "transaction_mode": "IMMEDIATE",
        }
    )
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work: django-tasks with its database backend; `python manage.py worker` runs it.
# GONGJIANG_TASKS_IMMEDIATE=1 runs tasks inside the request instead (tests, one-off commands).
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env_bool("GONGJIANG_TASKS_IMMEDIATE", False)
            else "django_tasks_db.DatabaseBackend"
        )
    }
}
GONGJIANG_JOB_DIR = Path(os.environ.get("GONGJIANG_JOB_DIR", VAR_DIR / "jobs"))
# Signed checkpoints of the audit chain's head, kept outside the database (verify_audit).
GONGJIANG_AUDIT_CHECKPOINT_FILE = Path(
    os.environ.get("GONGJIANG_AUDIT_CHECKPOINT_FILE", VAR_DIR / "audit" / "checkpoints.jsonl")
)
# Between nightly runs the worker writes a checkpoint this often (minutes).
GONGJIANG_AUDIT_CHECKPOINT_MINUTES = env_int("GONGJIANG_AUDIT_CHECKPOINT_MINUTES", 60)
# Clear working copies (decrypted uploads, reports being written): private directories per process.
GONGJIANG_WORK_DIR = Path(os.environ.get("GONGJIANG_WORK_DIR", VAR_DIR / "work"))
# A running job whose worker has sent no heartbeat for this long is taken to be dead.
GONGJIANG_JOB_STALE_SECONDS = env_int("GONGJIANG_JOB_STALE_SECONDS", 120)
# An import of at least this many rows into tables holding fewer rebuilds their indexes afterwards.
GONGJIANG_IMPORT_BULK_MIN_ROWS = env_int("GONGJIANG_IMPORT_BULK_MIN_ROWS", 50_000)
# Forked converter processes of an import of a large file (one a core: these machines have two).
GONGJIANG_IMPORT_CONVERTERS = env_int("GONGJIANG_IMPORT_CONVERTERS", 2)
GONGJIANG_READ_LIMITS = {
    "max_bytes": env_int("GONGJIANG_MAX_UPLOAD_MB", 300) * 1024 * 1024,
    "max_rows": env_int("GONGJIANG_MAX_ROWS", 1_100_000),
    "max_columns": env_int("GONGJIANG_MAX_COLUMNS", 256),
    "max_cells": env_int("GONGJIANG_MAX_CELLS", 40_000_000),
}
# Each background job runs in a child process of the worker with this much address space: a
# file that makes the reader run out of memory fails its job, not the worker.
GONGJIANG_JOB_MEMORY_MB = env_int("GONGJIANG_JOB_MEMORY_MB", 6144)
# A background task failing on a transient database error (locked, connection dropped) is tried
# this many times in all, pausing BACKOFF, 2×BACKOFF, 4×BACKOFF … seconds between tries.
# The worker starts the nightly maintenance once a day after this time (Beijing, HH:MM).
GONGJIANG_NIGHTLY_AT = os.environ.get("GONGJIANG_NIGHTLY_AT", "02:00")
GONGJIANG_TASK_TRIES = env_int("GONGJIANG_TASK_TRIES", 6)
GONGJIANG_TASK_BACKOFF = float(os.environ.get("GONGJIANG_TASK_BACKOFF", "2"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "gongjiang.accounts.backends.RoleBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "gongjiang.accounts.validators.CharacterClassValidator"},
    {"NAME": "gongjiang.accounts.validators.NoPersonalDataValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions: idle sessions end after 30 minutes (cookie age renewed on every request),
# every session after 12 hours (SessionLifetimeMiddleware).
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_LIFETIME = timedelta(hours=12)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Second factor (TOTP with recovery codes, django-otp) for city admins, the three administrators and
# anyone who may reveal ID numbers or pay money: forced when DEBUG is off; with DEBUG on (tests,
# demo) offered but not forced, unless GONGJIANG_OTP_REQUIRED=1 (tests of the enforcement set it).
GONGJIANG_OTP_REQUIRED = env_bool("GONGJIANG_OTP_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = "工匠 连云港"

# Lock-out: 5 failures per username and, separately, per address; 30 minutes cool-off.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# One count per account however its name is typed (GANYU, Ganyu, " ganyu ").
AXES_USERNAME_CALLABLE = "gongjiang.accounts.backends.lockout_username"
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False

# The interface is Chinese whatever language a browser asks for (no LocaleMiddleware): Django's
# and the libraries' own words (form errors, the pager) stay Chinese in an English browser too.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "gongjiang" / "static"]
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
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = VAR_DIR / "media"

# Public certificate verification and self-registration: lookups per client address per hour
# (counted in the database, so every web process sees the same count).
GONGJIANG_VERIFY_LIMIT_PER_HOUR = env_int("GONGJIANG_VERIFY_LIMIT_PER_HOUR", 20)
GONGJIANG_REGISTER_LIMIT_PER_HOUR = env_int("GONGJIANG_REGISTER_LIMIT_PER_HOUR", 5)
# The partner API: calls per token per minute, the largest request body, rows per write call.
GONGJIANG_API_CALLS_PER_MINUTE = env_int("GONGJIANG_API_CALLS_PER_MINUTE", 120)
GONGJIANG_API_MAX_BODY_KB = env_int("GONGJIANG_API_MAX_BODY_KB", 1000)
GONGJIANG_API_MAX_ROWS = env_int("GONGJIANG_API_MAX_ROWS", 2000)
# Refusals of an already registered ID number per user per hour before registering is refused
# outright (the refusal would otherwise tell anyone who may register whether an ID is on file).
GONGJIANG_DUPLICATE_ID_LIMIT_PER_HOUR = env_int("GONGJIANG_DUPLICATE_ID_LIMIT_PER_HOUR", 10)

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

# Security headers. HTTPS settings apply when DEBUG is off (production sits behind TLS).
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Demo mode lets seed_demo create accounts with a known password (never in production).
GONGJIANG_DEMO = env_bool("GONGJIANG_DEMO", DEBUG) and DEBUG

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "gongjiang.common.middleware.RequestIdLogFilter"},
        # Masks any resident ID or mobile number in every line (SECURITY.md: none in logs).
        "personal_numbers": {"()": "gongjiang.common.middleware.PersonalNumberLogFilter"},
    },
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id", "personal_numbers"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # The development server's access log and Django's own request log go through the same
    # handler (and so the same filters) instead of Django's defaults.
    "loggers": {
        "django": {"handlers": [], "level": os.environ.get("LOG_LEVEL", "WARNING"), "propagate": True},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
