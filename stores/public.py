"""Shopper pages around the Stores: product pages with their way back into the Store,
a search of Stores, robots.txt, the sitemap, Store icons and the branded error pages.

Pages here carry no secret (no CSRF token, nothing about the visitor), which is why they
may be gzipped: BREACH needs a secret in a compressed body.
"""
from __future__ import annotations

import io
import re
from functools import lru_cache
from xml.sax.saxutils import escape

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe

from catalog.views import product_detail_context

from .documents import find_page
from .models import Asset, Store, StoreVersion
from .rendering import live_page_url, navigation
from .selectors import store_route
from .seo import absolute, document_icons, product_ld, robots_txt, sitemap_entries, store_icons
from .seo import store_trail_for_product as trail_for
from .theme import theme_look

HEX_RE = re.compile(r"^[0-9a-f]{6}$")
SEARCH_MAX = 100
_STORE_PATH = re.compile(r"^/stores/(?P<slug>[a-z0-9-]+)/")


@require_safe
@gzip_page
def product_page(request: HttpRequest, asin: str) -> HttpResponse:
    """A product's page with "Visit the <brand> Store" and breadcrumbs back to the Store
    page the shopper came from (when the Referer names one of the brand's live pages)."""
    context = product_detail_context(asin=asin)
    if context is None:
        raise Http404(_("No product with this ASIN."))
    product = context["product"]
    trail = trail_for(brand_id=product.brand_id, referer=request.headers.get("Referer"))
    url = absolute(f"/dp/{product.asin}/")
    context.update({
        "trail": trail,
        "canonical": url,
        "icons": trail.icons if trail else store_icons(name=product.brand.name,
                                                       accent="0a7d5a"),
        "og_image": absolute(context["images"][0].image.url) if context["images"] else None,
        "structured_data": product_ld(
            product=product, images=context["images"], buyable=context["buyable"],
            price=context["deal_price"] or product.price, url=url, trail=trail),
    })
    return render(request, "catalog/product_detail.html", context)


@require_safe
@gzip_page
def store_search(request: HttpRequest) -> HttpResponse:
    """Published Stores whose name holds the query (what a 404 outside a Store offers)."""
    query = (request.GET.get("q") or "").strip()[:SEARCH_MAX]
    stores = Store.objects.filter(published_version__isnull=False).order_by("name")
    if query:
        stores = stores.filter(name__icontains=query)
    return render(request, "stores/search.html", {
        "query": query, "stores": list(stores.only("name", "slug")[:50]),
        "canonical": absolute("/stores/"),
    })


@require_safe
def robots(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(robots_txt(), content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
@gzip_page
def sitemap(request: HttpRequest) -> HttpResponse:
    """Every live Store page and every product page of a brand with a live Store."""
    rows = []
    for url, modified in sitemap_entries():
        lastmod = f"<lastmod>{modified.date().isoformat()}</lastmod>" if modified else ""
        rows.append(f"<url><loc>{escape(url)}</loc>{lastmod}</url>")
    body = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(rows) + "</urlset>\n")
    response = HttpResponse(body, content_type="application/xml; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _icon_params(accent: str, letter: str) -> tuple[str, str]:
    accent = accent.lower()
    if not HEX_RE.match(accent) or not re.fullmatch(r"[A-Z0-9]", letter):
        raise Http404(_("Not an icon."))
    return accent, letter


def _text_colour(accent: str) -> str:
    red, green, blue = (int(accent[i:i + 2], 16) / 255 for i in (0, 2, 4))

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)
    return "#0f1111" if luminance > 0.179 else "#ffffff"


def _immutable(response: HttpResponse) -> HttpResponse:
    # The address names the colour and letter: the answer never changes.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@require_safe
def store_icon(request: HttpRequest, accent: str, letter: str) -> HttpResponse:
    """A Store's favicon: its initial on its accent colour (SVG)."""
    accent, letter = _icon_params(accent, letter)
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
           f'<rect width="64" height="64" rx="14" fill="#{accent}"/>'
           f'<text x="32" y="45" font-family="system-ui,sans-serif" font-size="38" '
           f'font-weight="700" text-anchor="middle" fill="{_text_colour(accent)}">{letter}</text>'
           '</svg>')
    return _immutable(HttpResponse(svg, content_type="image/svg+xml"))


