"""Domain errors: a refused business action, with a stable code and a message.

They know nothing of HTTP: the API (config.api) maps each class to a status, so services
stay usable from the admin, Celery tasks and management commands. Each app lists its codes
as an enum in its own `errors` module.
"""
from __future__ import annotations

from enum import StrEnum


class DomainError(Exception):
    """Refused: the input or the request breaks a rule (the API answers 400)."""

    code: str = "invalid"

    def __init__(self, message: str, *, code: str | None = None, details=None):
        super().__init__(message)
        self.message = str(message)
        if code:
            self.code = str(code)
        self.details = details


class Conflict(DomainError):
    """Refused: the state changed or is held by someone else (409)."""

    code = "conflict"


class Forbidden(DomainError):
    """Refused: this user may not do this (403)."""

    code = "forbidden"


class ErrorCode(StrEnum):
    """Codes shared by every app."""

    INVALID = "invalid"
    CONFLICT = "conflict"
    FORBIDDEN = "forbidden"
