"""The site's URLs plus a baseline for benchmarks: a bare view returning fixed bytes."""
from __future__ import annotations

import os

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns

_page: dict[str, bytes] = {}


def static_page(request):
    """The bytes of BENCH_PAGE_FILE, read once per process: what serving costs without
    any work at all."""
    body = _page.get("body")
    if body is None:
        with open(os.environ["BENCH_PAGE_FILE"], "rb") as handle:
            body = _page["body"] = handle.read()
    return HttpResponse(body)


urlpatterns = [path("_bench/static-page/", static_page), *site_urlpatterns]
