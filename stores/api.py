"""The Store builder's REST API: Stores, the draft, assets, versions, previews, stock health,
page templates and tile types. Thin: every rule lives in a service or selector.

Visibility and write rules: see stores.permissions (another brand's Store is a 404; writes
need the brand's Store eligibility right now, else 403 with the reason).
"""
from __future__ import annotations

from datetime import timedelta

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from catalog.models import Brand
from catalog.selectors import brands_for_user
from config.security import StrictCharField

from . import content_policy as policy
from . import theme as store_theme
from .assets import asset_create, asset_focal_point_set
from .models import Asset, ShareLink, Store, StoreVersion
from .page_templates import PAGE_TEMPLATES, page_template_instantiate
from .permissions import require_store_write, store_for_user, visible_stores
from .previews import (
    DEFAULT_LIFETIME,
    MAX_LIFETIME,
    share_link_create,
    share_link_path,
    share_link_revoke,
    share_link_status,
    share_links_for_store,
)
from .rendering import STOCK_MODES
from .selectors import tile_stock_health
from .services import store_create, store_draft_save_report
from .tiles.registry import all_tile_types


class ErrorSerializer(serializers.Serializer):
    """The one error shape of the API (see config.api)."""

    error = inline_serializer(
        "ErrorBody", fields={"code": serializers.CharField(), "message": serializers.CharField()}
    )
    errors = serializers.JSONField(required=False)


ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input; `errors` says where."),
    403: OpenApiResponse(ErrorSerializer, description="Not allowed now; the message says why."),
    404: OpenApiResponse(ErrorSerializer, description="No such Store for this user."),
}


# --- Stores -------------------------------------------------------------------------


class StoreSerializer(serializers.ModelSerializer):
    brand_name = serializers.CharField(source="brand.name", read_only=True)
    brand_slug = serializers.CharField(source="brand.slug", read_only=True)
    status = serializers.CharField(read_only=True,
                                   help_text="One of: " + ", ".join(Store.Status.values))
    status_label = serializers.CharField(read_only=True)
    published_version = serializers.IntegerField(
        source="published_version_id", read_only=True, allow_null=True
    )
    live_url = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    marketplace = serializers.CharField(source="marketplace_id", read_only=True)
    editor_url = serializers.SerializerMethodField()
    insights_url = serializers.SerializerMethodField()

    class Meta:
        model = Store
        fields = [
            "id", "slug", "name", "brand", "brand_name", "brand_slug", "marketplace", "url",
            "status", "status_label", "review_state",
            "revision", "published_version", "live_url", "editor_url", "insights_url",
            "draft_updated_at", "created_at",
        ]
        read_only_fields = fields

    def get_live_url(self, store: Store) -> str | None:
        return f"/stores/{store.slug}/" if store.published_version_id else None

    def get_url(self, store: Store) -> str:
        """The Store's public home page (served once a version is published)."""
        return f"/stores/{store.slug}/"

    def get_editor_url(self, store: Store) -> str:
        return f"/builder/stores/{store.pk}/"

    def get_insights_url(self, store: Store) -> str:
        return f"/builder/stores/{store.pk}/insights/"


