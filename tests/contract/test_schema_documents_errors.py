"""The OpenAPI document says what the API really answers: error codes and nullable fields."""
from __future__ import annotations

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def schema(db):
    response = APIClient().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_every_operation_documents_its_error_answers(schema):
    for route, item in schema["paths"].items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            assert {"400", "401", "403", "404", "429"} <= codes, (method, route, codes)
            if method in {"post", "put", "patch", "delete"}:
                assert "409" in codes, (method, route)


def test_a_submission_nobody_claimed_is_documented_as_such(schema):
    claimed_by = schema["components"]["schemas"]["QueueItem"]["properties"]["claimed_by"]
    assert claimed_by.get("nullable") is True


def test_request_bodies_are_json_except_uploads(schema):
    for route, item in schema["paths"].items():
        for method, operation in item.items():
            body = operation.get("requestBody")
            if body is None:
                continue
            expected = ({"multipart/form-data"} if route.endswith("/assets/")
                        else {"application/json"})
            assert set(body["content"]) == expected, (method, route)
