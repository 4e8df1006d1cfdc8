"""API-wide pieces: the exception handler that gives every error one stable shape.

Error body: {"error": {"code": "...", "message": "...", "fields": {...}}} plus, for
validation errors, DRF's usual field -> messages mapping under "errors".
"""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from config.errors import Conflict, DomainError, Forbidden

ERROR_SCHEMA = inline_serializer(
    "ApiError",
    fields={
        "error": inline_serializer("ApiErrorBody", fields={
            "code": serializers.CharField(), "message": serializers.CharField()}),
        "errors": serializers.JSONField(required=False),
    },
)


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """`limit` (at least 1) is capped at API_MAX_LIMIT: a larger value gives that many rows.
    `offset` is at least 0. Anything else is a 400 (not silently the default)."""

    @property
    def max_limit(self) -> int:
        return settings.API_MAX_LIMIT

    def _whole_number(self, request, name: str, minimum: int) -> int | None:
        raw = request.query_params.get(name)
        if raw is None:
            return None
        try:
            value = int(raw)
        except ValueError:
            raise ValidationError({name: [_("A whole number is required.")]}) from None
        if value < minimum:
            raise ValidationError({name: [_("Must be at least %(minimum)d.")
                                          % {"minimum": minimum}]})
        return value

    def get_limit(self, request):
        value = self._whole_number(request, self.limit_query_param, 1)
        return self.default_limit if value is None else min(value, self.max_limit)

    def get_offset(self, request):
        return self._whole_number(request, self.offset_query_param, 0) or 0

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.offset_query_param:
                parameter["schema"]["minimum"] = 0
        return parameters


__all__ = ["Conflict", "DomainError", "Forbidden", "exception_handler", "http_status_for"]


# Which HTTP status each kind of domain error gets: the most specific class first.
STATUS_BY_ERROR: tuple[tuple[type[DomainError], int], ...] = (
    (Conflict, status.HTTP_409_CONFLICT),
    (Forbidden, status.HTTP_403_FORBIDDEN),
    (DomainError, status.HTTP_400_BAD_REQUEST),
)


def http_status_for(exc: DomainError) -> int:
    return next(code for kind, code in STATUS_BY_ERROR if isinstance(exc, kind))


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        body = {"error": {"code": exc.code, "message": exc.message}}
        if exc.details is not None:
            body["errors"] = exc.details
        return Response(body, status=http_status_for(exc))
    if isinstance(exc, DjangoPermissionDenied):
        exc = APIException(_("You do not have permission to perform this action."))
        exc.status_code = status.HTTP_403_FORBIDDEN
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ValidationError):
        response.data = {
            "error": {"code": "invalid", "message": _("The request is not valid.")},
            "errors": response.data,
        }
    elif isinstance(exc, APIException | Http404):
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        code = getattr(exc, "default_code", "error")
        if isinstance(exc, Http404):
            code = "not_found"
        response.data = {"error": {"code": code, "message": str(detail)}}
    return response
