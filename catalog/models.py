"""Accounts, brands and the catalogue: products, stock, deals and sales."""
from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

ASIN_RE = re.compile(r"^[A-Z0-9]{10}$")


def validate_asin(value: str) -> None:
    if not ASIN_RE.match(value or ""):
        raise ValidationError("An ASIN is 10 capital letters or digits.", code="invalid_asin")


class Account(models.Model):
    """A selling party. Users act for accounts; brands belong to accounts."""

    class Kind(models.TextChoices):
        SELLER = "seller", _("Seller")
        VENDOR = "vendor", _("Vendor")
        AGENCY = "agency", _("Agency")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"),
        through="Membership", related_name="accounts"
    )
    # Only for agencies: the vendor accounts the agency may act for.
    represented_vendors = models.ManyToManyField(
        "self", verbose_name=_("represented vendors"),
        symmetrical=False,
        blank=True,
        related_name="agencies",
        limit_choices_to={"kind": "vendor"},
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        EDITOR = "editor", _("Editor")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"),
                             on_delete=models.CASCADE)
    account = models.ForeignKey(Account, verbose_name=_("account"), on_delete=models.CASCADE)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.OWNER)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "account"], name="unique_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.account} ({self.role})"


class Brand(models.Model):
    account = models.ForeignKey(Account, verbose_name=_("account"),
                                on_delete=models.PROTECT, related_name="brands")
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    # Bumped in the same transaction as any stock write (quantity, is_active) of one of
    # the brand's products / any write of what its cards show or its tiles rank by.
    # Readers compare these with the copies they built from (see catalog.stock).
    stock_version = models.PositiveBigIntegerField(default=0, editable=False)
    catalog_version = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("brand")
        verbose_name_plural = _("brands")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BrandRegistryEnrollment(models.Model):
    """Brand Registry enrollment of a seller's brand, backed by a trademark."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    brand = models.OneToOneField(Brand, verbose_name=_("brand"),
                                 on_delete=models.CASCADE, related_name="enrollment")
    trademark_number = models.CharField(_("trademark number"), max_length=40)
    status = models.CharField(_("status"),
                              max_length=10, choices=Status.choices, default=Status.PENDING)
    trademark_active = models.BooleanField(_("trademark active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)


    class Meta:
        verbose_name = _("Brand Registry enrolment")
        verbose_name_plural = _("Brand Registry enrolments")
    def __str__(self) -> str:
        return f"{self.brand} TM {self.trademark_number} ({self.status})"


class Category(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    asin = models.CharField(_("ASIN"), max_length=10, unique=True, validators=[validate_asin])
    brand = models.ForeignKey(Brand, verbose_name=_("brand"),
                              on_delete=models.PROTECT, related_name="products")
    category = models.ForeignKey(
        Category, verbose_name=_("category"),
        on_delete=models.PROTECT, related_name="products", null=True, blank=True
    )
    title = models.CharField(_("title"), max_length=300)
    price = models.DecimalField(_("price"), max_digits=10, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    is_prime = models.BooleanField("Prime eligible", default=False)
    bullet_points = models.JSONField(_("bullet points"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    rating = models.DecimalField(_("rating"),
        max_digits=2,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(5)],
    )
    review_count = models.PositiveIntegerField(_("review count"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    # Stock lives on the product row: one narrow read answers "in stock?" for many.
    quantity = models.IntegerField(_("quantity"), default=0, validators=[MinValueValidator(0)])
    stock_updated_at = models.DateTimeField(_("stock updated at"), null=True, blank=True)
    # Denormalised from SalesRecord by catalog.services.sales_rank_refresh.
    units_sold_30d = models.PositiveIntegerField(_("units sold (30 days)"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The brand's catalog_version of the last write of this product's card data: what
    # changed in a brand since version V is `data_version > V` (see catalog.stock).
    data_version = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["asin"]
        # Automatic tiles take their top N straight from these (stores.rendering.page_data).
        indexes = [
            models.Index(fields=["brand", "-units_sold_30d"], name="product_brand_bestsell"),
            models.Index(fields=["brand", "category"], name="product_brand_category"),
            models.Index(fields=["brand", "-units_sold_30d", "-rating", "asin"],
                         name="product_brand_sold_rank"),
            models.Index(fields=["brand", "-rating", "-review_count", "asin"],
                         name="product_brand_rating_rank"),
            models.Index(fields=["brand", "price", "asin"], name="product_brand_price_rank"),
            models.Index(fields=["brand", "-created_at", "asin"], name="product_brand_newest"),
            models.Index(fields=["brand", "-review_count"], name="product_brand_reviews"),
            models.Index(fields=["brand", "data_version"], name="product_brand_data_version"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0), name="product_quantity_gte_0"),
            models.CheckConstraint(condition=Q(price__gte=0), name="product_price_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.asin} {self.title}"

    @property
    def in_stock(self) -> bool:
        from .availability import is_buyable

        return is_buyable(is_active=self.is_active, quantity=self.quantity)


class ProductImage(models.Model):
    product = models.ForeignKey(Product, verbose_name=_("product"),
                                on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), upload_to="products/")
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    alt = models.CharField(_("alt"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("product image")
        verbose_name_plural = _("product images")
        ordering = ["product", "position"]

    def __str__(self) -> str:
        return f"{self.product.asin} image {self.position}"


class Deal(models.Model):
    product = models.ForeignKey(Product, verbose_name=_("product"),
                                on_delete=models.CASCADE, related_name="deals")
    deal_price = models.DecimalField(_("deal price"), max_digits=10, decimal_places=2)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    class Meta:
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["starts_at", "ends_at"], name="deal_window"),
                   models.Index(fields=["product", "ends_at"], name="deal_product_ends")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")),
                                   name="deal_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"Deal {self.product.asin} {self.deal_price}"


class SalesRecord(models.Model):
    """Units sold of a product on one day: enough to rank best sellers."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="sales")
    day = models.DateField()
    units = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["product", "day"], name="unique_sales_day")
        ]

    def __str__(self) -> str:
        return f"{self.product.asin} {self.day}: {self.units}"


