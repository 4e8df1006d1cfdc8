"""The builder-only API: discard the draft, restore a version into it, replace an image
everywhere in it. Thin: the rules are
in stores.builder.services; visibility and write rights in stores.permissions."""
from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ..api import ERRORS, DraftSerializer, draft_body
from ..models import Asset, StoreVersion
from ..permissions import require_store_write, store_for_user
from .services import (
    asset_usage,
    store_draft_discard,
    store_draft_replace_asset,
    store_draft_restore,
)


class BaseRevisionSerializer(serializers.Serializer):
    revision = serializers.IntegerField(
        min_value=0, help_text="The draft revision this action is based on (409 when stale).")


class StoreDraftDiscard(APIView):
    """Reset the draft to the live version (a new revision; undo by saving the old one)."""

    @extend_schema(request=BaseRevisionSerializer,
                   responses={200: DraftSerializer, **ERRORS})
    def post(self, request, store_id: int):
        store = store_for_user(user=request.user, store_id=store_id)
        require_store_write(user=request.user, store=store)
        incoming = BaseRevisionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        store = store_draft_discard(store=store, user=request.user,
                                    base_revision=incoming.validated_data["revision"])
        return Response(draft_body(store))


class StoreVersionRestore(APIView):
    """Copy one of the Store's versions into the draft."""

    @extend_schema(request=BaseRevisionSerializer,
                   responses={200: DraftSerializer, **ERRORS})
    def post(self, request, store_id: int, version_id: int):
        store = store_for_user(user=request.user, store_id=store_id)
        require_store_write(user=request.user, store=store)
        version = get_object_or_404(StoreVersion, pk=version_id, store=store)
        incoming = BaseRevisionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        store = store_draft_restore(store=store, version=version, user=request.user,
                                    base_revision=incoming.validated_data["revision"])
        return Response(draft_body(store))


class ReplaceAssetSerializer(BaseRevisionSerializer):
    asset = serializers.IntegerField(min_value=1, help_text="The image to replace.")
    by = serializers.IntegerField(min_value=1, help_text="The image that takes its place.")

    def validate(self, data):
        if data["asset"] == data["by"]:
            raise serializers.ValidationError({"by": ["Choose a different image."]})
        return data


class StoreDraftReplaceAsset(APIView):
    """Replace one of the brand's images by another in every tile of the draft (one new
    revision: the builder's Undo saves the draft before it)."""

    @extend_schema(request=ReplaceAssetSerializer,
                   responses={200: DraftSerializer, **ERRORS})
    def post(self, request, store_id: int):
        store = store_for_user(user=request.user, store_id=store_id)
        require_store_write(user=request.user, store=store)
        incoming = ReplaceAssetSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        assets = {a.pk: a for a in Asset.objects.filter(
            brand_id=store.brand_id, pk__in=[data["asset"], data["by"]])}
        for field in ("asset", "by"):
            if data[field] not in assets:
                raise serializers.ValidationError({field: ["No such image of this brand."]})
        store, changed = store_draft_replace_asset(
            store=store, user=request.user, old=assets[data["asset"]], new=assets[data["by"]],
            base_revision=data["revision"])
        return Response({**draft_body(store), "replaced": changed})


class StoreDraftAssetUsage(APIView):
    """Where the saved draft uses each image: `{"<asset id>": {"tiles": n, "pages": m}}`."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT, 404: ERRORS[404]})
    def get(self, request, store_id: int):
        store = store_for_user(user=request.user, store_id=store_id)
        return Response({str(k): v for k, v in asset_usage(store.draft).items()})
