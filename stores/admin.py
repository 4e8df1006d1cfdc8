"""Read-mostly admin for Stores, versions and assets (moderators work in moderation's admin).

Drafts change only through the builder (stores.services), versions are immutable and
published through moderation, so these pages show data and never edit documents.
"""
from __future__ import annotations

import json

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Asset, Store, StoreVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Store)
class StoreAdmin(ReadOnlyAdmin):
    list_display = ("name", "slug", "brand", "status_label", "revision", "published_version",
                    "draft_updated_at")
    list_filter = ("review_state",)
    search_fields = ("name", "slug", "brand__name")
    list_select_related = ("brand", "published_version")
    readonly_fields = ("brand", "name", "slug", "revision", "review_state", "published_version",
                       "draft_updated_at", "draft_updated_by", "created_by", "created_at",
                       "live_link", "draft_pretty")
    exclude = ("draft",)

    @admin.display(description=_("status"))
    def status_label(self, store: Store) -> str:
        return store.status_label

    @admin.display(description=_("live page"))
    def live_link(self, store: Store) -> str:
        if not store.published_version_id:
            return _("not published")
        return format_html('<a href="/stores/{}/">/stores/{}/</a>', store.slug, store.slug)

    @admin.display(description=_("draft document"))
    def draft_pretty(self, store: Store) -> str:
        return format_html("<pre>{}</pre>", json.dumps(store.draft, indent=2, ensure_ascii=False))


@admin.register(StoreVersion)
class StoreVersionAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "store", "number", "approved_at", "schedule_starts_at",
                    "schedule_ends_at", "created_at")
    list_filter = ("approved_at",)
    search_fields = ("store__name", "store__slug")
    list_select_related = ("store",)
    readonly_fields = ("store", "number", "source_revision", "created_by", "created_at",
                       "approved_at", "schedule_starts_at", "schedule_ends_at",
                       "document_pretty")
    exclude = ("document",)

    @admin.display(description=_("document"))
    def document_pretty(self, version: StoreVersion) -> str:
        return format_html("<pre>{}</pre>",
                           json.dumps(version.document, indent=2, ensure_ascii=False))


@admin.register(Asset)
class AssetAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "brand", "content_type", "width", "height", "original_name",
                    "created_at")
    list_filter = ("content_type",)
    search_fields = ("brand__name", "original_name", "sha256")
    list_select_related = ("brand",)
    readonly_fields = ("brand", "file", "sha256", "content_type", "width", "height",
                       "original_name", "created_by", "created_at")
