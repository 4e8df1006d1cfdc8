"""Submissions of Store versions for moderation, their audit trail, findings and reasons.

The allowed status moves are data (TRANSITIONS); `moderation.services.submission_transition`
is the one place that changes a submission's status. The database guarantees at most one
open submission per Store.
"""
from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalog.stored_texts import stored_text_render
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
    # Trivial changes that pass every check are approved automatically (moderation.triage).
    S.CHECKING: frozenset({S.QUEUED, S.APPROVED, S.REJECTED, S.SUPERSEDED}),
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


class Risk(models.TextChoices):
    """How much a submission changes against the live version (moderation.triage)."""

    TRIVIAL = "trivial", _("Trivial")
    STANDARD = "standard", _("Standard")
    HIGH = "high", _("High risk")


class DecidedBy(models.TextChoices):
    MODERATOR = "moderator", _("Moderator")
    AUTOMATED = "automated", _("Automated")


class Submission(models.Model):
    """A Store version waiting for (or having had) a moderation decision."""

    store = models.ForeignKey(Store, verbose_name=_("Store"),
                              on_delete=models.CASCADE, related_name="submissions")
    version = models.OneToOneField(
        StoreVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="submission"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"),
        on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    # The fair clock: when the brand's wait began (its first unanswered submission). A
    # submission that supersedes a waiting one inherits this and the deadline.
    wait_started_at = models.DateTimeField(_("wait started at"))
    sla_deadline = models.DateTimeField(_("SLA deadline"))
    # The queue's order: the deadline, earlier for high-risk items that need more time.
    queue_at = models.DateTimeField(_("queue at"))
    status = models.CharField(_("status"),
        max_length=12, choices=SubmissionStatus.choices, default=SubmissionStatus.SUBMITTED
    )
    # The lease: a claim is live while claim_expires_at is in the future.
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("claimed by"),
        on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    claim_expires_at = models.DateTimeField(_("claim expires at"), null=True, blank=True)
    # When the current holder took it (review time = decided_at - claimed_at).
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"),
        on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    decided_how = models.CharField(_("decided how"),
                                   max_length=10, choices=DecidedBy.choices, blank=True)
    risk = models.CharField(_("risk"), max_length=10, choices=Risk.choices, blank=True)
    risk_reasons = models.JSONField(_("risk reasons"), default=list, blank=True)
    # Automated approvals sampled for a human look after publication.
    audit_requested_at = models.DateTimeField(_("audit requested at"), null=True, blank=True)
    audited_at = models.DateTimeField(_("audited at"), null=True, blank=True)
    audited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("audited by"),
        on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    # SLA bookkeeping, written by the sweeps.
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    at_risk_at = models.DateTimeField(_("at risk at"), null=True, blank=True)
    breached_at = models.DateTimeField(_("breached at"), null=True, blank=True)
    checks_started_at = models.DateTimeField(_("checks started at"), null=True, blank=True)
    checks_finished_at = models.DateTimeField(_("checks finished at"), null=True, blank=True)
    checks_attempts = models.PositiveSmallIntegerField(_("checks attempts"), default=0)

    def save(self, *args, **kwargs):
        # Invariants of the fair clock for rows made outside submission_create (imports,
        # fixtures): a wait starts when the submission does; the queue place is the deadline.
        if self.wait_started_at is None:
            self.wait_started_at = self.submitted_at
        if self.queue_at is None:
            self.queue_at = self.sla_deadline
        super().save(*args, **kwargs)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["queue_at", "id"]
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
            models.Index(fields=["status", "queue_at", "id"], name="submission_status_queue"),
            models.Index(fields=["decided_at"], name="submission_decided_at"),
        ]

    def __str__(self) -> str:
        return f"{self.store} v{self.version.number} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class SubmissionEvent(models.Model):
    """One audit row per transition or decision: who moved what, from where to where."""

    submission = models.ForeignKey(Submission, verbose_name=_("submission"),
                                   on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"),
        on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    from_status = models.CharField(_("from status"), max_length=12, blank=True,
                                   choices=SubmissionStatus.choices)
    to_status = models.CharField(_("to status"), max_length=12, choices=SubmissionStatus.choices)
    # A person's note as written; a note the system wrote is also kept as a message id and
    # parameters (catalog.stored_texts), shown in the reader's language.
    note = models.TextField(_("note"), blank=True)
    note_data = models.JSONField(_("note (translatable)"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("history entry")
        verbose_name_plural = _("history entries")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} -> {self.to_status}"

    @property
    def shown_note(self) -> str:
        """The note in the active language (system notes), or as the person wrote it."""
        return stored_text_render(self.note_data, self.note)


class CheckFinding(models.Model):
    class Severity(models.TextChoices):
        BLOCKING = "blocking", _("Blocking")
        WARNING = "warning", _("Warning")

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="findings"
    )
    check_name = models.CharField(_("check"), max_length=40)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    reason_code = models.CharField(_("reason code"),
        max_length=30, choices=ReasonCode.choices, default=ReasonCode.OTHER
    )
    page = models.CharField(_("page"), max_length=64, blank=True)
    section = models.CharField(_("section"), max_length=64, blank=True)
    tile = models.CharField(_("tile"), max_length=64, blank=True)
    # The finding in English (as it was worded when found) and as a message id and
    # parameters, shown in the reader's language (catalog.stored_texts).
    message = models.TextField(_("message"))
    message_data = models.JSONField(_("message (translatable)"), default=dict, blank=True)

    class Meta:
        verbose_name = _("automated finding")
        verbose_name_plural = _("automated findings")
        ordering = ["severity", "page", "section", "tile", "id"]

    def __str__(self) -> str:
        return f"{self.severity} {self.check_name}: {self.message}"

    @property
    def shown_message(self) -> str:
        """The finding in the active language."""
        return stored_text_render(self.message_data, self.message)


class RejectionReason(models.Model):
    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="reasons"
    )
    code = models.CharField(_("code"), max_length=30, choices=ReasonCode.choices)
    tile = models.CharField(_("tile"), max_length=64, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    # An automated rejection's note is a finding: kept translatable as well.
    note_data = models.JSONField(_("note (translatable)"), default=dict, blank=True)

    class Meta:
        verbose_name = _("rejection reason")
        verbose_name_plural = _("rejection reasons")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.code} ({self.tile or 'whole Store'})"

    @property
    def shown_note(self) -> str:
        """The note in the active language (an automated finding), or as written."""
        return stored_text_render(self.note_data, self.note)


