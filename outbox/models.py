"""The task outbox: a task to run is a row written in the same transaction as the change
that asks for it, so a committed change never loses its task and a rolled-back one never
runs it. `outbox.services` relays rows to Celery until a worker reports them done."""
from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    task = models.CharField(_("task"), max_length=200)
    kwargs = models.JSONField(_("arguments"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # When the relay may publish it (again): after a failure or a publish that was not
    # followed by a run (a broker that lost its queue), it is published again.
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    publishes = models.PositiveIntegerField(_("publishes"), default=0)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # A worker runs it: started, then done (or started cleared again on failure).
    runs = models.PositiveIntegerField(_("runs"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outbox task")
        verbose_name_plural = _("outbox tasks")
        indexes = [
            models.Index(fields=["next_attempt_at", "id"], condition=Q(done_at__isnull=True),
                         name="outbox_pending"),
        ]

    def __str__(self) -> str:
        state = "done" if self.done_at else "pending"
        return f"{self.task} #{self.pk} ({state})"
