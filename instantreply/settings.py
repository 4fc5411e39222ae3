"""InstantReply settings: one file, every value from the environment (see .env.example).

A git-ignored ``.env`` at the repository root (``scripts/setup.sh`` writes one with
fresh development secrets) is read first, so manage.py, celery and gunicorn agree
in a clone; variables already in the environment win over it. Tests never read it:
a developer's local file must not change what the suite checks.

Typed helpers fail loudly on malformed values; defaults run the embedded mode
(SQLite + local cache + Celery on kombu's filesystem transport) on a laptop.
"""

import base64
import hashlib
import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent
if os.environ.get("INSTANTREPLY_TESTING", "").lower() not in {"1", "true", "yes", "on"} and (
    "pytest" not in sys.modules
):
    load_dotenv(os.environ.get("INSTANTREPLY_ENV_FILE") or BASE_DIR / ".env", override=False)
VAR_DIR = Path(os.environ.get("INSTANTREPLY_VAR_DIR", BASE_DIR / "var"))

_DEV_SECRET_KEY = "dev-insecure-secret-key-do-not-use-in-production"
_DEV_META_APP_SECRET = "dev-meta-app-secret"
_DEV_META_VERIFY_TOKEN = "dev-meta-verify-token"


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("INSTANTREPLY_TESTING", "pytest" in sys.modules)
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET_KEY)
META_APP_SECRET = env_str("META_APP_SECRET", _DEV_META_APP_SECRET)
META_VERIFY_TOKEN = env_str("META_VERIFY_TOKEN", _DEV_META_VERIFY_TOKEN)
META_GRAPH_API_URL = env_str("META_GRAPH_API_URL", "https://graph.facebook.com/v24.0").rstrip("/")
# The port of the local development server (scripts/run.sh exports it from PORT).
DEV_PORT = env_int("DEV_PORT", 8000)
# Where error doc_url links point. In development the running server serves the
# docs itself, so links work offline and match the code being run.
DOCS_BASE_URL = env_str(
    "DOCS_BASE_URL",
    f"http://127.0.0.1:{DEV_PORT}/docs" if DEBUG else "https://www.instantreply.co/api-docs",
).rstrip("/")
WEBHOOK_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", False)
REDIS_URL = env_str("REDIS_URL")
EMBEDDED = REDIS_URL is None


