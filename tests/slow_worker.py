"""A Celery worker whose automated checks take CHECKS_DELAY seconds, so that a test can
kill it in the middle of a check. Run as a script from the project root."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from config.celery import app  # noqa: E402
from moderation import tasks  # noqa: E402

DELAY = float(os.environ.get("CHECKS_DELAY", "0"))
_checks = tasks.document_check


def _slow_checks(**kwargs):
    time.sleep(DELAY)
    return _checks(**kwargs)


tasks.document_check = _slow_checks

if __name__ == "__main__":
    app.worker_main(["worker", *sys.argv[1:]])
