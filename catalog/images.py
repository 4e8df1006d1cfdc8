"""Responsive renditions of stored images: several widths, WebP plus a JPEG/PNG fallback.

Works on any image file kept in a Django storage (ProductImage.image, a brand's Asset.file):
callers pass the FieldFile or its storage name. Renditions are made with Pillow and written
once under MEDIA_ROOT/renditions/<key>/<width>.<ext>, where <key> hashes the source's storage
name, size and modification time, so a changed source gets new renditions. A small
`manifest.json` is written last in the same folder: when it exists, every rendition exists.

When they are made:
- eagerly when an image enters the system (brand asset upload, demo seeding) through
  `renditions_ensure`;
- lazily on first use otherwise: the `{% picture %}` tag makes the renditions of a source
  that has none yet, at most `RENDITIONS_SYNC_LIMIT` sources per request, and shows the
  original file for the rest (later page views make them). So a page full of new images
  never blocks on hundreds of resizes.

What a page render costs: the manifest of each source is looked up in a process-local memo,
then in Django's cache, and only then on disk, so a warm page does no file-system calls.
Storage names never change content (Django storages never overwrite a name), so manifests
are safe to cache for long.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from PIL import Image, ImageOps

logger = logging.getLogger(__name__)

RENDITION_WIDTHS: tuple[int, ...] = (200, 400, 800, 1200, 1600)
RENDITIONS_DIR = "renditions"
WEBP_QUALITY = 80
# libwebp effort 0-6: 3 gives files within ~1% of 4 in clearly less time.
WEBP_METHOD = 3
JPEG_QUALITY = 82
CACHE_PREFIX = "renditions:v1:"
# A day: long enough to spare the disk, short enough to recover if media files are wiped.
CACHE_TIMEOUT = 24 * 3600
MEMO_SECONDS = 300.0
MEMO_MAX = 20_000

_memo: dict[tuple[str, str], tuple[float, dict]] = {}
_memo_lock = threading.Lock()


class RenditionError(Exception):
    """The source could not be read as an image (missing file, not an image)."""


@dataclass(frozen=True)
class Source:
    """One rendition choice for the markup."""

    width: int
    url: str


@dataclass(frozen=True)
class Picture:
    """What the `<picture>` markup needs: original size, WebP and fallback srcsets."""

    width: int
    height: int
    webp: tuple[Source, ...]
    fallback: tuple[Source, ...]
    fallback_type: str
    src: str

    @property
    def webp_srcset(self) -> str:
        return ", ".join(f"{s.url} {s.width}w" for s in self.webp)

    @property
    def fallback_srcset(self) -> str:
        return ", ".join(f"{s.url} {s.width}w" for s in self.fallback)


def parse_crop(crop: Any) -> tuple[int, int] | None:
    """"4:3" (or (4, 3)) -> (4, 3); empty -> None (renditions keep the original's shape)."""
    if not crop:
        return None
    if isinstance(crop, str):
        parts = crop.split(":")
        if len(parts) != 2:
            raise ValueError(f"a crop is 'width:height', not {crop!r}")
        crop = parts
    width, height = (int(part) for part in crop)
    if width <= 0 or height <= 0:
        raise ValueError("a crop's sides are positive")
    return width, height


def focal_crop_box(size: tuple[int, int], crop: tuple[int, int],
                   focal: tuple[float, float] | None = None) -> tuple[int, int, int, int]:
    """The largest box of aspect ratio `crop` inside an image of `size`, centred on the
    focal point (x, y as fractions of width and height; default the centre) and shifted
    back inside the image where the focal point is near an edge."""
    width, height = size
    fx, fy = focal if focal is not None else (0.5, 0.5)
    target = crop[0] / crop[1]
    if width / height > target:
        box_w, box_h = max(1, round(height * target)), height
    else:
        box_w, box_h = width, max(1, round(width / target))
    left = min(max(round(fx * width - box_w / 2), 0), width - box_w)
    top = min(max(round(fy * height - box_h / 2), 0), height - box_h)
    return left, top, left + box_w, top + box_h


def _variant(crop: tuple[int, int] | None, focal: tuple[float, float] | None) -> str:
    """What besides the source decides the renditions: the crop and its focal point."""
    if crop is None:
        return ""
    fx, fy = focal if focal is not None else (0.5, 0.5)
    return f"crop={crop[0]}:{crop[1]}@{fx:.3f},{fy:.3f}"


def storage_name(file: Any) -> str:
    """The storage name of a FieldFile (or a name given as a string); '' when empty."""
    if not file:
        return ""
    if isinstance(file, str):
        return file
    return getattr(file, "name", "") or ""


def widths_for(original_width: int, wanted: tuple[int, ...] = RENDITION_WIDTHS) -> list[int]:
    """Widths to make for an image `original_width` wide: never wider than the original.

    The original width itself is added when it is narrower than the widest wanted width,
    so a 1000 px image gets 200, 400, 800 and 1000.
    """
    widths = sorted({w for w in wanted if w < original_width})
    if original_width <= max(wanted):
        widths.append(original_width)
    else:
        widths.append(max(wanted))
    return sorted(set(widths))


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _media_url(relative: str) -> str:
    return f"{settings.MEDIA_URL.rstrip('/')}/{relative}"


def _cache_key(name: str) -> str:
    # MEDIA_ROOT is part of the key: processes with different media folders may share a cache.
    # `name` may carry a crop variant after a NUL (see _variant).
    ident = f"{settings.MEDIA_ROOT}\0{name}"
    return CACHE_PREFIX + hashlib.sha256(ident.encode()).hexdigest()


def _memo_get(name: str) -> dict | None:
    entry = _memo.get((str(settings.MEDIA_ROOT), name))
    if entry and time.monotonic() - entry[0] < MEMO_SECONDS:
        return entry[1]
    return None


def _memo_put(name: str, manifest: dict) -> None:
    with _memo_lock:
        if len(_memo) >= MEMO_MAX:
            _memo.clear()
        _memo[(str(settings.MEDIA_ROOT), name)] = (time.monotonic(), manifest)


def renditions_forget(file: Any = None) -> None:
    """Drop cached manifests (of one source, or all in this process when None)."""
    name = storage_name(file)
    with _memo_lock:
        if name:
            _memo.pop((str(settings.MEDIA_ROOT), name), None)
        else:
            _memo.clear()
    if name:
        cache.delete(_cache_key(name))
    from catalog.templatetags.images import picture_memo_clear

    picture_memo_clear()


def _source_key(storage, name: str, variant: str = "") -> str:
    """Hash of storage name, size, mtime and crop variant: new content under a name, or a
    new crop or focal point, gets new renditions."""
    try:
        path = storage.path(name)
        stat = os.stat(path)
        stamp = f"{stat.st_size}:{stat.st_mtime_ns}"
    except (NotImplementedError, AttributeError):
        stamp = f"{storage.size(name)}:{storage.get_modified_time(name).timestamp()}"
    ident = f"{name}\0{stamp}" + (f"\0{variant}" if variant else "")
    return hashlib.sha256(ident.encode()).hexdigest()[:32]


def _has_alpha(image: Image.Image) -> bool:
    if image.mode in ("RGBA", "LA", "PA"):
        return image.getchannel("A").getextrema()[0] < 255
    if image.mode == "P" and "transparency" in image.info:
        return _has_alpha(image.convert("RGBA"))
    return False


def _write_atomic(path: Path, save) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            save(handle)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read_manifest(key: str) -> dict | None:
    manifest_path = _media_root() / RENDITIONS_DIR / key / "manifest.json"
    try:
        return json.loads(manifest_path.read_text())
    except (FileNotFoundError, ValueError):
        return None


def _generate(storage, name: str, key: str, crop: tuple[int, int] | None = None,
              focal: tuple[float, float] | None = None) -> dict:
    try:
        with storage.open(name, "rb") as handle:
            image = Image.open(handle)
            image.load()
    except FileNotFoundError as exc:
        raise RenditionError(f"{name}: file not found") from exc
    except (OSError, Image.DecompressionBombError, ValueError) as exc:
        raise RenditionError(f"{name}: not a readable image ({exc})") from exc
    image = ImageOps.exif_transpose(image)
    if crop is not None:
        # A different shape than the original: cut it around the focal point, so what the
        # brand marked as the subject stays in the picture.
        image = image.crop(focal_crop_box(image.size, crop, focal))
    alpha = _has_alpha(image)
    image = image.convert("RGBA" if alpha else "RGB")
    fallback = "png" if alpha else "jpg"
    width, height = image.size
    folder = _media_root() / RENDITIONS_DIR / key
    widths = widths_for(width)
    # Widest first, each made from the previous one: downscaling at most ~2x per step with
    # Lanczos keeps detail and costs far less than resizing the original every time.
    source = image
    for target in sorted(widths, reverse=True):
        target_height = max(1, round(height * target / width))
        if target != source.width:
            source = source.resize((target, target_height), Image.Resampling.LANCZOS)
        _write_atomic(folder / f"{target}.webp",
                      lambda h, im=source: im.save(h, "WEBP", quality=WEBP_QUALITY,
                                                   method=WEBP_METHOD))
        if alpha:
            _write_atomic(folder / f"{target}.png",
                          lambda h, im=source: im.save(h, "PNG", optimize=True))
        else:
            _write_atomic(folder / f"{target}.jpg",
                          lambda h, im=source: im.save(h, "JPEG", quality=JPEG_QUALITY,
                                                       optimize=True, progressive=True))
    manifest = {"key": key, "width": width, "height": height, "widths": widths,
                "fallback": fallback}
    # Written last: a manifest on disk means every rendition beside it is complete.
    _write_atomic(folder / "manifest.json", lambda h: h.write(json.dumps(manifest).encode()))
    return manifest


def _cached_manifest(name: str) -> dict | None:
    manifest = _memo_get(name)
    if manifest is None:
        manifest = cache.get(_cache_key(name))
        if manifest is not None:
            _memo_put(name, manifest)
    return manifest


def _remember(name: str, manifest: dict) -> dict:
    cache.set(_cache_key(name), manifest, CACHE_TIMEOUT)
    _memo_put(name, manifest)
    return manifest


def renditions_ensure(file: Any, *, storage=None, generate: bool = True, crop: Any = None,
                      focal: tuple[float, float] | None = None) -> dict | None:
    """Return the manifest of `file`'s renditions, making them if missing.

    The manifest is `{"key", "width", "height", "widths", "fallback"}` (fallback: "jpg" or
    "png"). With `generate=False`, returns None instead of making missing renditions.
    `crop` ("4:3"): renditions of that shape, cut around `focal` (x, y in 0..1; default
    the centre). Raises RenditionError when the source is missing or not an image.
    """
    source_name = storage_name(file)
    if not source_name:
        raise RenditionError("no file")
    crop = parse_crop(crop)
    variant = _variant(crop, focal)
    name = f"{source_name}\0{variant}" if variant else source_name
    manifest = _cached_manifest(name)
    if manifest is not None:
        return manifest
    if storage is None:
        storage = getattr(file, "storage", None)
        if storage is None:
            from django.core.files.storage import default_storage

            storage = default_storage
    try:
        key = _source_key(storage, source_name, variant)
    except FileNotFoundError as exc:
        raise RenditionError(f"{source_name}: file not found") from exc
    manifest = _read_manifest(key)
    if manifest is None:
        if not generate:
            return None
        manifest = _generate(storage, source_name, key, crop, focal)
    return _remember(name, manifest)


def rendition_paths(manifest: dict) -> list[str]:
    """Storage-relative paths of every rendition file of a manifest."""
    key = manifest["key"]
    paths = []
    for width in manifest["widths"]:
        paths.append(f"{RENDITIONS_DIR}/{key}/{width}.webp")
        paths.append(f"{RENDITIONS_DIR}/{key}/{width}.{manifest['fallback']}")
    return paths


def parse_widths(widths: Any) -> tuple[int, ...]:
    """"200,400,800" or a list of ints -> (200, 400, 800); empty -> the standard widths."""
    if not widths:
        return RENDITION_WIDTHS
    if isinstance(widths, str):
        items = [part.strip() for part in widths.split(",")]
    else:
        items = list(widths)
    parsed = sorted({int(item) for item in items if str(item).strip()})
    return tuple(w for w in parsed if w > 0) or RENDITION_WIDTHS


def picture_from_manifest(manifest: dict, *, widths: Any = None) -> Picture:
    """Choose renditions for the wanted widths and give their URLs.

    Made widths between the smallest and the largest wanted width are used, plus the next
    made width above the largest wanted one (or the original, when it is narrower), so a
    request for "200,400,600" is served by 200, 400 and 800.
    """
    available = manifest["widths"]
    wanted = parse_widths(widths)
    low, high = min(wanted), max(wanted)
    chosen = {w for w in available if low <= w <= high}
    if high not in chosen:
        above = [w for w in available if w > high]
        chosen.add(above[0] if above else available[-1])
    chosen = sorted(chosen)
    base = f"{RENDITIONS_DIR}/{manifest['key']}"
    fallback = manifest["fallback"]
    webp = tuple(Source(w, _media_url(f"{base}/{w}.webp")) for w in chosen)
    fallbacks = tuple(Source(w, _media_url(f"{base}/{w}.{fallback}")) for w in chosen)
    return Picture(
        width=manifest["width"],
        height=manifest["height"],
        webp=webp,
        fallback=fallbacks,
        fallback_type="image/png" if fallback == "png" else "image/jpeg",
        src=fallbacks[-1].url,
    )


def picture_for(file: Any, *, widths: Any = None, generate: bool = True, crop: Any = None,
                focal: tuple[float, float] | None = None) -> Picture | None:
    """The Picture for a file, making renditions when `generate`; None when not possible."""
    try:
        manifest = renditions_ensure(file, generate=generate, crop=crop, focal=focal)
    except RenditionError:
        logger.warning("No renditions for %r", storage_name(file), exc_info=True)
        return None
    if manifest is None:
        return None
    return picture_from_manifest(manifest, widths=widths)


def original_size(file: Any) -> tuple[int, int] | None:
    """(width, height) of the stored original, read from its header only."""
    name = storage_name(file)
    storage = getattr(file, "storage", None)
    if storage is None:
        from django.core.files.storage import default_storage

        storage = default_storage
    try:
        with storage.open(name, "rb") as handle, Image.open(handle) as image:
            width, height = image.size
            if image.getexif().get(0x0112, 1) in (5, 6, 7, 8):
                width, height = height, width
            return width, height
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
