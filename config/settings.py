"""Storefront settings, read from the environment.

With no environment at all, everything runs embedded: SQLite, local-memory cache and
Celery tasks executed in-process. DATABASE_URL switches to PostgreSQL; REDIS_URL makes
Redis the Celery broker, result backend and Django cache (then run Celery workers).
"""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# The fallback key only suits local runs with DEBUG on: anyone can read it in the repository
# and forge sessions, password-reset links and signed values with it.
DEVELOPMENT_SECRET_KEY = "django-insecure-storefront-local-development-only"  # noqa: S105
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY = os.environ.get("SECRET_KEY") or DEVELOPMENT_SECRET_KEY


def refuse_weak_secret_key(*, debug: bool, secret_key: str) -> None:
    """Raises ImproperlyConfigured when a production process (DEBUG off) would start with
    the development key or a key too short to resist guessing."""
    if debug:
        return
    if secret_key == DEVELOPMENT_SECRET_KEY or secret_key.startswith("django-insecure"):
        problem = "SECRET_KEY is not set (or is the development key from the repository)"
    elif len(secret_key) < SECRET_KEY_MIN_LENGTH:
        problem = (f"SECRET_KEY is {len(secret_key)} characters long; at least "
                   f"{SECRET_KEY_MIN_LENGTH} are required")
    else:
        return
    raise ImproperlyConfigured(
        f"Refusing to start with DEBUG off: {problem}. Set SECRET_KEY to a random value, "
        "e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))', "
        "or set DEBUG=1 for a local development run."
    )


refuse_weak_secret_key(debug=DEBUG, secret_key=SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "axes",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "catalog",
    "stores",
    "stores.insights",
    "moderation",
    "outbox",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.security.RequestTextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: a signed-in user's chosen language and time zone win over
    # Accept-Language (kept in the session, so no query per request).
    "catalog.preferences.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last: turns a login refused by django-axes into a 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "csp.context_processors.nonce",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers (shopper pages) proceed while a writer (stock import) commits.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                         "PRAGMA mmap_size=268435456;"),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.OutageTolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "sf"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: Redis when configured, otherwise tasks run eagerly in the calling process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# Surviving a broker that goes away: retry connecting for ever (at start-up too) and notice
# a dead connection within seconds. A task running when the connection drops finishes (its
# outbox row records it done, so a redelivered copy does nothing) rather than being killed.
# Workers run with --without-gossip --without-mingle --without-heartbeat; config/celery.py
# keeps a worker alive when Redis goes away with a task in flight.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_BROKER_CONNECTION_TIMEOUT = 4
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": 4,
    "socket_timeout": 10,
    "socket_keepalive": True,
    "retry_on_timeout": True,
    "health_check_interval": 10,
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"timeout": 5.0}}
CELERY_REDIS_BACKEND_HEALTH_CHECK_INTERVAL = 10
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 4
CELERY_REDIS_SOCKET_TIMEOUT = 10
# Our logging configuration (JSON in production) applies to workers too.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# The task outbox (see outbox.services): how often beat relays, when a published message
# that never ran is published again, when a run whose worker died is given up on.
OUTBOX_RELAY_SECONDS = float(os.environ.get("OUTBOX_RELAY_SECONDS", "5"))
OUTBOX_REDELIVER_SECONDS = float(os.environ.get("OUTBOX_REDELIVER_SECONDS", "30"))
OUTBOX_RUN_LEASE_SECONDS = float(os.environ.get("OUTBOX_RUN_LEASE_SECONDS", "300"))
OUTBOX_RETRY_MAX_SECONDS = float(os.environ.get("OUTBOX_RETRY_MAX_SECONDS", "600"))
OUTBOX_KEEP_DAYS = int(os.environ.get("OUTBOX_KEEP_DAYS", "7"))
# Readiness fails when the oldest task waiting is older than this.
OUTBOX_LAG_LIMIT_SECONDS = float(os.environ.get("OUTBOX_LAG_LIMIT_SECONDS", "300"))

# Moderation sweeps: deadlines, leases and stuck checks live in the database and are swept
# here (never as ETA/countdown tasks, which the Redis transport may redeliver or lose).
CELERY_BEAT_SCHEDULE: dict = {
    "outbox-relay": {"task": "outbox.relay", "schedule": OUTBOX_RELAY_SECONDS,
                     "options": {"expires": max(OUTBOX_RELAY_SECONDS * 2, 10)}},
    "outbox-prune": {"task": "outbox.prune", "schedule": 3600.0},
    "moderation-sla-sweep": {"task": "moderation.tasks.sla_sweep", "schedule": 300.0},
    "moderation-leases-expire": {"task": "moderation.tasks.leases_expire", "schedule": 60.0},
    "moderation-stuck-checks": {"task": "moderation.tasks.stuck_checks_requeue",
                                "schedule": 120.0},
    "moderation-forecast": {"task": "moderation.tasks.forecast_sweep", "schedule": 900.0},
    "insights-events-drain": {"task": "insights.events_drain", "schedule": 15.0},
    "insights-raw-events-prune": {"task": "insights.raw_events_prune", "schedule": 86400.0},
}