class StoreCreateSerializer(serializers.Serializer):
    brand = serializers.PrimaryKeyRelatedField(queryset=Brand.objects.none())
    name = serializers.CharField(min_length=1, max_length=policy.STORE_NAME_MAX)
    slug = serializers.SlugField(max_length=120, required=False, allow_blank=True)
    marketplace = serializers.CharField(max_length=8, required=False, allow_blank=True,
                                        help_text="A marketplace code (GET /api/v1/marketplaces/); "
                                                  "default: the site's default marketplace.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        # Only brands the caller acts for can be named; others read as "does not exist".
        self.fields["brand"].queryset = brands_for_user(user=request.user if request else None)


class StoreListCreate(generics.ListCreateAPIView):
    """The caller's Stores (brands they act for); create one for an eligible brand."""

    serializer_class = StoreSerializer

    def get_queryset(self):
        return visible_stores(user=self.request.user)

    @extend_schema(
        request=StoreCreateSerializer,
        responses={201: StoreSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    )
    def post(self, request, *args, **kwargs):
        incoming = StoreCreateSerializer(data=request.data, context={"request": request})
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        store = store_create(
            user=request.user, brand=data["brand"], name=data["name"],
            slug=data.get("slug") or None, marketplace=data.get("marketplace") or None,
        )
        store = visible_stores(user=request.user).get(pk=store.pk)
        return Response(StoreSerializer(store).data, status=status.HTTP_201_CREATED)


class StoreDetail(generics.RetrieveAPIView):
    serializer_class = StoreSerializer
    lookup_url_kwarg = "store_id"

    def get_queryset(self):
        return visible_stores(user=self.request.user)


# --- The draft ----------------------------------------------------------------------


class DraftSerializer(serializers.Serializer):
    """The Store document (see the product brief) with the revision it was based on."""

    revision = serializers.IntegerField(min_value=0)
    name = serializers.CharField(required=False)
    theme = serializers.JSONField(required=False)
    pages = serializers.JSONField()


class DraftSavedSerializer(DraftSerializer):
    """The draft as saved, with what it still lacks."""

    incomplete = serializers.ListField(
        child=serializers.DictField(), read_only=True,
        help_text="After a save: required values not given yet (no product, image or alt "
        "text), each with its place like an error. The draft is saved; submitting it is "
        "refused until the list is empty.",
    )


def draft_body(store: Store) -> dict:
    return {**store.draft, "revision": store.revision}


class StoreDraft(APIView):
    """The one editable draft. PUT replaces it whole, given the revision it was based on."""

    serializer_class = DraftSerializer

    @extend_schema(responses={200: DraftSerializer, 404: ERRORS[404]})
    def get(self, request, store_id: int):
        store = store_for_user(user=request.user, store_id=store_id)
        return Response(draft_body(store))

    @extend_schema(
        request=DraftSerializer,
        responses={
            200: DraftSavedSerializer, **ERRORS,
            409: OpenApiResponse(
                ErrorSerializer,
                description="Stale revision: the draft changed since; nothing was saved. "
                "`errors.current_revision` is the draft's revision now.",
            ),
        },
    )
    def put(self, request, store_id: int):
        store = store_for_user(user=request.user, store_id=store_id)
        require_store_write(user=request.user, store=store)
        if not isinstance(request.data, dict):
            raise serializers.ValidationError({"non_field_errors": ["Send a JSON object."]})
        incoming = DraftSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        document = {key: value for key, value in request.data.items() if key != "revision"}
        store, incomplete = store_draft_save_report(
            store=store, user=request.user, document=document,
            base_revision=incoming.validated_data["revision"],
        )
        return Response({**draft_body(store), "incomplete": incomplete})


# --- Assets -------------------------------------------------------------------------


class AssetSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Asset
        fields = ["id", "url", "content_type", "width", "height", "original_name", "focal_x",
                  "focal_y", "created_at"]
        read_only_fields = fields

    def get_url(self, asset: Asset) -> str:
        return asset.file.url


class AssetUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class StoreAssets(generics.ListAPIView):
    """The brand's uploaded images (GET); upload one (POST, multipart field `file`)."""

    serializer_class = AssetSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        store = store_for_user(user=self.request.user, store_id=self.kwargs["store_id"])
        return Asset.objects.filter(brand_id=store.brand_id).order_by("-created_at", "-id")

    @extend_schema(
        request={"multipart/form-data": AssetUploadSerializer},
        responses={201: AssetSerializer, **ERRORS},
    )
    def post(self, request, store_id: int):
        store = store_for_user(user=request.user, store_id=store_id)
        require_store_write(user=request.user, store=store)
        incoming = AssetUploadSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        asset = asset_create(
            brand=store.brand, upload=incoming.validated_data["file"], user=request.user
        )
        return Response(AssetSerializer(asset).data, status=status.HTTP_201_CREATED)


class FocalPointSerializer(serializers.Serializer):
    focal_x = serializers.FloatField(min_value=0, max_value=1,
                                     help_text="0 = the left edge, 1 = the right edge.")
    focal_y = serializers.FloatField(min_value=0, max_value=1,
                                     help_text="0 = the top edge, 1 = the bottom edge.")


class StoreAsset(APIView):
    """One image of the brand. PATCH sets its focal point (the subject crops keep in view);
    its cropped renditions are made again by a worker."""

    @extend_schema(request=FocalPointSerializer, responses={200: AssetSerializer, **ERRORS})
    def patch(self, request, store_id: int, asset_id: int):
        store = store_for_user(user=request.user, store_id=store_id)
        require_store_write(user=request.user, store=store)
        asset = Asset.objects.filter(brand_id=store.brand_id, pk=asset_id).first()
        if asset is None:
            raise Http404("No such image of this brand.")
        incoming = FocalPointSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        asset = asset_focal_point_set(asset=asset, x=incoming.validated_data["focal_x"],
                                      y=incoming.validated_data["focal_y"], user=request.user)
        return Response(AssetSerializer(asset).data)


# --- Versions and previews ------------------------------------------------------------


class StoreVersionSerializer(serializers.ModelSerializer):
    is_published = serializers.SerializerMethodField()

    class Meta:
        model = StoreVersion
        fields = [
            "id", "number", "source_revision", "created_at", "approved_at",
            "schedule_starts_at", "schedule_ends_at", "is_published",
        ]
        read_only_fields = fields

    def get_is_published(self, version: StoreVersion) -> bool:
        return version.pk == self.context["store"].published_version_id


class StoreVersions(generics.ListAPIView):
    """The Store's versions (snapshots made on submission), newest first."""

    serializer_class = StoreVersionSerializer

    def get_store(self) -> Store:
        if not hasattr(self, "_store"):
            self._store = store_for_user(
                user=self.request.user, store_id=self.kwargs["store_id"]
            )
        return self._store

    def get_queryset(self):
        return StoreVersion.objects.filter(store=self.get_store()).order_by("-number")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "store": self.get_store()}


class PreviewRequestSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, allow_null=True, min_value=1,
        help_text="A version id of this Store; leave out (or null) for the current draft.",
    )
    page = StrictCharField(required=False, allow_blank=True, max_length=64)
    stock_mode = serializers.ChoiceField(choices=STOCK_MODES, default="live")
    purpose = serializers.ChoiceField(
        choices=ShareLink.Purpose.choices, default=ShareLink.Purpose.SHARE,
        help_text="`share`: a link to give to others, listed until revoked; `preview`: the "
                  "builder's own preview frame (reused while valid, not listed).",
    )
    label = StrictCharField(required=False, allow_blank=True, max_length=80,
                            help_text="Whom the link is for (shown in the list).")
    expires_in_hours = serializers.IntegerField(
        required=False, min_value=1, max_value=int(MAX_LIFETIME.total_seconds() // 3600),
        default=int(DEFAULT_LIFETIME.total_seconds() // 3600),
    )


class PreviewSerializer(serializers.ModelSerializer):
    """A share link. The address holds a random token only (no Store or version id)."""

    url = serializers.SerializerMethodField()
    path = serializers.SerializerMethodField()
    page = serializers.CharField(source="page_key")
    version = serializers.IntegerField(source="version_id", allow_null=True)
    created_by = serializers.CharField(source="created_by.username", allow_null=True,
                                       default=None)
    status = serializers.SerializerMethodField()

    class Meta:
        model = ShareLink
        fields = ["id", "url", "path", "label", "purpose", "page", "version", "stock_mode",
                  "created_at", "created_by", "expires_at", "revoked_at", "status"]
        read_only_fields = fields

    def get_path(self, link: ShareLink) -> str:
        return share_link_path(link)

    def get_url(self, link: ShareLink) -> str:
        return self.context["request"].build_absolute_uri(share_link_path(link))

    @extend_schema_field(serializers.ChoiceField(choices=["active", "expired", "revoked"]))
    def get_status(self, link: ShareLink) -> str:
        return share_link_status(link)


class StorePreviews(generics.ListAPIView):
    """The Store's share links, newest first (GET; revoked and expired ones included, with
    their `status`); make one (POST): an expiring address that shows the draft or a version
    to anyone who has it, until it expires or is revoked."""

    serializer_class = PreviewSerializer
    throttle_scope = "preview_create"

    def get_throttles(self):
        # Making links is rate limited; listing them is not.
        return super().get_throttles() if self.request.method == "POST" else [
            throttle for throttle in super().get_throttles()
            if not isinstance(throttle, ScopedRateThrottle)]

    def get_queryset(self):
        store = store_for_user(user=self.request.user, store_id=self.kwargs["store_id"])
        return share_links_for_store(store=store)

    @extend_schema(request=PreviewRequestSerializer, responses={201: PreviewSerializer, **ERRORS})
    def post(self, request, store_id: int):
        store = store_for_user(user=request.user, store_id=store_id)
        require_store_write(user=request.user, store=store)
        incoming = PreviewRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        version = None
        if data.get("version") is not None:
            version = StoreVersion.objects.filter(store=store, pk=data["version"]).first()
            if version is None:
                raise serializers.ValidationError({"version": ["No such version of this Store."]})
        link = share_link_create(
            store=store, user=request.user, version=version, page_key=data.get("page") or None,
            stock_mode=data["stock_mode"], purpose=data["purpose"],
            label=data.get("label", ""), expires_in=timedelta(hours=data["expires_in_hours"]),
        )
        body = PreviewSerializer(link, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)


class StorePreviewRevoke(APIView):
    """Revokes a share link: from now on it shows nothing (410). Revoking twice is fine."""

    @extend_schema(request=None, responses={200: PreviewSerializer, **ERRORS})
    def post(self, request, store_id: int, link_id: int):
        store = store_for_user(user=request.user, store_id=store_id)
        require_store_write(user=request.user, store=store)
        link = ShareLink.objects.filter(store=store, pk=link_id).first()
        if link is None:
            raise Http404("No such share link of this Store.")
        link = share_link_revoke(link=link, user=request.user)
        return Response(PreviewSerializer(link, context={"request": request}).data)


# --- Stock health, page templates, tile types ---------------------------------------


class StoreStockHealth(APIView):
    """Per tile of the saved draft: how many products it shows, how many shoppers would not
    see right now (`hidden`), how many are shown but cannot be bought (`unbuyable`) and
    how many shown ones are about to sell out (`at_risk`)."""

    @extend_schema(
        responses={
            200: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description='{"<tile key>": {"products": 8, "hidden": 2, "unbuyable": 1, '
                            '"at_risk": 3}}',
            ),
            404: ERRORS[404],
        }
    )
    def get(self, request, store_id: int):
        store = store_for_user(user=request.user, store_id=store_id)
        return Response(tile_stock_health(store=store, document=store.draft))


class PageTemplateSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    description = serializers.CharField()


def template_rows() -> list[dict]:
    rows = []
    for key, value in PAGE_TEMPLATES.items():
        if isinstance(value, dict):
            label, description = value.get("label", key), value.get("description", "")
        elif isinstance(value, tuple | list):
            label, description = value[0], value[1] if len(value) > 1 else ""
        else:
            label = getattr(value, "label", str(value))
            description = getattr(value, "description", "")
        rows.append({"key": key, "label": label, "description": description})
    return rows


class PageTemplates(APIView):
    """The page templates a new page can start from."""

    @extend_schema(responses={200: PageTemplateSerializer(many=True)})
    def get(self, request):
        return Response(PageTemplateSerializer(template_rows(), many=True).data)


class PageFromTemplateSerializer(serializers.Serializer):
    template = serializers.CharField()
    page_key = serializers.RegexField(r"^[A-Za-z0-9_-]{1,40}$")
    parent = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    slug = serializers.SlugField(max_length=policy.PAGE_SLUG_MAX)
    title = serializers.CharField(max_length=policy.PAGE_TITLE_MAX)


class StorePageFromTemplate(APIView):
    """Builds a new page (sections and tiles) from a template for this Store's brand.
    Nothing is saved: the builder inserts the page into its document and saves the draft."""

    @extend_schema(
        request=PageFromTemplateSerializer,
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="A page"), **ERRORS},
    )
    def post(self, request, store_id: int):
        store = store_for_user(user=request.user, store_id=store_id)
        require_store_write(user=request.user, store=store)
        incoming = PageFromTemplateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        if data["template"] not in {row["key"] for row in template_rows()}:
            raise serializers.ValidationError({"template": ["No such page template."]})
        page = page_template_instantiate(
            template=data["template"], brand=store.brand, page_key=data["page_key"],
            parent=data.get("parent") or None, slug=data["slug"], title=data["title"],
        )
        return Response(page)


class TileFieldSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="A dotted path into the config, e.g. rule.keyword.")
    kind = serializers.CharField(help_text="text, rich_text, integer, choice, boolean, image, "
                                 "images, product, products, hotspots, link, video_url, "
                                 "category, datetime, color")
    label = serializers.CharField()
    help = serializers.CharField()
    required = serializers.BooleanField()
    default = serializers.JSONField(allow_null=True)
    choices = serializers.ListField(child=serializers.DictField())
    min = serializers.IntegerField(allow_null=True)
    max = serializers.IntegerField(allow_null=True)
    max_length = serializers.IntegerField(allow_null=True)
    max_items = serializers.IntegerField(allow_null=True)
    show_if = serializers.DictField(help_text="Shown only while these fields have these values.")


class TileTypeSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    description = serializers.CharField()
    flags = serializers.DictField(child=serializers.BooleanField())
    default_config = serializers.JSONField()
    fields = TileFieldSerializer(many=True)
    tile_fields = TileFieldSerializer(many=True, help_text="Properties of the tile itself.")


class TileTypes(APIView):
    """Every tile type the server knows: its flags, the configuration a new tile starts
    with and the fields of its configuration, from which the builder draws its forms."""

    @extend_schema(responses={200: TileTypeSerializer(many=True)})
    def get(self, request):
        return Response([tile.describe() for tile in all_tile_types()])


