"""Brand image assets: the one place where an uploaded image is checked, cleaned and stored.

An upload becomes an Asset only when Pillow recognises it as JPEG, PNG or WebP by its
content (the file name and the client's content type are ignored), its header is sane, it
decodes completely and it is within the byte and pixel limits (settings.ASSET_MAX_BYTES,
settings.ASSET_MAX_PIXELS). The stored file is a re-encoding of the decoded pixels with the
EXIF orientation applied, scaled down to the pixel budget
(settings.ASSET_STORED_MAX_PIXELS) and colours converted to sRGB: no EXIF (GPS, camera), XMP, ICC or
comment travels with it. A brand stores an image once: the cleaned bytes' sha256 is unique
per brand, and uploading the same image again returns the existing Asset. Animated PNG or
WebP files keep their first frame. Renditions for Store pages are made by a Celery task
enqueued with the asset (through the outbox), never on the upload's request, and again when
the brand moves the image's focal point (crops are cut around it).
"""
from __future__ import annotations

import hashlib
import io
import logging
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from PIL import Image, ImageOps, UnidentifiedImageError

from catalog.images import renditions_ensure
from catalog.models import Brand
from catalog.selectors import store_eligibility
from config.api import DomainError, Forbidden
from outbox.services import outbox_enqueue

from .models import Asset

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Format:
    content_type: str
    extension: str


ACCEPTED_FORMATS = {
    "JPEG": _Format("image/jpeg", "jpg"),
    "PNG": _Format("image/png", "png"),
    "WEBP": _Format("image/webp", "webp"),
}
# An image declaring this many more pixels than it has bytes is treated as a bomb rather
# than as a merely large photo (real photos stay well below 20 pixels per byte).
BOMB_PIXELS_PER_BYTE = 100
JPEG_QUALITY = 90
ORIENTATION = 0x0112  # the EXIF tag
WEBP_QUALITY = 90


class AssetRejected(DomainError):
    """An upload that is not accepted as a brand image (HTTP 400).

    Codes: not_an_image, unsupported_type, file_too_large, image_too_large,
    decompression_bomb. `details` names the field ("file") and the reason.
    """

    code = "asset_rejected"

    def __init__(self, message: str, *, code: str):
        super().__init__(message, code=code,
                         details=[{"field": "file", "code": code, "message": message}])


def _read_limited(upload) -> bytes:
    limit = settings.ASSET_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _too_large(size)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_large(len(data))
    if not data:
        raise AssetRejected("The file is empty.", code="not_an_image")
    return data


def _too_large(size: int) -> AssetRejected:
    limit_mb = settings.ASSET_MAX_BYTES / (1024 * 1024)
    return AssetRejected(
        f"The file is {size / (1024 * 1024):.1f} MB; images may be at most {limit_mb:.0f} MB.",
        code="file_too_large",
    )


def _bomb(size: tuple[int, int] | None) -> AssetRejected:
    declared = f"{size[0]}×{size[1]} pixels" if size else "an enormous number of pixels"
    return AssetRejected(
        f"The image declares {declared}, far more than its file size can honestly hold; "
        "it was refused as a decompression bomb.",
        code="decompression_bomb",
    )


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:.1f}".removesuffix(".0")


def _check_pixels(width: int, height: int, nbytes: int) -> None:
    pixels = width * height
    if pixels <= settings.ASSET_MAX_PIXELS:
        return
    if pixels > BOMB_PIXELS_PER_BYTE * nbytes:
        raise _bomb((width, height))
    raise AssetRejected(
        f"The image is {width}×{height} pixels ({_megapixels(pixels)} megapixels); images "
        f"may have at most {_megapixels(settings.ASSET_MAX_PIXELS)} megapixels. Resize it "
        "and upload again.",
        code="image_too_large",
    )


