"""Storefront settings, read from the environment.

With no environment at all, everything runs embedded: SQLite, local-memory cache and
Celery tasks executed in-process. DATABASE_URL switches to PostgreSQL; REDIS_URL makes
Redis the Celery broker, result backend and Django cache (then run Celery workers).
"""
from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# The fallback key only suits local runs; `check --deploy` flags it until SECRET_KEY is set.
SECRET_KEY = os.environ.get("SECRET_KEY") or "django-insecure-storefront-local-development-only"
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
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "catalog",
    "stores",
    "stores.insights",
    "moderation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
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
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
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
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# Moderation sweeps: deadlines, leases and stuck checks live in the database and are swept
# here (never as ETA/countdown tasks, which the Redis transport may redeliver or lose).
CELERY_BEAT_SCHEDULE: dict = {
    "moderation-sla-sweep": {"task": "moderation.tasks.sla_sweep", "schedule": 300.0},
    "moderation-leases-expire": {"task": "moderation.tasks.leases_expire", "schedule": 60.0},
    "moderation-stuck-checks": {"task": "moderation.tasks.stuck_checks_requeue",
                                "schedule": 120.0},
    "insights-events-drain": {"task": "insights.events_drain", "schedule": 15.0},
    "insights-raw-events-prune": {"task": "insights.raw_events_prune", "schedule": 86400.0},
}

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
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/builder/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

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
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "config.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Storefront API",
    "DESCRIPTION": "Brand Stores: catalogue, Store drafts, moderation, insights.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
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
# Images whose renditions one page view may make synchronously (the rest show the original
# until a later view makes them; uploads and demo seeding make them up front).
RENDITIONS_SYNC_LIMIT = int(os.environ.get("RENDITIONS_SYNC_LIMIT", "8"))

# Moderation promise to brands.
MODERATION_SLA_HOURS = 72
# Checks still running after this long are presumed lost and re-enqueued by the sweep.
MODERATION_CHECKS_STUCK_MINUTES = int(os.environ.get("MODERATION_CHECKS_STUCK_MINUTES", "10"))
# Who hears about at-risk and breached submissions (besides superusers).
MODERATION_LEADS = env_list("MODERATION_LEADS", "")
# Words that may not appear in Store text (matched as whole words, any case).
MODERATION_PROHIBITED_TERMS = env_list(
    "MODERATION_PROHIBITED_TERMS",
    "miracle cure,guaranteed results,risk-free,get rich,viagra,casino,xxx,counterfeit,replica",
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
SPECTACULAR_SETTINGS.update(
    {
        # Served from our own static files: no CDN (and the CSP stays strict).
        "SWAGGER_UI_DIST": "SIDECAR",
        "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
        "REDOC_DIST": "SIDECAR",
    }
)
