"""Settings for benchmark servers only: the site's settings plus bench/urls.py (a baseline
view that must never exist in production). Static files are served unhashed, as the
scratch run has no collectstatic manifest."""
from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