# Shopper pages: seconds a shared cache (CDN, reverse proxy) may hold a page answer that
# sets no cookie. 0 (default): only browsers keep pages, and revalidate them every time.
STORE_PAGE_SHARED_MAX_AGE = int(os.environ.get("STORE_PAGE_SHARED_MAX_AGE", "0"))

# Insights: page-view capture buffer, visits and how long raw page views are kept.
INSIGHTS_CAPTURE_ENABLED = env_bool("INSIGHTS_CAPTURE_ENABLED", True)
INSIGHTS_BUFFER_SIZE = int(os.environ.get("INSIGHTS_BUFFER_SIZE", "200"))
INSIGHTS_FLUSH_SECONDS = float(os.environ.get("INSIGHTS_FLUSH_SECONDS", "5"))
INSIGHTS_FLUSH_THREAD = env_bool("INSIGHTS_FLUSH_THREAD", True)
INSIGHTS_VISIT_GAP_MINUTES = int(os.environ.get("INSIGHTS_VISIT_GAP_MINUTES", "30"))
INSIGHTS_RAW_RETENTION_DAYS = int(os.environ.get("INSIGHTS_RAW_RETENTION_DAYS", "35"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out login before any password is hashed.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login lockout (admin, /accounts/login/, the API token endpoint). Counted per client
# address, and per username from that address: an attacker locks out only himself, never
# the account's owner, and every lockout ends after the cool-off.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["ip_address", ["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.security.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# Behind the production reverse proxy the client address is in X-Forwarded-For.
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "0")) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/builder/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# The builder and the admin speak English and Dutch; each user picks (default from
# Accept-Language). Shopper pages speak their Store's marketplace language instead.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("nl", "Nederlands")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# Marketplace of a Store created without one (a code seeded by catalog.marketplaces).
DEFAULT_MARKETPLACE = os.environ.get("DEFAULT_MARKETPLACE", "nl")

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Only the browser libraries pages load: node_modules also holds test tools (Lighthouse).
STATIC_VENDOR_PACKAGES = ["sortablejs"]
for _package in STATIC_VENDOR_PACKAGES:
    if (BASE_DIR / "node_modules" / _package).is_dir():
        STATICFILES_DIRS.append((f"vendor/{_package}", BASE_DIR / "node_modules" / _package))
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
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Storefront <no-reply@storefront.local>")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "knox.auth.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "config.api.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    # JSON everywhere; uploads name their own (multipart) parsers.
    "DEFAULT_PARSER_CLASSES": ["config.parsers.BoundedJSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Per client address when anonymous, per account when signed in; scoped rates for the
    # endpoints that cost the most or guard a secret.
    "DEFAULT_THROTTLE_CLASSES": [
        "config.throttles.AnonRateThrottle",
        "config.throttles.UserRateThrottle",
        "config.throttles.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("THROTTLE_ANON", "60/min"),
        "user": os.environ.get("THROTTLE_USER", "600/min"),
        "token": os.environ.get("THROTTLE_TOKEN", "20/min"),
        "preview_create": os.environ.get("THROTTLE_PREVIEW_CREATE", "30/hour"),
        # Not DRF views, the same throttle classes (config.throttles.throttle_view).
        "preview_view": os.environ.get("THROTTLE_PREVIEW_VIEW", "120/min"),
        "password_reset": os.environ.get("THROTTLE_PASSWORD_RESET", "5/hour"),
        # Page views counted for insights (the page is served regardless).
        "insights_capture": os.environ.get("THROTTLE_INSIGHTS_CAPTURE", "60/hour"),
        "insights_capture_address": os.environ.get("THROTTLE_INSIGHTS_ADDRESS", "300/hour"),
    },
}
# API tokens: stored as digests, expire, revocable one by one or all at once.
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=int(os.environ.get("API_TOKEN_TTL_HOURS", "24"))),
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_LIMIT_PER_USER": 20,
    "AUTO_REFRESH": False,
}
# JSON bodies nested deeper than this are refused with 400 (never a RecursionError).
API_JSON_MAX_DEPTH = 32
# Largest `limit` any list accepts.
API_MAX_LIMIT = 200
SPECTACULAR_SETTINGS = {
    "TITLE": "Storefront API",
    "DESCRIPTION": "Brand Stores: catalogue, Store drafts, moderation, insights.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "ENUM_NAME_OVERRIDES": {
        "ShareLinkStatusEnum": ["active", "expired", "revoked"],
        "SubmissionStatusEnum": "moderation.models.SubmissionStatus",
    },
    # Every operation documents the error answers it can give (config.schema).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.schema.document_error_responses",
    ],
}

