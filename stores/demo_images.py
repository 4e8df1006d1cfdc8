"""Brand images for the demo Stores, drawn with Pillow (deterministic: same bytes each run,
so a second seeding finds the same Assets by their hash).

- `landscape`: a layered mountain scene at dawn (or a calm Nordic interior palette), any
  size; no text, so it works as a banner at every width (the words go in a text tile).
- `flat_lay`: product pictures arranged on a backdrop, with the centre of each one, for a
  shoppable image whose hot-spots sit on the products.
"""
from __future__ import annotations

import io
import random
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageDraw, ImageFilter

Color = tuple[int, int, int]


def _hex(value: str) -> Color:
    value = value.lstrip("#")
    return tuple(int(value[i:i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


def _mix(a: Color, b: Color, t: float) -> Color:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore


@dataclass(frozen=True)
class Palette:
    sky_top: str
    sky_bottom: str
    sun: str
    far: str  # farthest ridge
    near: str  # nearest ridge
    ground: str


DAWN = Palette(sky_top="#17475a", sky_bottom="#f4a65f", sun="#ffe6a8", far="#7d8fb0",
               near="#1f3a33", ground="#14291f")
FJORD = Palette(sky_top="#9fb8c8", sky_bottom="#f3e9dc", sun="#fff6e5", far="#b9c6cc",
                near="#4f6d6a", ground="#34493f")


def _vertical_gradient(size: tuple[int, int], top: Color, bottom: Color) -> Image.Image:
    mask = Image.linear_gradient("L").resize(size, Image.Resampling.BILINEAR)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def _ridge(rnd: random.Random, width: int, height: int, base: float, amplitude: float,
           peaks: int, roughness: int = 6) -> list[tuple[float, float]]:
    """A mountain ridge as a polygon: a few peaks, refined by midpoint displacement."""
    points = [base + rnd.uniform(-amplitude, amplitude) * (1 if i % 2 else 0.25)
              for i in range(peaks * 2 + 1)]
    spread = amplitude * 0.35
    for _ in range(roughness):
        refined = []
        for left, right in zip(points, points[1:], strict=False):
            refined += [left, (left + right) / 2 + rnd.uniform(-spread, spread)]
        refined.append(points[-1])
        points = refined
        spread *= 0.55
    step = width / (len(points) - 1)
    outline = [(i * step, min(height, max(0.0, y))) for i, y in enumerate(points)]
    return [(0, height), *outline, (width, height)]


def _trees(draw: ImageDraw.ImageDraw, rnd: random.Random, width: int, height: int,
           color: Color, scale: float) -> None:
    x = -20.0
    while x < width + 20:
        tree_h = rnd.uniform(0.10, 0.22) * height * scale
        tree_w = tree_h * 0.42
        ground = height - rnd.uniform(0.0, 0.05) * height
        for tier in range(3):
            top = ground - tree_h + tier * tree_h * 0.22
            half = tree_w * (0.35 + tier * 0.2) / 2
            bottom = top + tree_h * 0.45
            draw.polygon([(x, top), (x - half, bottom), (x + half, bottom)], fill=color)
        draw.rectangle((x - tree_w * 0.05, ground - tree_h * 0.12, x + tree_w * 0.05, ground),
                       fill=color)
        x += rnd.uniform(0.35, 1.2) * tree_w


def landscape(width: int, height: int, *, palette: Palette = DAWN, seed: int = 7,
              trees: bool = True) -> bytes:
    """A JPEG of mountains under a dawn sky; the composition scales to any aspect ratio."""
    rnd = random.Random(seed)
    # The sky reaches its horizon colour just above the far ridges, where it shows.
    sky = Image.new("RGB", (width, height), _hex(palette.sky_bottom))
    sky.paste(_vertical_gradient((width, int(height * 0.5)), _hex(palette.sky_top),
                                 _hex(palette.sky_bottom)), (0, 0))
    # Sun with a soft glow, two thirds across, low on the horizon.
    glow = Image.new("L", (width, height), 0)
    sun_x, sun_y, radius = width * 0.68, height * 0.36, min(width, height) * 0.09
    ImageDraw.Draw(glow).ellipse((sun_x - radius * 3, sun_y - radius * 3,
                                  sun_x + radius * 3, sun_y + radius * 3), fill=120)
    glow = glow.filter(ImageFilter.GaussianBlur(radius * 1.2))
    sky = Image.composite(Image.new("RGB", (width, height), _hex(palette.sun)), sky, glow)
    draw = ImageDraw.Draw(sky)
    draw.ellipse((sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius),
                 fill=_hex(palette.sun))
    # Ridges from far (hazy, light, snow-capped) to near (dark): atmospheric perspective.
    layers = ((0.50, 0.20, True), (0.62, 0.13, True), (0.73, 0.08, False),
              (0.83, 0.05, False))
    peaks = max(2, round(width / height * 1.6))
    for index, (base, amplitude, snow) in enumerate(layers):
        t = index / (len(layers) - 1)
        color = _mix(_hex(palette.far), _hex(palette.near), t ** 0.9)
        color = _mix(color, _hex(palette.sky_bottom), 0.30 * (1 - t))
        polygon = _ridge(rnd, width, height, height * (base - 0.1 * (1 - t)),
                         height * amplitude, peaks + index)
        mask = Image.new("L", (width, height), 0)
        ImageDraw.Draw(mask).polygon(polygon, fill=255)
        sky.paste(color, (0, 0, width, height), mask)
        if snow:
            snowline = _ridge(rnd, width, height, height * (base - 0.1 * (1 - t) - 0.04),
                              height * 0.025, peaks * 3)
            below = Image.new("L", (width, height), 0)
            ImageDraw.Draw(below).polygon(snowline, fill=255)
            caps = ImageChops.subtract(mask, below)
            sky.paste(_mix((246, 248, 250), color, 0.15 + 0.2 * t), (0, 0, width, height),
                      caps)
    draw = ImageDraw.Draw(sky)
    if trees:
        _trees(draw, rnd, width, height, _hex(palette.ground), 1.0)
    # A few birds.
    for _ in range(4):
        bx, by = rnd.uniform(0.15, 0.5) * width, rnd.uniform(0.12, 0.3) * height
        span = min(width, height) * 0.015
        draw.arc((bx - span, by, bx, by + span), 200, 340, fill=(40, 50, 55),
                 width=max(2, height // 400))
        draw.arc((bx, by, bx + span, by + span), 200, 340, fill=(40, 50, 55),
                 width=max(2, height // 400))
    out = io.BytesIO()
    sky.save(out, "JPEG", quality=88, optimize=True, progressive=True)
    return out.getvalue()


def flat_lay(pictures: list[bytes], *, width: int = 1800, height: int = 1100,
             backdrop: tuple[str, str] = ("#e9e2d6", "#cbbfa9"),
             seed: int = 3) -> tuple[bytes, list[tuple[float, float]]]:
    """Product pictures laid out on a backdrop; returns the JPEG and each picture's centre
    as (x %, y %) for hot-spots."""
    rnd = random.Random(seed)
    canvas = _vertical_gradient((width, height), _hex(backdrop[0]), _hex(backdrop[1]))
    count = max(1, len(pictures))
    card = int(min(width / (count + 0.6), height * 0.72))
    gap = (width - card * count) / (count + 1)
    centres = []
    for index, data in enumerate(pictures):
        with Image.open(io.BytesIO(data)) as source:
            picture = source.convert("RGB").resize((card, card), Image.Resampling.LANCZOS)
        angle = rnd.uniform(-4, 4)
        x = int(gap + index * (card + gap))
        y = int((height - card) / 2 + (-1) ** index * height * 0.05)
        shadow = Image.new("L", (width, height), 0)
        ImageDraw.Draw(shadow).rounded_rectangle((x + 14, y + 22, x + card + 14,
                                                  y + card + 22), radius=28, fill=110)
        shadow = shadow.filter(ImageFilter.GaussianBlur(18))
        canvas = Image.composite(Image.new("RGB", (width, height), (70, 60, 45)), canvas,
                                 shadow)
        mask = Image.new("L", (card, card), 0)
        ImageDraw.Draw(mask).rounded_rectangle((0, 0, card - 1, card - 1), radius=28,
                                               fill=255)
        rotated = picture.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
        rotated_mask = mask.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
        offset = ((rotated.width - card) // 2, (rotated.height - card) // 2)
        canvas.paste(rotated, (x - offset[0], y - offset[1]), rotated_mask)
        centres.append((round(100 * (x + card / 2) / width, 1),
                        round(100 * (y + card * 0.55) / height, 1)))
    out = io.BytesIO()
    canvas.save(out, "JPEG", quality=88, optimize=True, progressive=True)
    return out.getvalue(), centres

