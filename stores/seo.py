"""What search engines and link previews read of shopper pages: descriptions, canonical
addresses, icons, structured data (schema.org), robots.txt and the sitemap.

Everything here is public: it is built from published versions and active products only.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from catalog.models import Product

from .documents import find_page, iter_tiles, page_paths
from .models import Asset, Store, StoreVersion
from .theme import theme_look
from .tiles.registry import UnknownTileType, get_tile_type

DESCRIPTION_MAX = 160
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
_SPACES = re.compile(r"\s+")


def absolute(path: str) -> str:
    """`path` on the public site (SITE_URL): canonical and shared addresses are absolute."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def ld_json(data: dict) -> SafeString:
    """A schema.org block. It is data, not script: the CSP does not apply to it, and the
    escapes keep `</script>` in a product title from ending it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>',
                       mark_safe(text))  # noqa: S308 - escaped above


def plain(text: str, limit: int = DESCRIPTION_MAX) -> str:
    """One line of plain text of at most `limit` characters (for meta descriptions)."""
    return Truncator(_SPACES.sub(" ", strip_tags(text or "")).strip()).chars(limit)


def accent_of(document: dict) -> str:
    """The theme's accent colour as `rrggbb` (the default for a malformed theme)."""
    return theme_look(document).accent.lstrip("#")


def icon_letter(name: str) -> str:
    """The letter on a Store's icon: its name's first letter or digit (A–Z, 0–9)."""
    for char in (name or "").upper():
        if "A" <= char <= "Z" or "0" <= char <= "9":
            return char
    return "S"


def store_icons(*, name: str, accent: str, logo: int | None = None) -> dict:
    """A Store's favicon and touch icon: its logo when it has one (squared PNGs), else its
    initial on its accent colour (SVG and PNG)."""
    if logo is not None:
        return {"icon": reverse("store-logo-icon", kwargs={"asset_id": logo, "size": 64}),
                "icon_type": "image/png",
                "png": reverse("store-logo-icon", kwargs={"asset_id": logo, "size": 180})}
    letter, accent = icon_letter(name), accent.lower()
    return {
        "icon": reverse("store-icon", kwargs={"accent": accent, "letter": letter}),
        "icon_type": "image/svg+xml",
        "png": reverse("store-touch-icon", kwargs={"accent": accent, "letter": letter}),
    }


def document_icons(*, name: str, document: dict) -> dict:
    """The icons of a Store document (its theme's logo, else its initial and accent)."""
    look = theme_look(document)
    return store_icons(name=name, accent=look.accent.lstrip("#"), logo=look.logo)


def _page_trail(document: dict, page: dict) -> list[dict]:
    by_key = {p.get("key"): p for p in document.get("pages", [])}
    trail, cursor = [], page
    while cursor is not None and len(trail) < 4:
        trail.append(cursor)
        cursor = by_key.get(cursor.get("parent"))
    return list(reversed(trail))


def default_description(*, store_name: str, page: dict) -> str:
    if page.get("parent"):
        return _("%(page)s from %(store)s: browse the brand's products, deals and best "
                 "sellers in its Store.") % {"page": page.get("title", ""), "store": store_name}
    return _("Shop %(store)s: the brand's products, deals and best sellers in one Store.") % {
        "store": store_name}


def page_seo(*, store: Store, document: dict, page: dict,
             page_url: Callable[[str], str | None], share_url: str, preview: bool,
             assets: dict | None = None) -> dict:
    """Head tags of a Store page: description (the page's own, else a default), canonical
    and Open Graph address, share image (the page's first image tile), icons and a
    BreadcrumbList. `assets`: the page's Assets by id, already loaded (no query here)."""
    name = str(document.get("name") or store.name)
    description = plain(page.get("description") or "") or default_description(
        store_name=name, page=page)
    image = first_image_url(page, assets or {})
    trail = _page_trail(document, page)
    breadcrumbs = None
    if not preview:
        breadcrumbs = ld_json({
            "@context": "https://schema.org", "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": index,
                 "name": name if not crumb.get("parent") else crumb.get("title", ""),
                 "item": absolute(page_url(crumb["key"]) or "")}
                for index, crumb in enumerate(trail, start=1)],
        })
    title = name if not page.get("parent") else f"{page.get('title', '')} – {name}"
    return {
        "title": title,
        "description": description,
        "canonical": share_url,
        "image": image,
        "icons": document_icons(name=name, document=document),
        "breadcrumbs_ld": breadcrumbs,
    }


# --- the Store a shopper came from (product pages) -----------------------------------


@dataclass(frozen=True)
class StoreTrail:
    """The Store (and its page) a product page leads back to."""

    store_name: str
    store_url: str
    page_title: str | None
    page_url: str | None
    icons: dict
    theme: str = ""  # the Store's theme stylesheet name (stores.theme.Look.token)
    logo: Any = None  # the Store's logo (an Asset) or None


_STORE_PATH = re.compile(r"^/stores/(?P<slug>[a-z0-9-]+)/(?P<path>(?:[a-z0-9-]+/){0,2})$")


