"""Serves uploaded and generated images from MEDIA_ROOT.

Only image types we produce or verified on upload are served, each with its verified
content type and `nosniff`, so an uploaded file can never be served as HTML or script.
In production a front proxy may serve MEDIA_ROOT directly with the same rules.
"""
from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from django.utils._os import safe_join
from django.views.decorators.http import require_safe

SERVED_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
                ".webp": "image/webp"}


@require_safe
def serve_media(request, path: str):
    suffix = Path(path).suffix.lower()
    content_type = SERVED_TYPES.get(suffix)
    if content_type is None:
        raise Http404("Not an image")
    try:
        full_path = Path(safe_join(settings.MEDIA_ROOT, path))
    except Exception as exc:  # SuspiciousFileOperation: a path outside MEDIA_ROOT
        raise Http404("Not found") from exc
    if not full_path.is_file():
        raise Http404("Not found")
    response = FileResponse(full_path.open("rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


