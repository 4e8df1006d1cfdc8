"""Shopper pages of published Stores, previews, and the per-colour theme stylesheet."""
from __future__ import annotations

import re
import secrets

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe

from catalog.stock import PRODUCT_DATA, STOCK, read_tokens

from .documents import find_page
from .insights.capture import page_view_record
from .models import Store, StoreVersion
from .previews import PreviewRefused, preview_page_url, preview_ticket
from .rendering import (
    CompiledPage,
    assemble_live,
    compile_page,
    compiled_live_page,
    live_page_url,
    public_url,
    render_store_page,
)
from .selectors import STORES_TOKEN, store_route

VISITOR_COOKIE = "sf_vid"
VISITOR_COOKIE_AGE = 365 * 24 * 3600
VISITOR_ID_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
HEX_RE = re.compile(r"^[0-9a-f]{6}$")


@require_safe
@gzip_page  # the page holds no secret (BREACH needs one in the body): see stores.public
def store_page(request: HttpRequest, slug: str, page_path: str = "") -> HttpResponse:
    """A page of the Store's live version with live stock; 404 for an unknown Store or
    page and for a Store with nothing published. Sets the `sf_vid` visitor cookie and
    records the view for insights (`?channel=` tags its source)."""
    # Read before what they guard (a change meanwhile only makes our copies look older).
    stores_token, data_token, stock_token = read_tokens(STORES_TOKEN, PRODUCT_DATA, STOCK)
    route = store_route(slug=slug, token=stores_token)
    if route is None:
        raise Http404("No such Store.")
    version_id = route.version_id_at(timezone.now())
    if version_id is None:
        raise Http404("This Store is not published.")
    store = route.store

    def build() -> CompiledPage | None:
        # Only on a miss: read the (immutable) version and compile the page.
        version = (StoreVersion.objects.filter(pk=version_id).order_by()
                   .only("document").first())
        document = version.document if version else {}
        page = find_page(document, path=page_path)
        if page is None:
            return None
        return compile_page(store=store, document=document, page=page,
                            page_url=live_page_url(store, document),
                            share_url=public_url(store, document, page["key"]))

    compiled = compiled_live_page(("live", store.pk, version_id, page_path), build, data_token)
    if compiled is None:
        raise Http404("No such page in this Store.")
    response = HttpResponse(assemble_live(compiled, stock_token))
    # Stock is live: browsers and proxies must ask again every time.
    response["Cache-Control"] = "no-cache, private"
    cookie_id = request.COOKIES.get(VISITOR_COOKIE)
    if cookie_id and not VISITOR_ID_RE.match(cookie_id):
        cookie_id = None
    new_id = None
    if cookie_id is None:
        new_id = secrets.token_urlsafe(18)
        response.set_cookie(VISITOR_COOKIE, new_id, max_age=VISITOR_COOKIE_AGE,
                            samesite="Lax", httponly=True, secure=request.is_secure())
    page_view_record(request=request, store=store, page_key=compiled.page_key,
                     cookie_visitor_id=cookie_id, new_visitor_id=new_id)
    return response


@require_safe
def preview_page(request: HttpRequest, token: str) -> HttpResponse:
    """A signed preview of a draft or version; refused links get 403 (tampered) or 410."""
    try:
        ticket = preview_ticket(token)
    except PreviewRefused as refused:
        status = 410 if refused.reason == "expired" else 403
        response = render(request, "stores/preview_refused.html",
                          {"reason": refused.reason}, status=status)
        return _private(response)
    store = Store.objects.select_related("brand").filter(pk=ticket.store_id).first()
    if store is None:
        raise Http404("No such Store.")
    if ticket.version_id is None:
        document = store.draft
    else:
        version = StoreVersion.objects.filter(pk=ticket.version_id, store=store).first()
        if version is None:
            raise Http404("No such version.")
        document = version.document
    try:
        html = render_store_page(
            request, store=store, document=document, page_key=ticket.page_key,
            stock_mode=ticket.stock_mode, preview=True,
            page_url=lambda key: preview_page_url(ticket, key),
        )
    except LookupError:
        raise Http404("No such page in this version.") from None
    return _private(HttpResponse(html))



def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
def theme_css(request: HttpRequest, accent: str) -> HttpResponse:
    """The Store's accent colour as CSS custom properties (the CSP allows no inline style).
    The URL names the colour, so the answer never changes: cached for a year."""
    accent = accent.lower()
    if not HEX_RE.match(accent):
        raise Http404("Not a colour.")
    red, green, blue = (int(accent[i:i + 2], 16) for i in (0, 2, 4))
    # Relative luminance (WCAG) decides whether text on the accent is dark or light.
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)
    on_accent = "#0f1111" if luminance > 0.179 else "#ffffff"
    response = render(request, "stores/theme.css",
                      {"accent": f"#{accent}", "on_accent": on_accent},
                      content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
