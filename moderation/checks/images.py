"""Images: alt text, the brand's own upload, resolution for the slot, compression, a
single colour, QR codes. Each image is decoded once with Pillow (quality and QR codes,
which zxing-cpp reads); `decode=False` checks only what the database knows (alt text,
owner, width), fast enough to run while the brand edits."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import zxingcpp
from django.utils.translation import gettext_noop
from PIL import Image, ImageStat, UnidentifiedImageError

from catalog.stored_texts import StoredText
from stores import content_policy as policy
from stores import theme as store_theme
from stores.models import Asset
from stores.tiles.fields import ImageSlot

from ..models import ReasonCode
from .base import BLOCKING, WARNING, Place, finding, shorten, tiles

# Mean luminance quantiser above this is roughly JPEG quality < 50: visibly blocky.
JPEG_COARSE_QUANTISER = 60.0
# Images are searched for QR codes at up to this many pixels a side: a code a shopper could
# scan from a screen stays readable; bigger images are scaled down first (speed).
QR_SCAN_MAX_SIDE = 2000


def image_slots(document: dict) -> Iterator[tuple[Place, ImageSlot, int]]:
    """(place, slot, minimum width) for every image every tile declares, then the theme's
    logo and banner (Store-wide: no page or tile)."""
    for place, at, tile_type in tiles(document):
        for slot in tile_type.images(at.config):
            yield place, slot, policy.image_min_width(
                may_be_hero=slot.may_be_hero, layout=at.layout,
                tiles_in_section=at.tiles_in_section)
    theme = document.get("theme")
    if isinstance(theme, dict):
        for field in store_theme.FIELDS:
            for slot in field.images(theme.get(field.name), theme):
                yield Place(), slot, policy.theme_image_min_width(field.name)


def _jpeg_quantiser_mean(image: Image.Image) -> float | None:
    tables = getattr(image, "quantization", None)
    if not tables:
        return None
    luminance = tables.get(0)
    return sum(luminance) / len(luminance) if luminance else None


@dataclass(frozen=True)
class ImageFacts:
    """What one decode of an image tells the checks."""

    width: int
    height: int
    quantiser: float | None
    spread: float
    qr_codes: tuple[str, ...]


def _read_image(asset: Asset) -> ImageFacts | None:
    """Decode the image once, in greyscale, at most QR_SCAN_MAX_SIDE px a side (JPEGs are
    decoded at a reduced scale straight away); None when it cannot be read."""
    try:
        with asset.file.open("rb") as handle, Image.open(handle) as image:
            width, height = image.size
            quantiser = _jpeg_quantiser_mean(image)
            image.draft("L", (QR_SCAN_MAX_SIDE, QR_SCAN_MAX_SIDE))
            grey = image.convert("L")
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        return None
    grey.thumbnail((QR_SCAN_MAX_SIDE, QR_SCAN_MAX_SIDE))
    spread = ImageStat.Stat(grey.resize((64, 64))).stddev[0]
    # QR symbology only (Micro QR and rMQR included): barcodes on product shots are fine.
    codes = zxingcpp.read_barcodes(grey, formats=zxingcpp.BarcodeFormat.QRCode)
    return ImageFacts(width=width, height=height, quantiser=quantiser, spread=spread,
                      qr_codes=tuple(code.text for code in codes))


def check_images(document: dict, *, brand, decode: bool = True) -> list[dict]:
    findings = []
    slots = list(image_slots(document))
    ids = {slot.asset for _, slot, _ in slots if isinstance(slot.asset, int)}
    assets = Asset.objects.in_bulk(ids) if ids else {}
    # An image used in several tiles (or as its own phone variant) is decoded once.
    facts: dict[int, ImageFacts | None] = {}
    for place, slot, min_width in slots:
        if not slot.decorative and not slot.alt.strip():
            findings.append(finding(place, "missing_alt", BLOCKING, ReasonCode.OTHER,
                                    StoredText(gettext_noop(
                                        "An image has no alt text (shoppers using screen "
                                        "readers need it)."))))
        asset = assets.get(slot.asset)
        if asset is None or asset.brand_id != brand.pk:
            findings.append(finding(place, "image_missing", BLOCKING, ReasonCode.OTHER,
                                    StoredText(gettext_noop(
                                        "Image %(id)s is not one of the brand's uploaded "
                                        "images."), id=repr(slot.asset))))
            continue
        if not decode:
            findings.extend(_resolution(place, asset, asset.width, asset.height, min_width))
            continue
        if asset.pk not in facts:
            facts[asset.pk] = _read_image(asset)
        findings.extend(_image_findings(place, asset, facts[asset.pk], min_width))
    return findings


def _resolution(place: Place, asset: Asset, width: int, height: int,
                min_width: int) -> list[dict]:
    if width >= min_width:
        return []
    msgid = (gettext_noop("Image %(id)s is %(width)s×%(height)s px; a full-width image needs "
                          "at least %(min)s px width.") if min_width == policy.HERO_MIN_WIDTH
             else gettext_noop("Image %(id)s is %(width)s×%(height)s px; a tile image needs at "
                               "least %(min)s px width."))
    return [finding(place, "image_resolution", BLOCKING, ReasonCode.LOW_QUALITY_IMAGE,
                    StoredText(msgid, id=asset.pk, width=width, height=height, min=min_width))]


def _image_findings(place: Place, asset: Asset, facts: ImageFacts | None,
                    min_width: int) -> list[dict]:
    if facts is None:
        return [finding(place, "image_unreadable", BLOCKING, ReasonCode.LOW_QUALITY_IMAGE,
                         StoredText(gettext_noop("Image %(id)s cannot be read."), id=asset.pk))]
    findings = _resolution(place, asset, facts.width, facts.height, min_width)
    if facts.quantiser is not None and facts.quantiser > JPEG_COARSE_QUANTISER:
        findings.append(finding(
            place, "image_quality", WARNING, ReasonCode.LOW_QUALITY_IMAGE,
            StoredText(gettext_noop("Image %(id)s is heavily compressed (blocky JPEG); check it "
                                    "looks sharp."), id=asset.pk),
        ))
    if facts.spread < 2.0:
        findings.append(finding(place, "image_quality", WARNING, ReasonCode.LOW_QUALITY_IMAGE,
                                StoredText(gettext_noop("Image %(id)s is almost a single colour."),
                                           id=asset.pk)))
    if facts.qr_codes:
        # A decoded QR code is certain (its error correction checks out), so it rejects
        # like the other contact details do.
        contents = ", ".join(shorten(text, 80) for text in facts.qr_codes)
        findings.append(finding(place, "qr_code", BLOCKING, ReasonCode.QR_CODE,
                                StoredText(gettext_noop("Image %(id)s contains a QR code "
                                                        "(%(contents)s); QR codes are not "
                                                        "allowed."),
                                           id=asset.pk, contents=contents)))
    return findings


