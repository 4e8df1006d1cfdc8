"""OpenAPI document post-processing: the error answers every operation can give.

Any operation may answer 400 (bad query or body: the parser and the text checks run
everywhere), 401/403 (not signed in, token expired or revoked, not allowed), 404 (an
unknown or invisible object), 429 (throttled or locked out); writes may also answer 409
(a conflict with the current state). All use the one error shape of config.api.
"""
from __future__ import annotations

ERROR_COMPONENT = "ApiError"
ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
            "required": ["code", "message"],
        },
        "errors": {},
    },
    "required": ["error"],
}
DESCRIPTIONS = {
    "400": "Invalid input; `errors` says where and why.",
    "401": "No valid credentials (a token that expired or was revoked).",
    "403": "Not signed in, or not allowed; the message says why.",
    "404": "No such object for this user.",
    "409": "Conflicts with the current state (stale revision, claimed by another).",
    "429": "Too many requests, or sign-in locked out for a while; see Retry-After.",
}
WRITE_METHODS = {"post", "put", "patch", "delete"}


def document_error_responses(result, generator, request, public):
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault(ERROR_COMPONENT, ERROR_SCHEMA)
    reference = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = ["400", "401", "403", "404", "429"]
            if method in WRITE_METHODS:
                codes.append("409")
            responses = operation["responses"]
            for code in codes:
                responses.setdefault(code, {
                    "content": {"application/json": {"schema": reference}},
                    "description": DESCRIPTIONS[code],
                })
    return result
