"""Insights API: a Store's figures (same report as the dashboard) and the order feed."""
from __future__ import annotations

from datetime import timedelta

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.marketplaces import marketplace_get
from catalog.models import Product
from config.api import DomainError

from .forms import range_from
from .selectors import insights_stores_for_user, store_insights, store_today
from .services import OrdersInvalid, orders_record

MAX_ORDERS = 1000
# Orders older than this cannot be attributed (attribution reads the views kept).
MAX_ORDER_AGE = timedelta(days=366)
ASIN_PATTERN = r"^[A-Z0-9]{10}$"
DATE_OR_EMPTY = {"anyOf": [{"type": "string", "format": "date"},
                           {"type": "string", "maxLength": 0}]}


class StoreInsights(APIView):
    """GET ?start=YYYY-MM-DD&end=YYYY-MM-DD (default: the last 28 days)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        # Empty (as the insights page's form sends them) or absent: the default range.
        parameters=[OpenApiParameter("start", DATE_OR_EMPTY, description=(
                        "YYYY-MM-DD; empty or absent with `end`: the last 28 days.")),
                    OpenApiParameter("end", DATE_OR_EMPTY, description="YYYY-MM-DD.")],
        responses=OpenApiTypes.OBJECT,
        description="totals, by_day (date), by_page (page, path), by_source (source); each "
                    "row has visitors, views, sales, units, views_per_visitor and the derived "
                    "visits, views_per_visit, orders, units_per_order, sales_per_visitor.",
    )
    def get(self, request, store_id: int):
        store = insights_stores_for_user(user=request.user).filter(pk=store_id).first()
        if store is None:
            raise Http404("No such Store.")
        form, start, end = range_from(request.query_params, today=store_today(store.pk))
        if not form.is_valid():
            raise DomainError("The date range is not valid.", code="invalid_range",
                              details={k: list(v) for k, v in form.errors.items()})
        # Amounts are in the Store's marketplace currency (never summed across currencies).
        return Response({**store_insights(store=store, start=start, end=end).as_dict(),
                         "currency": marketplace_get(store.marketplace_id).currency})


class CanRecordOrders(BasePermission):
    """The order feed: staff accounts holding insights.add_order (superusers do)."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_staff
                    and user.has_perm("insights.add_order"))


class OrderSerializer(serializers.Serializer):
    order_id = serializers.CharField(max_length=64, required=False, allow_null=True,
                                     allow_blank=True)
    visitor_id = serializers.CharField(max_length=64)
    asin = serializers.RegexField(ASIN_PATTERN, error_messages={
        "invalid": "An ASIN is 10 capital letters or digits."})
    units = serializers.IntegerField(min_value=1, max_value=10_000)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    ordered_at = serializers.DateTimeField()

    def validate_ordered_at(self, value):
        now = timezone.now()
        if value > now + timedelta(minutes=5):
            raise serializers.ValidationError(_("An order cannot be in the future."))
        if value < now - MAX_ORDER_AGE:
            raise serializers.ValidationError(
                _("An order older than %(days)d days cannot be attributed any more.")
                % {"days": MAX_ORDER_AGE.days})
        return value


def order_errors(errors) -> list[dict]:
    """DRF's per-item errors as [{"index", "field", "code", "message"}]."""
    flat = []
    items = errors.items() if isinstance(errors, dict) else enumerate(errors)
    for index, item in sorted(items, key=lambda pair: pair[0]):
        for field, messages in (item or {}).items():
            for message in messages:
                flat.append({"index": index, "field": field,
                             "code": getattr(message, "code", "invalid"),
                             "message": str(message)})
    return flat


def orders_validate(data) -> list[dict]:
    """Validated order dicts; raises OrdersInvalid (400) with every error, by index."""
    if not isinstance(data, list) or not data:
        raise OrdersInvalid("Send a non-empty JSON list of orders.",
                            details=[{"index": None, "field": None, "code": "not_a_list",
                                      "message": "Expected a non-empty list."}])
    if len(data) > MAX_ORDERS:
        raise OrdersInvalid(f"Send at most {MAX_ORDERS} orders at a time.",
                            details=[{"index": None, "field": None, "code": "too_many",
                                      "message": f"At most {MAX_ORDERS} orders."}])
    serializer = OrderSerializer(data=data, many=True)
    if not serializer.is_valid():
        raise OrdersInvalid("Some orders are not valid; none was recorded.",
                            details=order_errors(serializer.errors))
    items = serializer.validated_data
    known = set(Product.objects.filter(asin__in={item["asin"] for item in items})
                .values_list("asin", flat=True))
    unknown = [{"index": index, "field": "asin", "code": "unknown_asin",
                "message": _("No product has this ASIN.")}
               for index, item in enumerate(items) if item["asin"] not in known]
    if unknown:
        raise OrdersInvalid("Some orders are not valid; none was recorded.", details=unknown)
    return items


class Orders(APIView):
    """POST a list of orders; all or nothing; an order_id already recorded is skipped."""

    permission_classes = [CanRecordOrders]

    @extend_schema(
        request=OrderSerializer(many=True),
        responses={201: inline_serializer("OrdersRecorded", {
            "received": serializers.IntegerField(), "created": serializers.IntegerField(),
            "duplicates": serializers.IntegerField()})},
    )
    def post(self, request):
        result = orders_record(items=orders_validate(request.data))
        return Response({"received": result.received, "created": result.created,
                         "duplicates": result.duplicates}, status=status.HTTP_201_CREATED)