def _dev_field_key() -> str:
    # Development only: derived from SECRET_KEY so the embedded mode needs no set-up step.
    digest = hashlib.sha256(("field-encryption:" + SECRET_KEY).encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", [])
_field_keys_defaulted = not FIELD_ENCRYPTION_KEYS
if _field_keys_defaulted:
    FIELD_ENCRYPTION_KEYS = [_dev_field_key()]

if not DEBUG and not TESTING and not env_bool("INSTANTREPLY_ALLOW_DEV_SECRETS", False):
    missing = [
        name
        for name, value, dev in (
            ("SECRET_KEY", SECRET_KEY, _DEV_SECRET_KEY),
            ("META_APP_SECRET", META_APP_SECRET, _DEV_META_APP_SECRET),
            ("META_VERIFY_TOKEN", META_VERIFY_TOKEN, _DEV_META_VERIFY_TOKEN),
        )
        if value == dev
    ]
    if _field_keys_defaulted:
        missing.append("FIELD_ENCRYPTION_KEYS")
    if missing:
        raise ImproperlyConfigured(
            "DEBUG is off but these settings are unset or development defaults: "
            + ", ".join(missing)
            + ". Set them in the environment or in .env (see .env.example); for development,"
            " `bash scripts/setup.sh` writes a .env with fresh secrets and DEBUG=true."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["*"] if DEBUG or TESTING else ["localhost", "127.0.0.1"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "instantreply.core",
    "instantreply.meta",
    "contacts",
    "conversations",
    "templates_app",
    "webhooks",
    "developer",
    # Admin login lockout after repeated failures (django-axes).
    "axes",
]

# The Site* classes are Django's own, stepping aside for /v1 and /meta (Bearer keys,
# no cookies): see instantreply/api/middleware.py.
MIDDLEWARE = [
    "instantreply.api.tracing.TraceMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "instantreply.api.middleware.SiteSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "instantreply.api.middleware.SiteCsrfViewMiddleware",
    "instantreply.api.middleware.SiteAuthenticationMiddleware",
    "instantreply.api.middleware.SiteMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a locked-out admin login into its answer.
    "axes.middleware.AxesMiddleware",
]

# ---------------------------------------------------------------------------------
# Production hardening (`manage.py check --deploy --fail-level WARNING` is clean, and
# CI runs it). With DEBUG off every protection is on unless the environment turns
# it off; development and tests (plain http on loopback) keep them off.
_SECURE_DEFAULT = not DEBUG and not TESTING
# HTTPS only: http requests are redirected, except the health probes that load
# balancers send over plain http.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _SECURE_DEFAULT)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if _SECURE_DEFAULT else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", _SECURE_DEFAULT)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", _SECURE_DEFAULT)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", _SECURE_DEFAULT)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", _SECURE_DEFAULT)


def _proxy_ssl_header(raw: str | None) -> tuple[str, str] | None:
    # Behind a TLS-terminating proxy the app sees http; the proxy's header (e.g.
    # "X-Forwarded-Proto: https") tells it the client used https. Only set it when
    # such a proxy always sets (or strips) that header, or clients could forge it.
    if raw is None:
        return None
    name, sep, value = raw.partition(":")
    if not sep or not name.strip() or not value.strip():
        raise ImproperlyConfigured(
            f"SECURE_PROXY_SSL_HEADER must look like 'X-Forwarded-Proto: https', got {raw!r}"
        )
    return "HTTP_" + name.strip().upper().replace("-", "_"), value.strip()


SECURE_PROXY_SSL_HEADER = _proxy_ssl_header(env_str("SECURE_PROXY_SSL_HEADER"))
# The API's views are CSRF-exempt (Bearer keys, no cookies); the admin's pages are
# protected by SiteCsrfViewMiddleware, Django's CsrfViewMiddleware stepping aside
# for /v1 and /meta. The deploy check looks for the class by its dotted name only.
SILENCED_SYSTEM_CHECKS = ["security.W003"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username/address is refused before its password is checked.
    "instantreply.core.auth_backends.LoginLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Admin logins: AXES_FAILURE_LIMIT failures for a username from one address lock
# that pair out for AXES_COOLOFF_HOURS; the address is the one rate limits use.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "instantreply.api.ratelimit.client_address"

ROOT_URLCONF = "instantreply.urls"
WSGI_APPLICATION = "instantreply.wsgi.application"
APPEND_SLASH = False

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "instantreply" / "templates"],
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

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'instantreply.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL + a busy timeout let the web process and the embedded worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    VAR_DIR.mkdir(parents=True, exist_ok=True)
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
# The hottest fixed statements (core.rawsql: the /meta/webhook ack's INSERT, the lean
# list's reads) are prepared once per connection. Set false behind a pooler that
# cannot keep prepared statements (PgBouncer before 1.21 in transaction mode).
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", True)
if env_str("TEST_DATABASE_NAME"):
    # Parallel test runs on one server (several developers, CI) need their own database.
    DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "instantreply.core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"

# Bodies over 1 MiB get 413 PAYLOAD_TOO_LARGE (§1).
MAX_BODY_BYTES = 1_048_576
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_BODY_BYTES
# A refused body is read and dropped up to this size before the 413 goes out, so
# the client receives it instead of a reset connection (instantreply.api.parsers).
OVERSIZED_BODY_DISCARD_BYTES = env_int("OVERSIZED_BODY_DISCARD_BYTES", 16 * MAX_BODY_BYTES)

# ---------------------------------------------------------------------------------
# Plans (§6): one table, read by the rate limiter, quotas and /v1/developer/limits.
TIERS = {
    "free": {"requests_per_minute": 60, "webhook_endpoints": 2, "outbound_messages_per_day": 250},
    "starter": {
        "requests_per_minute": 300,
        "webhook_endpoints": 5,
        "outbound_messages_per_day": 2_000,
    },
    "growth": {
        "requests_per_minute": 1_200,
        "webhook_endpoints": 20,
        "outbound_messages_per_day": 20_000,
    },
    "scale": {
        "requests_per_minute": 6_000,
        "webhook_endpoints": 100,
        "outbound_messages_per_day": 200_000,
    },
}
RATE_LIMIT_WINDOW_SECONDS = 60
# Requests that fail authentication, per client address and minute (§6); behind a
# TLS-terminating proxy or load balancer set TRUSTED_PROXY_COUNT to the number of
# proxies in front of the app, so the address comes from X-Forwarded-For.
UNAUTHENTICATED_REQUESTS_PER_MINUTE = env_int("UNAUTHENTICATED_REQUESTS_PER_MINUTE", 60)
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
RATE_LIMIT_STORAGE_URL = env_str("RATE_LIMIT_STORAGE_URL", REDIS_URL or "memory://")
PAGINATION_DEFAULT_LIMIT = 20
PAGINATION_MAX_LIMIT = 100
IDEMPOTENCY_RETENTION_HOURS = 24
IDEMPOTENCY_MAX_KEY_LENGTH = 255
REQUEST_LOG_RETENTION_DAYS = env_int("REQUEST_LOG_RETENTION_DAYS", 30)
REQUEST_LOG_GET_RETENTION_DAYS = min(7, REQUEST_LOG_RETENTION_DAYS)
TRACE_BODY_MAX_BYTES = 65_536
# Request logs are written by a per-process thread in batches, at most this many
# milliseconds after their request (instantreply/api/tracing.py); 0 writes each one
# in its request. The tests write at once, so each test sees only its own rows.
REQUEST_LOG_FLUSH_MS = env_int("REQUEST_LOG_FLUSH_MS", 0 if TESTING else 50)
# With Redis, a stored Meta event's "is a draining task queued?" check is made by a
# per-process thread at most this many milliseconds after the post, once for all
# the posts of that interval (instantreply/core/coalesce.py); 0 checks in the post.
META_QUEUE_CHECK_MS = env_int("META_QUEUE_CHECK_MS", 0 if TESTING else 25)
API_KEY_LAST_USED_RESOLUTION_SECONDS = 60
# How long a process may reuse a key it has looked up (instantreply/api/authentication.py).
# Off by default: a revoked key must fail at once in every process (§3). Setting it
# to N trades that for one query less per request: cross-process revocation then
# takes effect within N seconds.
API_KEY_CACHE_SECONDS = env_int("API_KEY_CACHE_SECONDS", 0)

# ---------------------------------------------------------------------------------
# Celery. Embedded mode: kombu's filesystem transport, so work still leaves the
# request thread without any server. Production: Redis.
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # Visibility timeout longer than the longest task (webhook delivery: 10 s + slack),
    # so a task acked late is redelivered only when its worker is really gone.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 300}
else:
    _broker_dir = VAR_DIR / "broker"
    for sub in ("out", "processed", "control"):
        (_broker_dir / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        "control_folder": str(_broker_dir / "control"),
        # kombu sleeps this long whenever it finds the folder empty; its 1 s default
        # held the embedded worker near one task per second.
        "polling_interval": 0.1,
    }
# Tests run tasks in-process after commit unless they start a real worker (tests/workers.py).
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", TESTING)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 100
CELERY_TASK_IGNORE_RESULT = True
# Celery's Django fixup otherwise closes the database connection around every task
# (a new PostgreSQL backend per task, ~5-10 ms); instantreply.celery drops broken
# or CONN_MAX_AGE-expired connections after each task instead, as Django does per request.
CELERY_DB_REUSE_MAX = 1000
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "purge-expired": {"task": "core.purge_expired", "schedule": 3600.0},
    "sweep-messages": {"task": "conversations.sweep_messages", "schedule": 60.0},
    "sweep-inbound-events": {"task": "meta.sweep_inbound_events", "schedule": 60.0},
    # Due webhook retries, stale delivery claims, lost fan-outs (§9).
    "webhooks-dispatch-due": {"task": "webhooks.dispatch_due_deliveries", "schedule": 2.0},
}

# ---------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["instantreply.api.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["instantreply.api.permissions.ScopePermission"],
    "DEFAULT_RENDERER_CLASSES": ["instantreply.api.renderers.ApiJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["instantreply.api.parsers.StrictJSONParser"],
    "DEFAULT_THROTTLE_CLASSES": [],
    "DEFAULT_PAGINATION_CLASS": None,
    "EXCEPTION_HANDLER": "instantreply.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "instantreply.api.schema.ApiAutoSchema",
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_FILTER_BACKENDS": [],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "InstantReply API",
    "DESCRIPTION": "",  # filled from the error catalogue in instantreply.api.schema
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "WebhookEndpointStatusEnum": "webhooks.models.ENDPOINT_STATUSES",
        "WebhookEventTypeEnum": "webhooks.models.EVENT_TYPES",
        "ConversationStatusEnum": "conversations.models.CONVERSATION_STATUSES",
        "MessageStatusEnum": "conversations.models.MESSAGE_STATUSES",
        "TemplateCategoryEnum": "templates_app.models.CATEGORIES",
        "TemplateStatusEnum": "templates_app.models.STATUSES",
    },
    "PREPROCESSING_HOOKS": ["instantreply.api.schema.only_public_api"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "instantreply.api.schema.add_error_catalogue",
    ],
    "APPEND_COMPONENTS": {
        "securitySchemes": {
            "bearerAuth": {
                "type": "http",
                "scheme": "bearer",
                "bearerFormat": "ir_live_… / ir_test_…",
            }
        }
    },
    "SECURITY": [{"bearerAuth": []}],
    "AUTHENTICATION_WHITELIST": [],
    "DISABLE_ERRORS_AND_WARNINGS": False,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "instantreply.api.request_ids.RequestIdLogFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
        },
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain" if DEBUG else "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        "axes.apps": {"level": "WARNING"},  # a start-up banner in every process
    },
}
