"""Stores, their one editable draft, immutable versions and brand image assets.

The Store document (pages, sections, tiles: see stores.documents) is JSON. The draft is
kept on the Store row with its `revision` counter; a submitted draft is frozen into a
StoreVersion. Shoppers see `published_version` (the evergreen live version), or an
approved version whose schedule window contains the current time.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalog.marketplaces import default_marketplace_code
from catalog.models import Brand, Marketplace


class Store(models.Model):
    class ReviewState(models.TextChoices):
        # Where the newest submitted version stands; set only by moderation services.
        NONE = "none", _("Not submitted")
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    class Status(models.TextChoices):
        """What the builder, the admin and the API show (derived, not stored)."""

        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")

    brand = models.ForeignKey(Brand, verbose_name=_("brand"),
                              on_delete=models.PROTECT, related_name="stores")
    # A brand has at most one Store per marketplace; its pages speak that marketplace's
    # language and show prices in its currency.
    marketplace = models.ForeignKey(Marketplace, verbose_name=_("marketplace"),
                                    on_delete=models.PROTECT, related_name="stores",
                                    default=default_marketplace_code)
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    draft = models.JSONField(_("draft"), default=dict)
    revision = models.PositiveIntegerField(_("revision"), default=0)
    draft_updated_at = models.DateTimeField(_("draft updated at"), auto_now_add=True)
    draft_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("draft updated by"),
        on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    published_version = models.ForeignKey(
        "StoreVersion", verbose_name=_("published version"),
        on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_state = models.CharField(_("review state"),
        max_length=12, choices=ReviewState.choices, default=ReviewState.NONE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"),
        on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Store")
        verbose_name_plural = _("Stores")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "marketplace"],
                                    name="one_store_per_brand_and_marketplace"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def status(self) -> Store.Status:
        """Draft, in review, published or rejected."""
        if self.review_state == self.ReviewState.IN_REVIEW:
            return self.Status.IN_REVIEW
        if self.review_state == self.ReviewState.REJECTED:
            return self.Status.REJECTED
        if self.published_version_id:
            return self.Status.PUBLISHED
        return self.Status.DRAFT

    @property
    def status_label(self) -> str:
        return str(self.status.label)


class StoreVersion(models.Model):
    """An immutable snapshot of a Store's draft, made when it is submitted."""

    store = models.ForeignKey(Store, verbose_name=_("Store"),
                              on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("number"))
    document = models.JSONField(_("document"))
    source_revision = models.PositiveIntegerField(_("source revision"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"),
        on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    # A scheduled version replaces the evergreen live version during its window.
    schedule_starts_at = models.DateTimeField(_("schedule starts at"), null=True, blank=True)
    schedule_ends_at = models.DateTimeField(_("schedule ends at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Store version")
        verbose_name_plural = _("Store versions")
        ordering = ["store", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["store", "number"], name="unique_version_number"),
            models.CheckConstraint(
                condition=Q(schedule_ends_at__isnull=True)
                | Q(schedule_starts_at__isnull=False, schedule_ends_at__gt=models.F(
                    "schedule_starts_at")),
                name="version_schedule_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["store", "schedule_starts_at"], name="version_schedule"),
        ]

    def __str__(self) -> str:
        return f"{self.store} v{self.number}"


class Asset(models.Model):
    """An image a brand uploaded, verified by Pillow and stored once (by content hash)."""

    brand = models.ForeignKey(Brand, verbose_name=_("brand"),
                              on_delete=models.PROTECT, related_name="assets")
    file = models.ImageField(_("file"), upload_to="assets/")
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content_type = models.CharField(_("content type"), max_length=20)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    original_name = models.CharField(_("original name"), max_length=255, blank=True)
    # The subject of the picture, as fractions of width and height (0..1 from the top
    # left); crops keep it in view. None: the centre.
    focal_x = models.FloatField(_("focal point (across)"), null=True, blank=True)
    focal_y = models.FloatField(_("focal point (down)"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"),
        on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "sha256"], name="unique_asset_per_brand"),
            models.CheckConstraint(
                condition=Q(focal_x__isnull=True, focal_y__isnull=True)
                | Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="asset_focal_point_within_image",
            ),
        ]

    def __str__(self) -> str:
        return f"Asset {self.pk} ({self.width}x{self.height})"

    @property
    def focal_point(self) -> tuple[float, float]:
        """(x, y) in 0..1; the centre when the brand set none."""
        if self.focal_x is None or self.focal_y is None:
            return (0.5, 0.5)
        return (self.focal_x, self.focal_y)

    @property
    def focal_class(self) -> str:
        """CSS classes that set `object-position` where the browser crops the image (steps
        of 5 %: the Content-Security-Policy allows no inline style); '' for the centre."""
        if self.focal_x is None or self.focal_y is None:
            return ""
        x, y = self.focal_point
        return f"fx-{round(x * 20) * 5} fy-{round(y * 20) * 5}"


class ShareLink(models.Model):
    """A preview address of a draft or version that works without an account.

    The address carries only `token` (random, unguessable): no Store or version id. A link
    shows its target until it expires or is revoked."""

    class Purpose(models.TextChoices):
        SHARE = "share", "Shared by the brand"
        # The builder's own preview frame and moderators' review frames: not listed.
        PREVIEW = "preview", "Preview frame"

    store = models.ForeignKey(Store, verbose_name=_("Store"),
                              on_delete=models.CASCADE, related_name="share_links")
    version = models.ForeignKey(StoreVersion, verbose_name=_("version"),
                                on_delete=models.CASCADE, null=True, blank=True,
                                related_name="+")
    page_key = models.CharField(_("page"), max_length=64, blank=True)
    stock_mode = models.CharField(_("stock"), max_length=20, default="live")
    token = models.CharField(_("token"), max_length=64, unique=True)
    purpose = models.CharField(_("purpose"),
                               max_length=10, choices=Purpose.choices, default=Purpose.SHARE)
    label = models.CharField(_("label"), max_length=80, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"),
        on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("revoked by"),
        on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("share link")
        verbose_name_plural = _("share links")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["store", "purpose", "-created_at"],
                                name="share_link_store_listing")]

    def __str__(self) -> str:
        return f"Share link {self.pk} of {self.store}"
