"""Loads the demo: every app that has a `demo` module seeds its part, in app order.

Idempotent: each part looks up what it already made and makes only what is missing.
"""
from __future__ import annotations

import os
from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Load demo brands, catalogue, Stores, a waiting submission and users."

    def handle(self, *args, **options):
        password = os.environ.get("DEMO_PASSWORD", "storefront")
        summary: list[str] = []
        for app_config in apps.get_app_configs():
            try:
                demo = import_module(f"{app_config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app_config.name}.demo":
                    raise
                continue
            self.stdout.write(f"Seeding {app_config.verbose_name}…")
            with transaction.atomic():
                lines = demo.seed(password=password, stdout=self.stdout)
            summary.extend(lines or [])
        self.stdout.write(self.style.SUCCESS("\nStorefront demo is ready."))
        for line in summary:
            self.stdout.write(line)
