"""Automated checks of a submitted Store document, run before a moderator sees it.

`document_check(document=..., brand=...)` walks the pages, sections and tiles and returns
findings (dicts ready for CheckFinding). Blocking findings reject the submission at once.
Every check is a small function; reading images uses Pillow on the Asset file.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from PIL import Image, ImageStat, UnidentifiedImageError

from catalog.models import Product
from stores.models import Asset

from .models import CheckFinding, ReasonCode

BLOCKING = CheckFinding.Severity.BLOCKING
WARNING = CheckFinding.Severity.WARNING

# Minimum image width per slot: a full-width (hero) image, any other tile image.
HERO_MIN_WIDTH = 1200
TILE_MIN_WIDTH = 600
FULL_WIDTH_LAYOUTS = {"full", "full_width", "hero"}
# Mean luminance quantiser above this is roughly JPEG quality < 50: visibly blocky.
JPEG_COARSE_QUANTISER = 60.0
# Text limits by config field; anything else is body text.
TEXT_LIMITS = {"title": 120, "headline": 120, "heading": 120, "subtitle": 200,
               "caption": 300, "alt": 250, "label": 80, "button": 40}
BODY_TEXT_LIMIT = 3000
PAGE_TITLE_LIMIT = 60
# Config fields that are not text a shopper reads.
NON_TEXT_KEYS = {"asset", "asin", "asins", "mode", "sort", "layout", "type", "key", "limit",
                 "hide_out_of_stock", "rule", "category", "x", "y", "url", "provider",
                 "video_id", "align", "color", "accent_color", "style", "variant", "size",
                 "phone_asset", "page"}
VIDEO_HOSTS = {"youtube.com", "www.youtube.com", "youtu.be", "www.youtube-nocookie.com",
               "youtube-nocookie.com", "vimeo.com", "player.vimeo.com"}

URL_RE = re.compile(r"(?:https?://|www\.)[^\s\"'<>]+", re.IGNORECASE)
BARE_DOMAIN_RE = re.compile(
    r"\b[a-z0-9][a-z0-9-]*\.(?:com|net|org|io|shop|store|info|biz|co|de|fr|uk|eu)\b",
    re.IGNORECASE,
)
HREF_RE = re.compile(r"""href\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
TAG_RE = re.compile(r"<[^>]+>")
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE_RE = re.compile(r"(?<![\w])(?:\+|00)?\d[\d\s().-]{6,}\d(?![\w])")
HASHTAG_RE = re.compile(r"(?<![\w&#])#[^\W\d_][\w]*", re.UNICODE)
HANDLE_RE = re.compile(r"(?<![\w.@])@[A-Za-z0-9_]{2,30}\b")


@dataclass(frozen=True)
class Place:
    page: str = ""
    section: str = ""
    tile: str = ""
    tile_type: str = ""
    layout: str = ""
    tiles_in_section: int = 0


def _finding(place: Place, check: str, severity: str, reason: str, message: str) -> dict:
    return {"check_name": check, "severity": severity, "reason_code": reason,
            "page": place.page, "section": place.section, "tile": place.tile,
            "message": message}


def _tiles(document: dict) -> Iterator[tuple[Place, dict]]:
    for page in document.get("pages") or []:
        for section in page.get("sections") or []:
            tiles = [t for t in section.get("tiles") or [] if isinstance(t, dict)]
            for tile in tiles:
                yield Place(
                    page=str(page.get("key", "")), section=str(section.get("key", "")),
                    tile=str(tile.get("key", "")), tile_type=str(tile.get("type", "")),
                    layout=str(section.get("layout", "")), tiles_in_section=len(tiles),
                ), tile.get("config") or {}


