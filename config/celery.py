"""The Celery app. Without REDIS_URL, tasks run in-process (eagerly): see settings."""
from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def _redis_channels_of_a_closed_connection_raise_connection_errors() -> None:
    """A worker must survive losing its Redis broker with a task in flight.

    When the broker connection breaks, Celery (5.7) collects the connection, which
    detaches its transport, and then closes it. A Redis channel of that connection that
    still has work to do then fails with AttributeError ("'NoneType' object has no
    attribute 'hostname'" or "… 'client'"): closing it restores the messages delivered but
    not yet acknowledged (our tasks are until they finish: acks_late), and a task that
    finishes meanwhile acknowledges through it. Celery expects connection errors there,
    not AttributeError: the worker exited ("Unrecoverable error"), seen under load when
    Redis went away while a check was finishing. Raised as a connection error instead, it
    is logged and the worker reconnects; the messages stay in Redis's unacked set
    (restored after the visibility timeout) and the outbox publishes again every task
    that did not run.
    """
    import redis
    from kombu.transport import redis as kombu_redis

    original = kombu_redis.Channel._connparams
    if getattr(original, "raises_connection_error_when_detached", False):
        return

    def _connparams(self, asynchronous=False):
        if self.connection is None or self.connection.client is None:
            raise redis.exceptions.ConnectionError("the broker connection was closed")
        return original(self, asynchronous=asynchronous)

    _connparams.raises_connection_error_when_detached = True
    kombu_redis.Channel._connparams = _connparams


_redis_channels_of_a_closed_connection_raise_connection_errors()

app = Celery("storefront")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
