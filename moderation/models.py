"""Submissions of Store versions for moderation, their audit trail, findings and reasons.

The allowed status moves are data (TRANSITIONS); `moderation.services.submission_transition`
is the one place that changes a submission's status. The database guarantees at most one
open submission per Store.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stores.models import Store, StoreVersion


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    CHECKING = "checking", _("Automated checks running")
    QUEUED = "queued", _("Waiting for a moderator")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    SCHEDULED = "scheduled", _("Scheduled")
    REJECTED = "rejected", _("Rejected")
    SUPERSEDED = "superseded", _("Superseded")


S = SubmissionStatus

# Open = still waiting for a decision. One per Store at most (see the constraint below).
OPEN_STATUSES: tuple[str, ...] = (S.SUBMITTED, S.CHECKING, S.QUEUED, S.IN_REVIEW)
# Waiting for a moderator (the queue).
QUEUE_STATUSES: tuple[str, ...] = (S.QUEUED, S.IN_REVIEW)
DECIDED_STATUSES: tuple[str, ...] = (S.APPROVED, S.PUBLISHED, S.SCHEDULED, S.REJECTED)

# The whole lifecycle in one table: status -> statuses it may move to.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.SUBMITTED: frozenset({S.CHECKING, S.SUPERSEDED}),
    # Blocking findings reject at once; otherwise the submission waits for a moderator.
    S.CHECKING: frozenset({S.QUEUED, S.REJECTED, S.SUPERSEDED}),
    S.QUEUED: frozenset({S.IN_REVIEW, S.SUPERSEDED}),
    # Back to queued when a lease expires or a moderator releases it.
    S.IN_REVIEW: frozenset({S.APPROVED, S.REJECTED, S.QUEUED, S.SUPERSEDED}),
    S.APPROVED: frozenset({S.PUBLISHED, S.SCHEDULED}),
    S.PUBLISHED: frozenset(),
    S.SCHEDULED: frozenset(),
    S.REJECTED: frozenset(),
    S.SUPERSEDED: frozenset(),
}


class ReasonCode(models.TextChoices):
    LOW_QUALITY_IMAGE = "low_quality_image", _("Poor-quality or low-resolution image")
    ILLEGIBLE_TEXT = "illegible_text", _("Illegible text")
    TYPOS = "typos", _("Typos")
    NOT_FAMILY_FRIENDLY = "not_family_friendly", _("Not suitable for a general audience")
    WRONG_LANGUAGE = "wrong_language", _("Not in the marketplace's language")
    CONTACT_DETAILS = "contact_details", _("Contact details or outside links")
    HASHTAGS = "hashtags", _("Hashtags")
    SOCIAL_HANDLES = "social_handles", _("Social-media handles")
    QR_CODE = "qr_code", _("QR code")
    DISPARAGING_COMPETITORS = "disparaging_competitors", _("Disparages competitors")
    NOT_BRAND_PRODUCTS = "not_brand_products", _("Products that are not the brand's")
    OTHER = "other", _("Other")


class Submission(models.Model):
    """A Store version waiting for (or having had) a moderation decision."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="submissions")
    version = models.OneToOneField(
        StoreVersion, on_delete=models.PROTECT, related_name="submission"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField()
    sla_deadline = models.DateTimeField()
    status = models.CharField(
        max_length=12, choices=SubmissionStatus.choices, default=SubmissionStatus.SUBMITTED
    )
    # The lease: a claim is live while claim_expires_at is in the future.
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    claim_expires_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    # SLA bookkeeping, written by the beat sweeps.
    priority = models.PositiveSmallIntegerField(default=0)
    escalated_at = models.DateTimeField(null=True, blank=True)
    at_risk_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    checks_started_at = models.DateTimeField(null=True, blank=True)
    checks_finished_at = models.DateTimeField(null=True, blank=True)
    checks_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sla_deadline", "id"]
        permissions = [("decide_submission", "Can claim, approve and reject submissions")]
        constraints = [
            models.UniqueConstraint(
                fields=["store"],
                condition=Q(status__in=OPEN_STATUSES),
                name="one_open_submission_per_store",
            ),
        ]
        indexes = [
            # Earliest deadline first within a status: claim_next reads the queued rows in
            # index order (the id tie-break included, so there is nothing left to sort);
            # the sweeps and lease expiry read the other statuses.
            models.Index(fields=["status", "sla_deadline", "id"], name="submission_status_edf"),
            models.Index(fields=["decided_at"], name="submission_decided_at"),
        ]

    def __str__(self) -> str:
        return f"{self.store} v{self.version.number} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class SubmissionEvent(models.Model):
    """One audit row per transition or decision: who moved what, from where to where."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} -> {self.to_status}"


class CheckFinding(models.Model):
    class Severity(models.TextChoices):
        BLOCKING = "blocking", _("Blocking")
        WARNING = "warning", _("Warning")

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="findings"
    )
    check_name = models.CharField(max_length=40)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    reason_code = models.CharField(
        max_length=30, choices=ReasonCode.choices, default=ReasonCode.OTHER
    )
    page = models.CharField(max_length=64, blank=True)
    section = models.CharField(max_length=64, blank=True)
    tile = models.CharField(max_length=64, blank=True)
    message = models.TextField()

    class Meta:
        ordering = ["severity", "page", "section", "tile", "id"]

    def __str__(self) -> str:
        return f"{self.severity} {self.check_name}: {self.message}"


class RejectionReason(models.Model):
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="reasons"
    )
    code = models.CharField(max_length=30, choices=ReasonCode.choices)
    tile = models.CharField(max_length=64, null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.code} ({self.tile or 'whole Store'})"