class Marketplace(models.Model):
    """A marketplace a Store lives in (amazon.nl, .de, .co.uk, .com…): its language,
    currency and time zone decide how the Store's pages speak and write prices."""

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    name = models.CharField(_("name"), max_length=60)
    domain = models.CharField(_("domain"), max_length=60)
    language = models.CharField(_("language"), max_length=8,
                                help_text=_("ISO 639-1 code, such as nl or en."))
    # A full locale (language and region) for number formats and hreflang: nl-NL, en-GB.
    locale = models.CharField(_("locale"), max_length=16)
    currency = models.CharField(_("currency"), max_length=3)
    time_zone = models.CharField(_("time zone"), max_length=40)

    class Meta:
        ordering = ["code"]
        verbose_name = _("marketplace")
        verbose_name_plural = _("marketplaces")

    def __str__(self) -> str:
        return f"{self.name} ({self.domain})"


class ProductPrice(models.Model):
    """A product's price in a marketplace other than the one its own `price` is for.

    The product's `price`/`currency` serve every marketplace of that currency; a row here
    sets (or overrides) the price in one marketplace, in that marketplace's currency.
    """

    product = models.ForeignKey(Product, verbose_name=_("product"),
                                on_delete=models.CASCADE, related_name="prices")
    marketplace = models.ForeignKey(Marketplace, verbose_name=_("marketplace"),
                                    on_delete=models.CASCADE, related_name="+")
    price = models.DecimalField(_("price"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("price in a marketplace")
        verbose_name_plural = _("prices in marketplaces")
        constraints = [
            models.UniqueConstraint(fields=["product", "marketplace"],
                                    name="unique_product_price_per_marketplace"),
            models.CheckConstraint(condition=Q(price__gte=0), name="product_mp_price_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.product.asin} {self.marketplace_id} {self.price}"


class UserPreferences(models.Model):
    """How the builder and the admin speak to one user: language and time zone."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"),
                                on_delete=models.CASCADE,
                                related_name="preferences")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    time_zone = models.CharField(_("time zone"), max_length=40, default="Europe/Amsterdam")
    # Marketplaces whose submissions a moderator works; none means all.
    marketplaces = models.ManyToManyField(Marketplace, blank=True, related_name="+",
                                          verbose_name=_("moderated marketplaces"))

    class Meta:
        verbose_name = _("user preferences")
        verbose_name_plural = _("user preferences")

    def __str__(self) -> str:
        return f"{self.user} ({self.language}, {self.time_zone})"