class ThemeQuerySerializer(serializers.Serializer):
    accent_color = serializers.RegexField(r"^#[0-9a-fA-F]{6}$", required=False,
                                          default=store_theme.DEFAULT_ACCENT)
    background_color = serializers.RegexField(r"^#[0-9a-fA-F]{6}$", required=False,
                                              default=store_theme.DEFAULT_BACKGROUND)
    font_pairing = serializers.ChoiceField(choices=list(store_theme.FONT_PAIRINGS),
                                           required=False, default=store_theme.DEFAULT_FONTS)


class ContrastCheckSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    foreground = serializers.CharField()
    background = serializers.CharField()
    ratio = serializers.FloatField()
    minimum = serializers.FloatField()
    passes = serializers.BooleanField()
    message = serializers.CharField(help_text="What shoppers see instead; empty when it passes.")


class FontPairingSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    heading = serializers.CharField(help_text="CSS font stack of headings.")
    body = serializers.CharField(help_text="CSS font stack of text.")


class StoreThemeSerializer(serializers.Serializer):
    fields = TileFieldSerializer(many=True)
    font_pairings = FontPairingSerializer(many=True)
    look = serializers.DictField(child=serializers.CharField(), help_text=(
        "The CSS custom properties shopper pages get for these colours and fonts."))
    contrast = ContrastCheckSerializer(many=True)


class StoreTheme(APIView):
    """The Store theme's fields (the builder's "Store design" form) and the WCAG AA
    contrast of the given colours, with a warning for each place below 4.5:1."""

    @extend_schema(parameters=[ThemeQuerySerializer],
                   responses={200: StoreThemeSerializer, **ERRORS})
    def get(self, request):
        # A plain dict: an empty parameter is a wrong value (400), not a missing one.
        query = ThemeQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        accent = query.validated_data["accent_color"].lower()
        background = query.validated_data["background_color"].lower()
        look = store_theme.Look(accent, background,
                                store_theme.FONT_PAIRINGS[query.validated_data["font_pairing"]],
                                None, None)
        return Response({
            "fields": store_theme.theme_describe(),
            "font_pairings": [{"value": p.key, "label": str(p.label), "heading": p.heading,
                               "body": p.body} for p in store_theme.FONT_PAIRINGS.values()],
            "look": look.css_variables(),
            "contrast": store_theme.contrast_report(accent=accent, background=background),
        })