def _budget_size(width: int, height: int) -> tuple[int, int]:
    """(width, height) scaled down to ASSET_STORED_MAX_PIXELS, keeping the aspect ratio."""
    budget = settings.ASSET_STORED_MAX_PIXELS
    if width * height <= budget:
        return width, height
    scale = (budget / (width * height)) ** 0.5
    return max(1, int(width * scale)), max(1, int(height * scale))


def _within_budget(image: Image.Image) -> Image.Image:
    """The pixel budget: what is stored (and later resized into renditions) has at most
    ASSET_STORED_MAX_PIXELS, so the cost of an upload is bounded whatever was sent. Store
    pages never show images wider than 1600 px; the stored file keeps twice that."""
    size = _budget_size(*image.size)
    if size == image.size:
        return image
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if "A" in image.getbands() or
                              "transparency" in image.info else "RGB")
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)


def _open(data: bytes) -> Image.Image:
    """Open, verify and fully decode `data`; raise AssetRejected with the reason."""
    with warnings.catch_warnings():
        # Pillow warns (and past twice the limit raises) for huge images: both are refusals.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                kind = probe.format
                width, height = probe.size
                if kind not in ACCEPTED_FORMATS:
                    raise AssetRejected(
                        f"{kind} images are not accepted; upload a JPEG, PNG or WebP image.",
                        code="unsupported_type",
                    )
                _check_pixels(width, height, len(data))
                probe.verify()
            image = Image.open(io.BytesIO(data))
            if kind == "JPEG":
                # Decode at the smallest DCT scale that still covers the stored size: a
                # 40-megapixel JPEG decodes in a fraction of the time (every byte is
                # still read, so a truncated file is still refused).
                image.draft(image.mode, _budget_size(width, height))
            image.load()
        except AssetRejected:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _bomb(None) from exc
        except UnidentifiedImageError as exc:
            raise AssetRejected(
                "The file is not an image; upload a JPEG, PNG or WebP image.",
                code="not_an_image",
            ) from exc
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise AssetRejected(
                "The image is damaged or incomplete and cannot be read.", code="not_an_image"
            ) from exc
    return image


def _to_srgb(image: Image.Image) -> Image.Image:
    icc = image.info.get("icc_profile")
    if not icc:
        return image
    try:
        from PIL import ImageCms

        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        target = ImageCms.createProfile("sRGB")
        mode = "RGBA" if "A" in image.getbands() else "RGB"
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert(mode)
        return ImageCms.profileToProfile(image, source, target, outputMode=mode)
    except Exception:  # a broken profile: keep the pixels as they are
        logger.info("Ignoring an unreadable ICC profile", exc_info=True)
        return image


def _clean(image: Image.Image, kind: str) -> bytes:
    """Re-encode the pixels only: orientation applied, no metadata carried over."""
    if image.getexif().get(ORIENTATION, 1) != 1:
        image = ImageOps.exif_transpose(image)
    image = _within_budget(image)
    image = _to_srgb(image)
    transparency = image.info.get("transparency") if image.mode == "P" else None
    out = io.BytesIO()
    if kind == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.info = {}
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    elif kind == "PNG":
        if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"):
            image = image.convert("RGBA")
        image.info = {}
        # zlib's default effort: `optimize` costs ten times the time for a few per cent.
        options = {"compress_level": 6}
        if transparency is not None:
            options["transparency"] = transparency
        image.save(out, "PNG", **options)
    else:
        has_alpha = "A" in image.getbands() or transparency is not None
        image = image.convert("RGBA" if has_alpha else "RGB")
        image.info = {}
        image.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
    return out.getvalue()