def store_trail_for_product(*, brand_id: int, referer: str | None) -> StoreTrail | None:
    """The published Store of the product's brand to lead back to: the Store page the
    shopper came from (same site, same brand, still live) when the Referer names one,
    else the brand's first published Store. One query (two when a Store page is named)."""
    from urllib.parse import urlsplit

    from .selectors import store_route

    came_from = None
    if referer:
        parts = urlsplit(referer)
        match = _STORE_PATH.match(parts.path or "")
        if match:
            route = store_route(slug=match["slug"])
            if route is not None and route.store.brand_id == brand_id:
                version_id = route.version_id_at(timezone.now())
                if version_id is not None:
                    came_from = (route.store, version_id, match["path"].strip("/"))
    if came_from is None:
        store = (Store.objects.filter(brand_id=brand_id, published_version__isnull=False)
                 .order_by("pk").select_related("published_version").first())
        if store is None:
            return None
        return _trail(store, store.published_version.document, "")
    store, version_id, path = came_from
    document = (StoreVersion.objects.filter(pk=version_id)
                .values_list("document", flat=True).first()) or {}
    return _trail(store, document, path)


def _trail(store: Store, document: dict, path: str) -> StoreTrail:
    name = str(document.get("name") or store.name)
    home = f"/stores/{store.slug}/"
    page = find_page(document, path=path) if path else None
    look = theme_look(document)
    return StoreTrail(
        store_name=name, store_url=home,
        page_title=page.get("title") if page else None,
        page_url=f"{home}{path}/" if page else None,
        icons=document_icons(name=name, document=document),
        theme=look.token,
        logo=(Asset.objects.filter(brand=store.brand_id, pk=look.logo).first()
              if look.logo is not None else None),
    )


def product_ld(*, product: Product, images: list, buyable: bool, price, url: str,
               trail: StoreTrail | None) -> SafeString:
    """schema.org Product with its Offer (price only while it can be bought) and the
    BreadcrumbList the page shows."""
    offer = {
        "@type": "Offer", "url": url, "priceCurrency": product.currency,
        "availability": "https://schema.org/" + (
            "InStock" if buyable else "OutOfStock" if product.is_active else "Discontinued"),
    }
    if buyable:
        offer["price"] = str(price)
    data: dict = {
        "@context": "https://schema.org", "@type": "Product", "name": product.title,
        "sku": product.asin, "brand": {"@type": "Brand", "name": product.brand.name},
        "offers": offer,
    }
    if images:
        data["image"] = [absolute(item.image.url) for item in images[:4]]
    description = plain(product.description or " ".join(map(str, product.bullet_points or [])),
                        500)
    if description:
        data["description"] = description
    if product.review_count:
        data["aggregateRating"] = {"@type": "AggregateRating",
                                   "ratingValue": str(product.rating),
                                   "reviewCount": product.review_count}
    crumbs = []
    if trail is not None:
        crumbs.append((trail.store_name, absolute(trail.store_url)))
        if trail.page_url:
            crumbs.append((trail.page_title, absolute(trail.page_url)))
    crumbs.append((product.title, url))
    breadcrumbs = {
        "@context": "https://schema.org", "@type": "BreadcrumbList",
        "itemListElement": [{"@type": "ListItem", "position": i, "name": n, "item": u}
                            for i, (n, u) in enumerate(crumbs, start=1)],
    }
    return ld_json(data) + ld_json(breadcrumbs)


# --- robots.txt and the sitemap -------------------------------------------------------


def robots_txt() -> str:
    return "\n".join([
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /builder/",
        "Disallow: /api/",
        "Disallow: /accounts/",
        "Disallow: /stores/_preview/",
        "Allow: /",
        f"Sitemap: {absolute('/sitemap.xml')}",
        "",
    ])


def sitemap_entries(*, at: datetime | None = None) -> Iterator[tuple[str, datetime | None]]:
    """(absolute URL, last modified) of every page of every live Store version and of
    every active product of a brand with a live Store. Three queries."""
    from .selectors import live_version_for

    at = at or timezone.now()
    stores = list(Store.objects.filter(published_version__isnull=False)
                  .select_related("published_version").order_by("slug"))
    scheduled = {
        v.store_id: v for v in StoreVersion.objects.filter(
            store__in=stores, approved_at__isnull=False, schedule_starts_at__lte=at)
        .exclude(schedule_ends_at__lte=at).order_by("schedule_starts_at")}
    brand_ids = set()
    for store in stores:
        version = scheduled.get(store.pk) or store.published_version
        if version is None:  # pragma: no cover - filtered above
            version = live_version_for(store=store, at=at)
        brand_ids.add(store.brand_id)
        for path in sorted(page_paths(version.document).values()):
            url = f"/stores/{store.slug}/{path}/" if path else f"/stores/{store.slug}/"
            yield absolute(url), version.approved_at
    products = (Product.objects.filter(brand_id__in=brand_ids, is_active=True)
                .order_by("asin").values_list("asin", flat=True))
    for asin in products.iterator():
        yield absolute(reverse("product-detail", args=[asin])), None


def first_image_url(page: dict, assets: dict) -> str | None:
    """The absolute address of the page's first image that shows content (not a
    decorative one), as its tiles declare their images."""
    for at in iter_tiles({"pages": [page]}):
        try:
            tile_type = get_tile_type(at.tile.get("type"))
        except UnknownTileType:
            continue
        for slot in tile_type.images(at.tile.get("config") or {}):
            asset = assets.get(slot.asset)
            if asset is not None and not slot.decorative:
                return absolute(asset.file.url)
    return None
