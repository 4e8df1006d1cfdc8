"""Sign-in security shared by the site and the API: the lockout answer, API tokens, and
refusing text the database cannot store in query strings."""
from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from knox.auth import TokenAuthentication
from knox.models import get_token_model
from knox.settings import knox_settings
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import ERROR_SCHEMA
from config.parsers import bad_text_reason


def _cool_off_seconds() -> int:
    from axes.helpers import get_cool_off

    cool_off = get_cool_off()
    return int(cool_off.total_seconds()) if cool_off else 0


def lockout_response(request: HttpRequest, original_response=None,
                     credentials=None) -> HttpResponse:
    """The answer to a login attempt while its client (or username from that client) is
    locked out. It never depends on whether the account exists or the password is right,
    and it is given before any password is checked, so it takes the same time for all."""
    seconds = _cool_off_seconds()
    message = _("Too many failed sign-in attempts. Try again later.")
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"error": {"code": "locked_out", "message": message}}, status=429)
    else:
        response = render(request, "registration/locked_out.html",
                          {"message": message, "minutes": max(1, seconds // 60)}, status=429)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response


# --- API tokens ----------------------------------------------------------------------


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(min_length=1, max_length=150)
    password = serializers.CharField(min_length=1, max_length=4096, trim_whitespace=False,
                                     style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expiry = serializers.DateTimeField(allow_null=True)


class TokenObtain(APIView):
    """Trades a username and password for an API token (`Authorization: Token <token>`).
    Tokens expire (`expiry`) and can be revoked. Failed attempts count towards a lockout
    (429) shared with the site's sign-in pages."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_scope = "token"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenSerializer,
                   400: OpenApiResponse(ERROR_SCHEMA, description="Invalid body"),
                   401: OpenApiResponse(ERROR_SCHEMA, description="Wrong credentials"),
                   429: OpenApiResponse(ERROR_SCHEMA, description="Locked out or throttled")},
        auth=[],
    )
    def post(self, request):
        incoming = TokenRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        django_request = request._request  # django-axes flags the lockout on this one
        user = authenticate(request=django_request, **incoming.validated_data)
        if getattr(django_request, "axes_locked_out", False):
            return lockout_response(django_request)
        if user is None or not user.is_active:
            response = Response({"error": {
                "code": "invalid_credentials",
                "message": _("Unable to sign in with these credentials.")}},
                status=status.HTTP_401_UNAUTHORIZED)
            response["WWW-Authenticate"] = 'Token realm="api"'
            return response
        instance, token = get_token_model().objects.create(
            user=user, expiry=knox_settings.TOKEN_TTL)
        return Response(TokenSerializer({"token": token, "expiry": instance.expiry}).data)


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanField(serializers.BooleanField):
    """true or false, nothing else (no 0, 1, "yes")."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictCharField(serializers.CharField):
    """A string, never a number or a boolean turned into one (the schema says string)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class RevokeSerializer(serializers.Serializer):
    all = StrictBooleanField(required=False, default=False)


class TokenRevoke(APIView):
    """Revokes the token this request is made with (`all`: every token of the account)."""

    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=RevokeSerializer,
        responses={204: None, 401: OpenApiResponse(ERROR_SCHEMA, description="No token")},
    )
    def post(self, request):
        every = RevokeSerializer(data=request.data)
        every.is_valid(raise_exception=True)
        if every.validated_data["all"]:
            get_token_model().objects.filter(user=request.user).delete()
        else:
            request.auth.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- text the database cannot store, in query strings --------------------------------


class RequestTextMiddleware:
    """Answers 400 to a query string, or a form posted to a page (admin, sign-in, builder),
    holding NUL characters or lone surrogates: PostgreSQL can neither store nor compare such
    text, so every filter and form would otherwise fail with 500. (JSON bodies of the API
    are checked by its parser.) Unknown addresses under /api/ get a JSON 404 like every
    other API error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        is_api = request.path.startswith("/api/")
        sources = [request.GET]
        if request.method == "POST" and not is_api:
            sources.append(request.POST)
        for source in sources:
            for key, values in source.lists():
                for value in [key, *values]:
                    reason = isinstance(value, str) and bad_text_reason(value)
                    if reason:
                        return self._refuse(request, key, reason)
        response = self.get_response(request)
        if (response.status_code == 404 and is_api
                and "json" not in response.get("Content-Type", "")):
            response = JsonResponse({"error": {
                "code": "not_found", "message": _("No such address in the API.")}},
                status=404)
        return response

    @staticmethod
    def _refuse(request: HttpRequest, field: str, reason: str) -> HttpResponse:
        field = field.replace("\x00", "\\0")
        if request.path.startswith("/api/"):
            return JsonResponse({
                "error": {"code": "invalid", "message": _("The request is not valid.")},
                "errors": {field: [reason]},
            }, status=400)
        return HttpResponse(f"{field}: {reason}", status=400,
                            content_type="text/plain; charset=utf-8")