# Content Security Policy: no inline scripts anywhere (builder and Store pages included).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # 'self': the builder shows the signed preview of a Store in an iframe.
        "frame-src": ["'self'", "https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "frame-ancestors": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}

# Production hardening: on whenever DEBUG is off, each switchable for a plain-HTTP setup.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
# SAMEORIGIN on purpose: the builder previews Store pages in same-origin iframes (phone
# and desktop widths); other sites still cannot frame us (CSP frame-ancestors 'self').
SILENCED_SYSTEM_CHECKS = ["security.W019"]

# Uploads: refuse large bodies before they reach Pillow.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
ASSET_MAX_BYTES = int(os.environ.get("ASSET_MAX_BYTES", str(8 * 1024 * 1024)))
ASSET_MAX_PIXELS = int(os.environ.get("ASSET_MAX_PIXELS", str(40_000_000)))
# The pixel budget of what is stored: larger uploads are scaled down to it (8 Mpx, e.g.
# 3464×2309: twice the widest rendition), which bounds the time an upload takes.
ASSET_STORED_MAX_PIXELS = int(os.environ.get("ASSET_STORED_MAX_PIXELS", str(8_000_000)))
# Images whose renditions one page view may make synchronously (the rest show the original
# until a later view makes them; uploads and demo seeding make them up front).
RENDITIONS_SYNC_LIMIT = int(os.environ.get("RENDITIONS_SYNC_LIMIT", "8"))

# Moderation promise to brands.
MODERATION_SLA_HOURS = 72
# Checks still running after this long are presumed lost and re-enqueued by the sweep.
MODERATION_CHECKS_STUCK_MINUTES = int(os.environ.get("MODERATION_CHECKS_STUCK_MINUTES", "10"))
# Who hears about at-risk and breached submissions (besides team leads and superusers).
MODERATION_LEADS = env_list("MODERATION_LEADS", "")
# At risk: fewer on-shift hours than this left before the deadline.
MODERATION_AT_RISK_HOURS = int(os.environ.get("MODERATION_AT_RISK_HOURS", "12"))
# A claim's lease; the review page renews it while it is open and in use.
MODERATION_LEASE_MINUTES = int(os.environ.get("MODERATION_LEASE_MINUTES", "30"))
# Triage: approve trivial changes that pass every automated check without a moderator,
# and send this share of them to a moderator after publication for audit.
MODERATION_AUTO_APPROVE = env_bool("MODERATION_AUTO_APPROVE", True)
MODERATION_AUDIT_SHARE = float(os.environ.get("MODERATION_AUDIT_SHARE", "0.1"))
# A text edit is trivial below this many changed characters (and with no findings).
MODERATION_TRIVIAL_TEXT_CHARS = int(os.environ.get("MODERATION_TRIVIAL_TEXT_CHARS", "80"))
# High-risk items need more time: the queue shows them this much earlier than their deadline.
MODERATION_HIGH_RISK_LEAD_HOURS = int(os.environ.get("MODERATION_HIGH_RISK_LEAD_HOURS", "6"))
# A brand with a rejection this recent is high risk.
MODERATION_RECENT_REJECTION_DAYS = int(os.environ.get("MODERATION_RECENT_REJECTION_DAYS", "30"))
# The forecast's review time when there is no recent history to measure it from.
MODERATION_REVIEW_MINUTES = float(os.environ.get("MODERATION_REVIEW_MINUTES", "12"))
# Without Redis there is no Celery beat: a scheduler thread in the web process runs the
# sweeps (one process per host, by a lock file in STOREFRONT_STATE_DIR).
MODERATION_EMBEDDED_SCHEDULER = env_bool("MODERATION_EMBEDDED_SCHEDULER", not REDIS_URL)
MODERATION_SCHEDULER_SECONDS = int(os.environ.get("MODERATION_SCHEDULER_SECONDS", "60"))
# Local state shared by the processes of one host (lock and marker files).
STOREFRONT_STATE_DIR = os.environ.get("STOREFRONT_STATE_DIR") or None
# Words that may not appear in Store text (matched as whole words, any case).
MODERATION_PROHIBITED_TERMS = env_list(
    "MODERATION_PROHIBITED_TERMS",
    "miracle cure,guaranteed results,risk-free,get rich,viagra,casino,xxx,counterfeit,replica",
)

# Structured logs: one JSON object a line (LOG_FORMAT=json, the default unless DEBUG), for
# web, worker and beat alike; LOG_FORMAT=text for reading by eye.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "config.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler",
                             "formatter": "json" if LOG_FORMAT == "json" else "text"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
# Probes reach the health endpoints over plain HTTP, from inside.
SECURE_REDIRECT_EXEMPT = [r"^health/"]
SPECTACULAR_SETTINGS.update(
    {
        # Served from our own static files: no CDN (and the CSP stays strict).
        "SWAGGER_UI_DIST": "SIDECAR",
        "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
        "REDOC_DIST": "SIDECAR",
    }
)
