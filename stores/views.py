"""Shopper pages of published Stores, previews, and the per-colour theme stylesheet."""
from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import parse_etags
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe

from catalog.stock import brand_versions, versions_and_tokens
from config.throttles import throttle_view

from .documents import find_page, home_page_key
from .insights.capture import page_view_record
from .models import Store, StoreVersion
from .previews import PreviewRefused, share_link_path, share_link_resolve
from .rendering import (
    CompiledPage,
    assemble,
    assemble_live,
    compile_page,
    live_page,
    live_page_url,
    public_url,
)
from .selectors import STORES_TOKEN, store_route, store_route_cached
from .theme import look_from_token

VISITOR_COOKIE = "sf_vid"
VISITOR_COOKIE_AGE = 365 * 24 * 3600
VISITOR_ID_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@require_safe
@gzip_page  # the page holds no secret (BREACH needs one in the body): see stores.public
def store_page(request: HttpRequest, slug: str, page_path: str = "") -> HttpResponse:
    """A page of the Store's live version with live stock; 404 for an unknown Store or
    page and for a Store with nothing published. Sets the `sf_vid` visitor cookie and
    records the view for insights (`?channel=` tags its source).

    HTTP caching: the answer carries an `ETag` made of the page's catalogue version, the
    deal window it is in and the set of its products that can be bought, so a browser's
    `If-None-Match` gets a 304 while nothing the shopper sees changed. `Cache-Control:
    no-cache` makes every reuse ask first, so stock is never older than the last answer;
    `private` because the view counts visits and sets the visitor cookie, which a shared
    cache would swallow. Deployments that count visits at their proxy may let it hold
    pages for STORE_PAGE_SHARED_MAX_AGE seconds (answers that set no cookie only).
    """
    # The whole freshness check in one look (pushed values with Redis): the Stores' token and
    # the versions of the brand whose route this process holds. Read before what they
    # guard (a change meanwhile only makes our copies look older).
    held = store_route_cached(slug=slug)
    all_versions, (token,) = versions_and_tokens(
        [held.store.brand_id] if held is not None else [], (STORES_TOKEN,))
    route = store_route(slug=slug, token=token)
    if route is None:
        raise Http404("No such Store.")
    version_id = route.version_id_at(timezone.now())
    if version_id is None:
        raise Http404("This Store is not published.")
    store = route.store
    versions = all_versions.get(store.brand_id)
    if versions is None:  # a route just loaded (or of another brand now): read its own
        versions = brand_versions([store.brand_id]).get(store.brand_id)
    if versions is None:
        raise Http404("No such Store.")

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

    compiled = live_page(("live", store.pk, version_id, page_path), brand_id=store.brand_id,
                         catalog_version=versions.catalog, build=build)
    if compiled is None:
        raise Http404("No such page in this Store.")
    body, etag = assemble_live(compiled, brand_id=store.brand_id, stock_version=versions.stock)
    etag = f'"{version_id}-{etag[1:]}'
    asked = request.META.get("HTTP_IF_NONE_MATCH")
    if asked and etag.strip('"') in {tag.removeprefix("W/").strip('"')
                                     for tag in parse_etags(asked)}:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body)
    response["ETag"] = etag
    cookie_id = request.COOKIES.get(VISITOR_COOKIE)
    if cookie_id and not VISITOR_ID_RE.match(cookie_id):
        cookie_id = None
    new_id = None
    if cookie_id is None:
        new_id = secrets.token_urlsafe(18)
        response.set_cookie(VISITOR_COOKIE, new_id, max_age=VISITOR_COOKIE_AGE,
                            samesite="Lax", httponly=True, secure=request.is_secure())
    shared_age = getattr(settings, "STORE_PAGE_SHARED_MAX_AGE", 0)
    if shared_age > 0 and new_id is None:
        response["Cache-Control"] = f"public, max-age=0, s-maxage={int(shared_age)}"
    else:
        response["Cache-Control"] = "no-cache, private"
    response["Vary"] = "Accept-Encoding"  # a new response: nothing to merge with
    page_view_record(request=request, store=store, page_key=compiled.page_key,
                     cookie_visitor_id=cookie_id, new_visitor_id=new_id)
    return response


@require_safe
@throttle_view("preview_view")
def preview_page(request: HttpRequest, token: str) -> HttpResponse:
    """A share link's page (`?page=<key>` for another page than the link's own); refused
    links get 410 (expired or revoked) or 404 (unknown). The page is compiled once per draft
    revision or version (and product data): repeated views only apply stock."""
    try:
        link = share_link_resolve(token)
    except PreviewRefused as refused:
        status = 404 if refused.reason == "invalid" else 410
        response = render(request, "stores/preview_refused.html",
                          {"reason": refused.reason}, status=status)
        return _private(response)
    store = link.store
    page_key = request.GET.get("page") or link.page_key or None
    if link.version_id is None:
        # One read of the revision and the document together: they always match.
        draft = Store.objects.filter(pk=store.pk).values("revision", "draft").first() or {}
        source, document = ("draft", draft.get("revision")), draft.get("draft") or {}
    else:
        source, document = ("version", link.version_id), link.version.document
    page_key = page_key or home_page_key(document)
    page = find_page(document, key=page_key) if page_key else None
    if page is None:
        raise Http404("No such page in this version.")

    def build() -> CompiledPage:
        return compile_page(store=store, document=document, page=page, preview=True,
                            page_url=lambda key: share_link_path(link, key), share_url="")

    versions = brand_versions([store.brand_id]).get(store.brand_id)
    compiled = live_page(("preview", link.pk, *source, page_key), brand_id=store.brand_id,
                         catalog_version=versions.catalog if versions else 0, build=build)
    html = assemble(compiled, stock_mode=link.stock_mode)
    return _private(HttpResponse(html))


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
def theme_css(request: HttpRequest, token: str) -> HttpResponse:
    """A Store theme's colours and fonts as CSS custom properties (the CSP allows no inline
    style). The name says everything the answer depends on (stores.theme.Look.token), so
    the answer never changes: cached for a year."""
    look = look_from_token(token)
    if look is None:
        raise Http404("Not a theme.")
    response = render(request, "stores/theme.css",
                      {"variables": sorted(look.css_variables().items())},
                      content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