def _walk(value: Any, key: str = "") -> Iterator[tuple[str, Any, Any]]:
    """(key, value, parent) for every value nested in a tile config."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield k, v, value
            yield from _walk(v, k)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict | list):
                yield from _walk(item, key)


# --- pages -------------------------------------------------------------------------------


def check_pages(document: dict) -> list[dict]:
    findings = []
    pages = document.get("pages") or []
    if not pages:
        findings.append(_finding(Place(), "empty_page", BLOCKING, ReasonCode.OTHER,
                                 "The Store has no pages."))
    for page in pages:
        place = Place(page=str(page.get("key", "")))
        tiles = [t for s in page.get("sections") or [] for t in s.get("tiles") or []]
        if not tiles:
            findings.append(_finding(
                place, "empty_page", BLOCKING, ReasonCode.OTHER,
                f"The page \"{page.get('title', '')}\" has no tiles: shoppers would see an "
                "empty page.",
            ))
        title = str(page.get("title") or "")
        if len(title) > PAGE_TITLE_LIMIT:
            findings.append(_finding(
                place, "text_length", BLOCKING, ReasonCode.OTHER,
                f"The page title is {len(title)} characters; the limit is {PAGE_TITLE_LIMIT}.",
            ))
        findings.extend(_text_findings(place, "title", title))
    return findings


# --- text --------------------------------------------------------------------------------


def _plain(text: str) -> str:
    return html.unescape(TAG_RE.sub(" ", text))


def _allowed_link(url: str) -> bool:
    if url.startswith(("/", "#")) and not url.startswith("//"):
        return True
    host = (urlparse(url if "://" in url else f"http://{url}").hostname or "").lower()
    own = (urlparse(settings.SITE_URL).hostname or "").lower()
    return bool(host) and host == own


def _prohibited_re() -> re.Pattern | None:
    terms = [t for t in settings.MODERATION_PROHIBITED_TERMS if t]
    if not terms:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(t) for t in terms) + r")\b", re.IGNORECASE)


def _text_findings(place: Place, key: str, raw: str) -> list[dict]:
    findings = []
    text = _plain(raw)
    limit = TEXT_LIMITS.get(key, BODY_TEXT_LIMIT)
    if place.tile and len(text.strip()) > limit:
        findings.append(_finding(
            place, "text_length", BLOCKING, ReasonCode.OTHER,
            f"The {key} is {len(text.strip())} characters; the limit is {limit}.",
        ))
    links = HREF_RE.findall(raw) + URL_RE.findall(text)
    outside = [u for u in links if not _allowed_link(u)]
    without_urls = URL_RE.sub(" ", text)
    without_emails = EMAIL_RE.sub(" ", without_urls)
    outside += [d for d in BARE_DOMAIN_RE.findall(without_emails) if not _allowed_link(d)]
    if outside:
        findings.append(_finding(
            place, "outside_link", BLOCKING, ReasonCode.CONTACT_DETAILS,
            f"Links that leave the marketplace: {', '.join(sorted(set(outside)))}.",
        ))
    emails = EMAIL_RE.findall(without_urls)
    if emails:
        findings.append(_finding(place, "email_address", BLOCKING, ReasonCode.CONTACT_DETAILS,
                                 f"E-mail address in the text: {', '.join(emails)}."))
    phones = [p for p in PHONE_RE.findall(without_emails) if sum(c.isdigit() for c in p) >= 8]
    if phones:
        findings.append(_finding(place, "phone_number", BLOCKING, ReasonCode.CONTACT_DETAILS,
                                 "Phone number in the text: "
                                 f"{', '.join(p.strip() for p in phones)}."))
    hashtags = HASHTAG_RE.findall(without_urls)
    if hashtags:
        findings.append(_finding(place, "hashtag", BLOCKING, ReasonCode.HASHTAGS,
                                 f"Hashtags are not allowed: {', '.join(hashtags)}."))
    handles = HANDLE_RE.findall(without_emails)
    if handles:
        findings.append(_finding(place, "social_handle", BLOCKING, ReasonCode.SOCIAL_HANDLES,
                                 f"Social-media handles are not allowed: {', '.join(handles)}."))
    prohibited = _prohibited_re()
    terms = sorted({m.lower() for m in prohibited.findall(text)}) if prohibited else []
    if terms:
        findings.append(_finding(place, "prohibited_terms", BLOCKING,
                                 ReasonCode.NOT_FAMILY_FRIENDLY,
                                 f"Prohibited terms: {', '.join(terms)}."))
    return findings


def check_text(document: dict) -> list[dict]:
    findings = _text_findings(Place(), "name", str(document.get("name") or ""))
    for place, config in _tiles(document):
        for key, value, _parent in _walk(config):
            if isinstance(value, str) and key not in NON_TEXT_KEYS:
                findings.extend(_text_findings(place, key, value))
        if place.tile_type == "video":
            url = str(config.get("url") or "")
            host = (urlparse(url).hostname or "").lower()
            if url and host not in VIDEO_HOSTS:
                findings.append(_finding(
                    place, "outside_link", BLOCKING, ReasonCode.CONTACT_DETAILS,
                    f"Videos come from YouTube or Vimeo only, not {host or url}.",
                ))
    return findings


# --- images ------------------------------------------------------------------------------


def _image_slots(document: dict) -> Iterator[tuple[Place, dict, int]]:
    """(place, the dict holding "asset", minimum width) for every image in every tile."""
    for place, config in _tiles(document):
        hero = place.layout in FULL_WIDTH_LAYOUTS and place.tiles_in_section == 1
        if "asset" in config:
            yield place, config, HERO_MIN_WIDTH if hero else TILE_MIN_WIDTH
        if config.get("phone_asset"):
            # The image tile's optional phone variant shares the tile's alt text.
            yield place, {"asset": config["phone_asset"], "alt": config.get("alt")}, \
                TILE_MIN_WIDTH
        for key, value, _parent in _walk(config):
            if key not in ("asset", "phone_asset") and isinstance(value, dict) \
                    and "asset" in value:
                yield place, value, TILE_MIN_WIDTH
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, dict) and "asset" in item:
                        yield place, item, TILE_MIN_WIDTH


def _jpeg_quantiser_mean(image: Image.Image) -> float | None:
    tables = getattr(image, "quantization", None)
    if not tables:
        return None
    luminance = tables.get(0)
    return sum(luminance) / len(luminance) if luminance else None


def check_images(document: dict, *, brand) -> list[dict]:
    findings = []
    slots = list(_image_slots(document))
    ids = {slot["asset"] for _, slot, _ in slots if isinstance(slot.get("asset"), int)}
    assets = Asset.objects.in_bulk(ids)
    for place, slot, min_width in slots:
        if not str(slot.get("alt") or "").strip():
            findings.append(_finding(place, "missing_alt", BLOCKING, ReasonCode.OTHER,
                                     "An image has no alt text (shoppers using screen readers "
                                     "need it)."))
        asset = assets.get(slot.get("asset"))
        if asset is None or asset.brand_id != brand.pk:
            findings.append(_finding(place, "image_missing", BLOCKING, ReasonCode.OTHER,
                                     f"Image {slot.get('asset')!r} is not one of the brand's "
                                     "uploaded images."))
            continue
        findings.extend(_image_quality(place, asset, min_width))
    return findings


def _image_quality(place: Place, asset: Asset, min_width: int) -> list[dict]:
    findings = []
    try:
        with asset.file.open("rb") as handle, Image.open(handle) as image:
            width, height = image.size
            quantiser = _jpeg_quantiser_mean(image)
            image.draft("L", (64, 64))
            spread = ImageStat.Stat(image.convert("L").resize((64, 64))).stddev[0]
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        return [_finding(place, "image_unreadable", BLOCKING, ReasonCode.LOW_QUALITY_IMAGE,
                         f"Image {asset.pk} cannot be read.")]
    if width < min_width:
        slot = "a full-width image" if min_width == HERO_MIN_WIDTH else "a tile image"
        findings.append(_finding(
            place, "image_resolution", BLOCKING, ReasonCode.LOW_QUALITY_IMAGE,
            f"Image {asset.pk} is {width}×{height} px; {slot} needs at least {min_width} px "
            "width.",
        ))
    if quantiser is not None and quantiser > JPEG_COARSE_QUANTISER:
        findings.append(_finding(
            place, "image_quality", WARNING, ReasonCode.LOW_QUALITY_IMAGE,
            f"Image {asset.pk} is heavily compressed (blocky JPEG); check it looks sharp.",
        ))
    if spread < 2.0:
        findings.append(_finding(place, "image_quality", WARNING, ReasonCode.LOW_QUALITY_IMAGE,
                                 f"Image {asset.pk} is almost a single colour."))
    return findings


# --- products ----------------------------------------------------------------------------


def check_products(document: dict, *, brand) -> list[dict]:
    wanted: list[tuple[Place, str]] = []
    for place, config in _tiles(document):
        for key, value, _parent in _walk(config):
            if key == "asin" and isinstance(value, str):
                wanted.append((place, value))
            elif key == "asins" and isinstance(value, list):
                wanted.extend((place, v) for v in value if isinstance(v, str))
    products = {
        p.asin: p for p in Product.objects.filter(asin__in={a for _, a in wanted})
        .only("asin", "brand_id", "is_active")
    }
    findings = []
    for place, asin in wanted:
        product = products.get(asin)
        if product is None or product.brand_id != brand.pk:
            findings.append(_finding(place, "foreign_product", BLOCKING,
                                     ReasonCode.NOT_BRAND_PRODUCTS,
                                     f"{asin} is not a product of {brand.name}."))
        elif not product.is_active:
            findings.append(_finding(place, "inactive_product", WARNING,
                                     ReasonCode.NOT_BRAND_PRODUCTS,
                                     f"{asin} is not sold on the marketplace (inactive)."))
    return findings


def document_check(*, document: dict, brand) -> list[dict]:
    """All findings for a Store document of `brand` (blocking first)."""
    findings = (
        check_pages(document)
        + check_text(document)
        + check_images(document, brand=brand)
        + check_products(document, brand=brand)
    )
    return sorted(findings, key=lambda f: f["severity"] != BLOCKING)
