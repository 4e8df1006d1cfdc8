"""Catalogue API: the caller's products and bulk stock updates. Thin: rules live in
selectors and services."""
from __future__ import annotations

from django.core.files.storage import default_storage
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors, services
from .marketplaces import marketplaces_all
from .models import Product


class ProductSerializer(serializers.ModelSerializer):
    brand = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    brand_name = serializers.CharField(source="brand.name", read_only=True)
    category = serializers.CharField(source="category.name", read_only=True, allow_null=True,
                                     default=None)
    in_stock = serializers.BooleanField(read_only=True)
    image = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = [
            "asin", "title", "brand", "brand_name", "category", "price", "currency",
            "is_prime", "quantity", "in_stock", "rating", "review_count", "image",
            "is_active",
        ]
        read_only_fields = fields

    def get_image(self, product: Product) -> str | None:
        name = getattr(product, "first_image", None)
        if not name:
            return None
        url = default_storage.url(name)
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class ProductFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200)
    brand = serializers.SlugField(required=False, allow_blank=True, max_length=200)
    in_stock = serializers.BooleanField(required=False, allow_null=True, default=None)


class ProductListView(generics.ListAPIView):
    """The caller's brands' products, filtered by `q` (title or ASIN), `brand` (slug)
    and `in_stock` (true/false)."""

    serializer_class = ProductSerializer

    @extend_schema(parameters=[ProductFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        # A plain dict: DRF reads a missing boolean in a QueryDict as False.
        filters = ProductFilterSerializer(data=self.request.query_params.dict())
        filters.is_valid(raise_exception=True)
        return selectors.product_list_for_user(user=self.request.user, **filters.validated_data)


class InventoryView(APIView):
    """Bulk stock update: a list of {"asin", "quantity"}; all applied or none."""

    @extend_schema(
        request=inline_serializer(
            "InventoryItem",
            {"asin": serializers.CharField(), "quantity": serializers.IntegerField(min_value=0)},
            many=True,
        ),
        responses=inline_serializer("InventoryResult", {"updated": serializers.IntegerField()}),
    )
    def post(self, request):
        updated = services.inventory_bulk_update(user=request.user, items=request.data)
        return Response({"updated": updated})


class MarketplaceSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    domain = serializers.CharField()
    language = serializers.CharField()
    locale = serializers.CharField()
    currency = serializers.CharField()
    time_zone = serializers.CharField()


class MarketplaceListView(APIView):
    """The marketplaces a Store can live in (reference data, readable by anyone)."""

    permission_classes = [AllowAny]

    @extend_schema(responses=MarketplaceSerializer(many=True))
    def get(self, request):
        return Response(MarketplaceSerializer(list(marketplaces_all().values()), many=True).data)
