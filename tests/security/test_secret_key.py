"""A production process (DEBUG off) refuses to start without a real SECRET_KEY."""
from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def start(tmp_path, **overrides: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ALLOWED_HOSTS": "example.com",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'start.sqlite3'}", **overrides}
    for name in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    if overrides.get("SECRET_KEY") is None:
        env.pop("SECRET_KEY", None)
    # What gunicorn does first: load the WSGI application.
    return subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=ROOT, env={k: v for k, v in env.items() if v is not None},
        capture_output=True, text=True, timeout=120, check=False,
    )


@pytest.mark.parametrize("key, problem", [
    (None, "SECRET_KEY is not set"),
    ("django-insecure-storefront-local-development-only", "development key"),
    ("x" * 49, "SECRET_KEY is 49 characters long; at least 50 are required"),
])
def test_a_production_start_with_a_missing_forgeable_or_short_key_is_refused(
    tmp_path, key, problem
):
    result = start(tmp_path, DEBUG="0", SECRET_KEY=key)

    assert result.returncode != 0
    assert "ImproperlyConfigured: Refusing to start with DEBUG off" in result.stderr
    assert problem in result.stderr


def test_a_production_start_with_a_real_key_and_a_development_start_without_one_work(
    tmp_path
):
    assert start(tmp_path, DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50)).returncode == 0
    development = start(tmp_path, DEBUG="1", SECRET_KEY=None)
    assert development.returncode == 0, development.stderr
