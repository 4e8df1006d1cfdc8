"""Database helpers shared by the apps."""
from __future__ import annotations

import random
import time
from functools import wraps

from django.db import OperationalError, connection

# PostgreSQL: deadlock_detected, serialization_failure.
RETRYABLE_SQLSTATES = {"40P01", "40001"}


def is_retryable(exc: BaseException) -> bool:
    return getattr(exc.__cause__, "sqlstate", None) in RETRYABLE_SQLSTATES


def retry_on_deadlock(func=None, *, attempts: int = 5):
    """Runs `func` again (after a short random pause) when PostgreSQL chose its transaction
    as a deadlock victim: the aborted attempt wrote nothing and its on-commit hooks were
    dropped. Only a transaction of its own can be retried: inside an outer atomic block the
    error is raised as is."""

    def decorate(function):
        @wraps(function)
        def wrapper(*args, **kwargs):
            for attempt in range(1, attempts + 1):
                try:
                    return function(*args, **kwargs)
                except OperationalError as exc:
                    if (attempt == attempts or not is_retryable(exc)
                            or connection.in_atomic_block):
                        raise
                    time.sleep(random.uniform(0.005, 0.03) * attempt)  # noqa: S311
            raise AssertionError("unreachable")

        return wrapper

    return decorate(func) if func is not None else decorate
