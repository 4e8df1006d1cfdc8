"""Admin for accounts, brands and the catalogue. Stock edits go through services so that
live Store pages hear about them."""
from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from . import services
from .models import (
    Account,
    Brand,
    BrandRegistryEnrollment,
    Category,
    Deal,
    Marketplace,
    Membership,
    Product,
    ProductImage,
    ProductPrice,
    UserPreferences,
)
from .selectors import IN_STOCK_Q


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name"]
    inlines = [MembershipInline]
    filter_horizontal = ["represented_vendors"]


class EnrollmentInline(admin.StackedInline):
    model = BrandRegistryEnrollment
    extra = 0
    max_num = 1


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "account", "product_count"]
    list_filter = ["account__kind"]
    search_fields = ["name", "slug", "account__name"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["account"]
    autocomplete_fields = ["account"]
    inlines = [EnrollmentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(product_total=Count("products"))

    @admin.display(description=_("products"), ordering="product_total")
    def product_count(self, brand) -> int:
        return brand.product_total


@admin.register(BrandRegistryEnrollment)
class BrandRegistryEnrollmentAdmin(admin.ModelAdmin):
    list_display = ["brand", "trademark_number", "status", "trademark_active", "updated_at"]
    list_filter = ["status", "trademark_active"]
    search_fields = ["brand__name", "trademark_number"]
    list_select_related = ["brand"]
    autocomplete_fields = ["brand"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    extra = 0
    fields = ["position", "image", "alt", "width", "height"]
    readonly_fields = ["width", "height"]


class InStockFilter(admin.SimpleListFilter):
    title = _("stock")
    parameter_name = "in_stock"

    def lookups(self, request, model_admin):
        return [("yes", _("In stock")), ("no", _("Not buyable"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(IN_STOCK_Q)
        if self.value() == "no":
            return queryset.exclude(IN_STOCK_Q)
        return queryset


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["asin", "title", "brand", "category", "price", "quantity", "is_active",
                    "is_prime", "units_sold_30d"]
    list_filter = [InStockFilter, "is_active", "is_prime", "brand", "category"]
    search_fields = ["asin", "title"]
    list_select_related = ["brand", "category"]
    autocomplete_fields = ["brand", "category"]
    readonly_fields = ["stock_updated_at", "units_sold_30d", "created_at"]
    inlines = [ProductImageInline]
    list_per_page = 50

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change or {"quantity", "is_active"} & set(form.changed_data):
            # Same hook as every other stock write, so live Stores update at once.
            services.stock_set(product=obj, quantity=obj.quantity)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Title, price, images…: cached Store pages showing this product are rebuilt.
        services.product_cards_changed(product_ids=[form.instance.pk])

    def delete_queryset(self, request, queryset):
        rows = list(queryset.values_list("pk", "brand_id"))
        super().delete_queryset(request, queryset)
        services.product_cards_changed(product_ids=[pk for pk, _ in rows],
                                       brand_ids={brand for _, brand in rows})

    def delete_model(self, request, obj):
        pk, brand_id = obj.pk, obj.brand_id
        super().delete_model(request, obj)
        services.product_cards_changed(product_ids=[pk], brand_ids=[brand_id])


class ProductCardRowAdmin(admin.ModelAdmin):
    """Rows a product's cards show (its deals, its marketplace prices): every admin write
    goes through the services' version bump, as every other write of what cards show, so
    live Stores show it on their next view; a row moved to another product changes both."""

    def cards_changed(self, product_ids: list[int]) -> None:
        services.product_cards_changed(product_ids=product_ids)

    def rows_removed(self, product_ids: list[int]) -> None:
        self.cards_changed(product_ids)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        product_ids = [obj.product_id]
        if change and "product" in form.changed_data and form.initial.get("product"):
            product_ids.append(form.initial["product"])
        self.cards_changed(product_ids)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self.rows_removed([obj.product_id])

    def delete_queryset(self, request, queryset):
        product_ids = list(queryset.values_list("product_id", flat=True))
        super().delete_queryset(request, queryset)
        self.rows_removed(product_ids)


@admin.register(Deal)
class DealAdmin(ProductCardRowAdmin):
    list_display = ["product", "deal_price", "starts_at", "ends_at"]
    list_filter = ["starts_at"]
    search_fields = ["product__asin", "product__title"]
    list_select_related = ["product"]
    autocomplete_fields = ["product"]
    date_hierarchy = "starts_at"


@admin.register(Marketplace)
class MarketplaceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "domain", "language", "locale", "currency", "time_zone"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # Stores point at them


@admin.register(ProductPrice)
class ProductPriceAdmin(ProductCardRowAdmin):
    list_display = ["product", "marketplace", "price"]
    list_filter = ["marketplace"]
    search_fields = ["product__asin", "product__title"]
    autocomplete_fields = ["product"]

    def rows_removed(self, product_ids: list[int]) -> None:
        # A product without a price in a marketplace leaves that marketplace's Stores.
        services.product_prices_removed(product_ids=product_ids)


@admin.register(UserPreferences)
class UserPreferencesAdmin(admin.ModelAdmin):
    """Languages and time zones of users; which marketplaces a moderator works."""

    list_display = ["user", "language", "time_zone"]
    list_filter = ["language", "marketplaces"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["marketplaces"]
