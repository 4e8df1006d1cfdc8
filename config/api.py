"""API-wide pieces: the exception handler that gives every error one stable shape.

Error body: {"error": {"code": "...", "message": "...", "fields": {...}}} plus, for
validation errors, DRF's usual field -> messages mapping under "errors".
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from config.errors import Conflict, DomainError, Forbidden

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
        exc = APIException("You do not have permission to perform this action.")
        exc.status_code = status.HTTP_403_FORBIDDEN
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ValidationError):
        response.data = {
            "error": {"code": "invalid", "message": "The request is not valid."},
            "errors": response.data,
        }
    elif isinstance(exc, APIException | Http404):
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        code = getattr(exc, "default_code", "error")
        if isinstance(exc, Http404):
            code = "not_found"
        response.data = {"error": {"code": code, "message": str(detail)}}
    return response
