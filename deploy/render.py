"""Render a deploy/*.template with values from the environment (nginx's own $variables are
left alone). Usage: python deploy/render.py deploy/nginx.conf.template > nginx.conf"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from string import Template

ROOT = Path(__file__).resolve().parent.parent

DEFAULTS = {
    "APP_ROOT": str(ROOT),
    "VENV": str(ROOT / ".venv"),
    "RUN_DIR": "/run/storefront",
    "LOG_DIR": "/var/log/storefront",
    "STATIC_ROOT": str(ROOT / "staticfiles"),
    "MEDIA_ROOT": str(ROOT / "media"),
    "LISTEN": "80",
    "SERVER_NAME": "_",
    "UPSTREAM": "127.0.0.1:8000",
    "RATE_REQUESTS": "20r/s",
    "BURST_REQUESTS": "40",
    "RATE_LOGINS": "10r/m",
    "BURST_LOGINS": "5",
    "CONNECTIONS_PER_CLIENT": "40",
    "WORKER_CONCURRENCY": "2",
}


def render(template: str, values: dict[str, str] | None = None) -> str:
    merged = {**DEFAULTS, **{k: v for k, v in os.environ.items() if k in DEFAULTS},
              **(values or {})}
    text = Template(template).safe_substitute(merged)
    missing = [name for name in DEFAULTS if "${" + name + "}" in text]
    if missing:
        raise SystemExit(f"unfilled values: {', '.join(missing)}")
    return text


if __name__ == "__main__":
    sys.stdout.write(render(Path(sys.argv[1]).read_text()))