@lru_cache(maxsize=256)
def _touch_icon_png(accent: str, letter: str) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (180, 180), f"#{accent}")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=110)
    draw.text((90, 92), letter, fill=_text_colour(accent), font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


@require_safe
def store_touch_icon(request: HttpRequest, accent: str, letter: str) -> HttpResponse:
    """A Store's touch icon (180 × 180 PNG, what phones put on a home screen)."""
    accent, letter = _icon_params(accent, letter)
    return _immutable(HttpResponse(_touch_icon_png(accent, letter), content_type="image/png"))


@lru_cache(maxsize=128)
def _logo_icon_png(name: str, size: int) -> bytes | None:
    """The logo centred on a square (transparent for the tab icon, white with a margin for
    a home screen); remembered per file and size (the file of an Asset never changes)."""
    from django.core.files.storage import default_storage
    from PIL import Image, UnidentifiedImageError

    try:
        with default_storage.open(name, "rb") as handle:
            image = Image.open(handle)
            image.draft("RGB", (size * 2, size * 2))  # JPEGs: decode at a reduced scale
            image = image.convert("RGBA")
    except (OSError, UnidentifiedImageError):
        return None
    inner = size if size < 100 else int(size * 0.8)
    image.thumbnail((inner, inner))
    canvas = Image.new("RGBA", (size, size), (255, 255, 255, 0 if size < 100 else 255))
    canvas.alpha_composite(image, ((size - image.width) // 2, (size - image.height) // 2))
    out = io.BytesIO()
    canvas.save(out, "PNG", optimize=True)
    return out.getvalue()


@require_safe
def store_logo_icon(request: HttpRequest, asset_id: int, size: int) -> HttpResponse:
    """A Store's favicon (64 px) or touch icon (180 px) made from its logo. Brand images
    are public files already (/media/); this only squares one of them."""
    if size not in (64, 180):
        raise Http404(_("Not an icon."))
    name = Asset.objects.filter(pk=asset_id).values_list("file", flat=True).first()
    png = _logo_icon_png(name, size) if name else None
    if png is None:
        raise Http404(_("Not an icon."))
    return _immutable(HttpResponse(png, content_type="image/png"))


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico for pages that name no icon (admin, API docs): Storefront's own."""
    return store_icon(request, "0a7d5a", "S")


# --- error pages ---------------------------------------------------------------------


def _store_look(request: HttpRequest) -> dict | None:
    """The live Store the address belongs to, with its navigation, or None. Reads the
    cached route and, for a live Store, its version's document (one query)."""
    match = _STORE_PATH.match(request.path)
    if not match or match["slug"].startswith("_"):
        return None
    route = store_route(slug=match["slug"])
    if route is None:
        return None
    store = route.store
    version_id = route.version_id_at(timezone.now())
    if version_id is None:
        return {"store": store, "document": {"name": store.name}, "published": False,
                "icons": store_icons(name=store.name, accent="0a7d5a"),
                "accent": "0a7d5a", "theme": theme_look({}), "navigation": None}
    document = (StoreVersion.objects.filter(pk=version_id)
                .values_list("document", flat=True).first()) or {}
    page_url = live_page_url(store, document)
    home = find_page(document, path="")
    look = theme_look(document)
    return {
        "store": store, "document": document, "published": True,
        "icons": document_icons(name=str(document.get("name") or store.name),
                                document=document),
        "accent": look.accent.lstrip("#"),
        "theme": look,
        "logo": Asset.objects.filter(brand=store.brand_id, pk=look.logo).first()
        if look.logo is not None else None,
        "navigation": navigation(document, current_key="", page_url=page_url) if home else None,
    }


def _error_page(request: HttpRequest, status: int, *, exception=None) -> HttpResponse:
    look = None
    try:
        look = _store_look(request)
    except Exception:  # noqa: BLE001,S110 - an error page must not fail in turn
        look = None
    template = "stores/error_store.html" if look else "stores/error.html"
    context = {"status": status, "look": look, "request_path": request.path,
               "site_url": settings.SITE_URL}
    if look and not look["published"] and status == 404:
        context["unpublished"] = True
    response = HttpResponse(loader.render_to_string(template, context, request), status=status)
    response["Cache-Control"] = "no-cache"
    return response


@gzip_page
def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    """404: inside a Store, its navigation and home; elsewhere, a search of Stores."""
    return _error_page(request, 404, exception=exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """500 without touching the database (it may be what failed)."""
    response = HttpResponse(loader.render_to_string("stores/error.html", {"status": 500}),
                            status=500)
    response["Cache-Control"] = "no-store"
    return response
