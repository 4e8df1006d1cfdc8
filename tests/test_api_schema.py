"""The OpenAPI schema that API clients generate their code from: complete, valid, no warnings.

Runs the same command as `manage.py spectacular --validate --fail-on-warn`, so a view that
drf-spectacular cannot describe (an unknown serializer, a path parameter without a type,
colliding component names) fails here rather than in a client's build.
"""
from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.urls import path
from drf_spectacular.drainage import GENERATOR_STATS
from rest_framework.response import Response
from rest_framework.views import APIView


def spectacular(tmp_path, *extra: str) -> dict:
    GENERATOR_STATS.reset()  # process-wide: earlier tests may have left warnings in it
    out = tmp_path / "schema.json"
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json",
                 "--file", str(out), *extra)
    return json.loads(out.read_text())


def test_the_api_schema_is_valid_and_generates_without_warnings(tmp_path):
    try:
        schema = spectacular(tmp_path)
    except Exception as exc:
        problems = [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
        pytest.fail(f"{exc}: {problems}")

    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for expected in ["/api/v1/products/", "/api/v1/inventory/", "/api/v1/stores/",
                     "/api/v1/stores/{store_id}/draft/", "/api/v1/stores/{store_id}/insights/",
                     "/api/v1/orders/", "/api/v1/moderation/submissions/"]:
        assert expected in paths
    # Every operation says what it answers, so generated clients get typed responses.
    for route, item in paths.items():
        for method, operation in item.items():
            assert operation.get("responses"), f"{method.upper()} {route} has no responses"


class Undescribed(APIView):
    """A view drf-spectacular cannot describe: no serializer, no extend_schema."""

    def get(self, request):
        return Response({})


urlpatterns = [path("api/v1/undescribed/", Undescribed.as_view())]


def test_the_schema_check_fails_on_a_view_it_cannot_describe(tmp_path):
    # Guards the test above: the command really does fail on a warning or an error.
    with pytest.raises(Exception, match="warnings"):
        spectacular(tmp_path, "--urlconf", __name__)
    GENERATOR_STATS.reset()