def asset_create(*, brand: Brand, upload, user) -> Asset:
    """Check, clean and store an uploaded image for `brand`; return its Asset.

    Guarantees: only JPEG, PNG and WebP (by content) within ASSET_MAX_BYTES and
    ASSET_MAX_PIXELS; metadata stripped; one Asset per brand and image (the existing one
    is returned for a repeat upload); renditions enqueued. Raises AssetRejected (400) with a
    code and a message for a refused file, and config.api.Forbidden when `user` may not
    build for `brand`. Nothing is stored on any refusal.
    """
    eligibility = store_eligibility(user=user, brand=brand)
    if not eligibility:
        raise Forbidden(eligibility.reason, code=eligibility.code)
    data = _read_limited(upload)
    image = _open(data)
    kind = image.format
    fmt = ACCEPTED_FORMATS[kind]
    cleaned = _clean(image, kind)
    width, height = Image.open(io.BytesIO(cleaned)).size
    digest = hashlib.sha256(cleaned).hexdigest()

    asset = Asset.objects.filter(brand=brand, sha256=digest).first()
    if asset is not None:
        return asset
    asset = Asset(
        brand=brand, sha256=digest, content_type=fmt.content_type, width=width,
        height=height, original_name=(getattr(upload, "name", "") or "")[-255:],
        created_by=user if getattr(user, "pk", None) else None,
    )
    asset.file.save(f"{brand.pk}/{digest[:40]}.{fmt.extension}", ContentFile(cleaned),
                    save=False)
    try:
        with transaction.atomic():
            asset.save()
            # Renditions are made by a worker, off the upload's request: pages show the
            # original until they exist (catalog.images).
            outbox_enqueue(task="stores.asset_renditions", kwargs={"asset_id": asset.pk})
    except IntegrityError:
        # The same image arrived concurrently: keep the row that won, drop our file.
        asset.file.storage.delete(asset.file.name)
        asset = Asset.objects.get(brand=brand, sha256=digest)
    return asset


# The shapes tiles cut brand images to (the gallery's 4:3 cards): renditions of each are
# made with the asset and again when its focal point moves.
ASSET_CROPS: tuple[str, ...] = ("4:3",)


class FocalPointRefused(DomainError):
    """A focal point outside the image (HTTP 400, with the field and the reason)."""

    code = "invalid_focal_point"


def _fraction(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise FocalPointRefused(
            f"{name} must be a number from 0 to 1 (a fraction of the image's size).",
            details=[{"field": name, "code": "out_of_range",
                      "message": "A number from 0 (left or top) to 1 (right or bottom)."}])
    return float(value)


def asset_focal_point_set(*, asset: Asset, x, y, user) -> Asset:
    """Set the subject of an image (x, y as fractions of its width and height, 0..1) and
    re-make its cropped renditions around it, on a worker after the commit.

    Raises FocalPointRefused (400) for a value outside 0..1 and Forbidden when `user` may
    not build for the asset's brand; nothing is written then.
    """
    eligibility = store_eligibility(user=user, brand=asset.brand)
    if not eligibility:
        raise Forbidden(eligibility.reason, code=eligibility.code)
    fx, fy = _fraction("focal_x", x), _fraction("focal_y", y)
    with transaction.atomic():
        Asset.objects.filter(pk=asset.pk).update(focal_x=fx, focal_y=fy)
        outbox_enqueue(task="stores.asset_renditions", kwargs={"asset_id": asset.pk})
    asset.focal_x, asset.focal_y = fx, fy
    return asset


def asset_renditions_make(*, asset_id: int) -> dict | None:
    """Make the renditions of an asset: its own shape, and each of ASSET_CROPS cut around
    its focal point (idempotent: existing ones are kept). None when the asset is gone;
    raises RenditionError when its file cannot be read."""
    asset = Asset.objects.filter(pk=asset_id).first()
    if asset is None:
        return None
    for crop in ASSET_CROPS:
        renditions_ensure(asset.file, crop=crop, focal=asset.focal_point)
    return renditions_ensure(asset.file)


def assets_for_brand(*, brand: Brand):
    """The brand's assets, newest first."""
    return Asset.objects.filter(brand=brand).order_by("-created_at", "-pk")