class Team(models.Model):
    """Moderators who work the same hours in one time zone; its leads hear SLA alerts."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC",
                                 help_text=_("An IANA name such as Europe/Amsterdam."))
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="moderation_teams",
                                     blank=True, verbose_name=_("members"))
    leads = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="led_moderation_teams",
                                   blank=True, verbose_name=_("leads"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("moderator team")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        try:
            zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
            raise ValidationError({"time_zone": _("Unknown time zone.")}) from error


class Shift(models.Model):
    """A weekly working window of a team, in the team's time zone (may run past midnight)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    team = models.ForeignKey(Team, verbose_name=_("team"),
                             on_delete=models.CASCADE, related_name="shifts")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"))
    # How many moderators work it; 0 means "every member of the team".
    moderators = models.PositiveSmallIntegerField(_("moderators"), default=0)

    class Meta:
        ordering = ["team", "weekday", "starts"]
        verbose_name = _("shift")

    def __str__(self) -> str:
        return f"{self.team}: {self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"

    def clean(self) -> None:
        if self.starts == self.ends:
            raise ValidationError({"ends": _("A shift must end at another time than it starts.")})


class ForecastAlert(models.Model):
    """A period during which the forecast said some submissions would miss their deadline.
    One open row (cleared_at null) at most: leads are e-mailed when one opens."""

    raised_at = models.DateTimeField(_("raised at"))
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)
    misses = models.PositiveIntegerField(_("misses"))
    first_miss_at = models.DateTimeField(_("first miss at"))

    class Meta:
        verbose_name = _("forecast alert")
        verbose_name_plural = _("forecast alerts")
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(fields=["cleared_at"], condition=Q(cleared_at__isnull=True),
                                    name="one_open_forecast_alert"),
        ]
