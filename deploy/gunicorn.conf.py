"""gunicorn behind nginx (deploy/nginx.conf.template): nginx buffers slow clients, so sync
workers only ever see whole requests; logs are JSON lines like the application's."""
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then (memory); jitter so they do not all restart at once.
max_requests = 2000
max_requests_jitter = 200
# Only nginx on this machine talks to us.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = "-"
errorlog = "-"
access_log_format = (
    '{"request_id":"%({x-request-id}i)s","remote":"%(h)s","method":"%(m)s",'
    '"uri":"%(U)s","query":"%(q)s","status":%(s)s,"bytes":"%(B)s","ms":%(M)s}'
)
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "config.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json",
                             "stream": "ext://sys.stdout"}},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
