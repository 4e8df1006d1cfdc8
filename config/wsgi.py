import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Without Celery beat (no Redis) the web process runs the moderation sweeps itself.
from moderation.scheduler import start_embedded  # noqa: E402

start_embedded()
