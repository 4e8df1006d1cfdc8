"""Product pictures for the demo catalogue, drawn with Pillow.

Each picture is an 800x800 JPEG: a soft two-colour gradient, a floor shadow, a simple
flat illustration of the product kind and a short label. Drawn at 800 px directly (no
supersampling) and with cached backgrounds, so a few hundred take a few seconds.
"""
from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache

from PIL import Image, ImageDraw, ImageFont

SIZE = 800
Color = tuple[int, int, int]


def _hex(value: str) -> Color:
    value = value.lstrip("#")
    return tuple(int(value[i:i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


def _mix(a: Color, b: Color, t: float) -> Color:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore


def _darker(color: Color, amount: float = 0.25) -> Color:
    return _mix(color, (0, 0, 0), amount)


def _lighter(color: Color, amount: float = 0.35) -> Color:
    return _mix(color, (255, 255, 255), amount)


@cache
def _gradient_mask() -> Image.Image:
    # Diagonal: a vertical ramp rotated 45 degrees gives a gentle studio-light look.
    ramp = Image.linear_gradient("L").resize((SIZE * 2, SIZE * 2))
    return ramp.rotate(35, resample=Image.Resampling.BILINEAR).crop(
        (SIZE // 2, SIZE // 2, SIZE // 2 + SIZE, SIZE // 2 + SIZE)
    )


@cache
def _background(top: Color, bottom: Color) -> Image.Image:
    image = Image.composite(Image.new("RGB", (SIZE, SIZE), bottom),
                            Image.new("RGB", (SIZE, SIZE), top), _gradient_mask())
    draw = ImageDraw.Draw(image)
    # Floor shadow under the product.
    draw.ellipse((170, 640, 630, 700), fill=_darker(bottom, 0.18))
    return image


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


# --- One illustration per product kind, drawn into a 800x800 canvas ----------------------
# `c` is the product colour, `a` an accent. Shapes sit on the floor at y ~ 660.

def _tent(d: ImageDraw.ImageDraw, c: Color, a: Color) -> None:
    d.polygon([(400, 190), (650, 660), (150, 660)], fill=c)
    d.polygon([(400, 190), (650, 660), (560, 660)], fill=_darker(c, 0.2))
    d.polygon([(400, 330), (480, 660), (320, 660)], fill=_darker(c, 0.45))
    d.line([(400, 150), (400, 200)], fill=a, width=10)
    d.line([(150, 660), (110, 680)], fill=a, width=6)
    d.line([(650, 660), (690, 680)], fill=a, width=6)


def _backpack(d: ImageDraw.ImageDraw, c: Color, a: Color) -> None:
    d.rounded_rectangle((250, 200, 550, 660), radius=90, fill=c)
    d.rounded_rectangle((250, 200, 550, 360), radius=90, fill=_darker(c, 0.18))
    d.rounded_rectangle((300, 430, 500, 600), radius=40, fill=_darker(c, 0.3))
    d.line([(320, 470), (480, 470)], fill=a, width=8)
    d.arc((330, 130, 470, 260), 180, 360, fill=_darker(c, 0.4), width=18)
    d.rounded_rectangle((385, 300, 415, 380), radius=10, fill=a)


def _shoe(d: ImageDraw.ImageDraw, c: Color, a: Color) -> None:
    d.polygon([(170, 600), (190, 420), (330, 380), (380, 300), (500, 300), (520, 440),
               (650, 500), (680, 580), (660, 620), (170, 620)], fill=c)
    d.rounded_rectangle((150, 600, 690, 660), radius=26, fill=_darker(c, 0.55))
    d.polygon([(380, 300), (500, 300), (510, 360), (390, 370)], fill=_lighter(c, 0.3))
    for y in (400, 440, 480):
        d.line([(420, y), (500, y + 10)], fill=a, width=8)
    d.line([(200, 560), (650, 560)], fill=a, width=10)


def _jacket(d: ImageDraw.ImageDraw, c: Color, a: Color) -> None:
    d.polygon([(310, 200), (490, 200), (600, 250), (680, 560), (610, 580), (560, 380),
               (560, 660), (240, 660), (240, 380), (190, 580), (120, 560), (200, 250)], fill=c)
    d.polygon([(330, 200), (470, 200), (400, 280)], fill=_darker(c, 0.35))
    d.line([(400, 280), (400, 660)], fill=a, width=8)
    d.rounded_rectangle((270, 470, 350, 520), radius=8, fill=_darker(c, 0.2))
    d.rounded_rectangle((450, 470, 530, 520), radius=8, fill=_darker(c, 0.2))


def _lantern(d: ImageDraw.ImageDraw, c: Color, a: Color) -> None:
    d.ellipse((250, 260, 550, 560), fill=_lighter(a, 0.55))
    d.arc((320, 130, 480, 290), 180, 360, fill=_darker(c, 0.3), width=14)
    d.rounded_rectangle((300, 220, 500, 270), radius=14, fill=c)
    d.rounded_rectangle((320, 270, 480, 560), radius=20, fill=_lighter(a, 0.8))
    d.ellipse((360, 360, 440, 460), fill=a)
    d.rounded_rectangle((290, 560, 510, 660), radius=20, fill=c)


def _sleeping_bag(d: ImageDraw.ImageDraw, c: Color, a: Color) -> None:
    d.rounded_rectangle((140, 440, 680, 660), radius=110, fill=c)
    d.ellipse((540, 430, 700, 610), fill=_darker(c, 0.25))
    for x in range(220, 540, 70):
        d.line([(x, 450), (x, 650)], fill=_darker(c, 0.15), width=6)
    d.line([(160, 550), (560, 550)], fill=a, width=8)


def _mug(d: ImageDraw.ImageDraw, c: Color, a: Color) -> None:
    d.ellipse((505, 350, 665, 530), outline=c, width=34)
    d.rounded_rectangle((230, 280, 540, 660), radius=40, fill=c)
    d.ellipse((230, 255, 540, 315), fill=_darker(c, 0.3))
    d.rectangle((230, 420, 540, 470), fill=a)
    for x in (330, 385, 440):
        d.arc((x - 20, 150, x + 20, 240), 90, 270, fill=_lighter(c, 0.5), width=6)


def _blanket(d: ImageDraw.ImageDraw, c: Color, a: Color) -> None:
    for i, y in enumerate((520, 420, 320)):
        color = _darker(c, 0.08 * i) if i % 2 == 0 else _lighter(c, 0.15)
        d.rounded_rectangle((170 + i * 10, y, 630 - i * 10, y + 140), radius=50, fill=color)
        d.line([(200 + i * 10, y + 70), (600 - i * 10, y + 70)], fill=a, width=10)
    for x in range(190, 620, 40):
        d.line([(x, 650), (x + 8, 675)], fill=_darker(c, 0.2), width=5)


def _table_lamp(d: ImageDraw.ImageDraw, c: Color, a: Color) -> None:
    d.ellipse((230, 110, 570, 330), fill=_lighter(a, 0.7))
    d.polygon([(290, 170), (510, 170), (580, 380), (220, 380)], fill=c)
    d.line([(400, 380), (400, 620)], fill=_darker(a, 0.3), width=16)
    d.ellipse((290, 600, 510, 670), fill=_darker(a, 0.3))


def _cushion(d: ImageDraw.ImageDraw, c: Color, a: Color) -> None:
    d.rounded_rectangle((170, 220, 630, 660), radius=110, fill=c)
    d.rounded_rectangle((230, 280, 570, 600), radius=80, outline=_darker(c, 0.15), width=8)
    d.ellipse((380, 420, 420, 460), fill=a)
    for offset in (0, 1):
        d.line([(200 + offset * 400, 250), (240 + offset * 320, 300)], fill=_darker(c, 0.2),
               width=6)


def _candle(d: ImageDraw.ImageDraw, c: Color, a: Color) -> None:
    for x, top in ((220, 360), (350, 250), (480, 400)):
        d.rounded_rectangle((x, top, x + 110, 660), radius=16, fill=c)
        d.ellipse((x, top - 18, x + 110, top + 18), fill=_lighter(c, 0.25))
        d.line([(x + 55, top - 20), (x + 55, top - 40)], fill=(40, 40, 40), width=5)
        d.ellipse((x + 38, top - 100, x + 72, top - 38), fill=a)
        d.ellipse((x + 47, top - 78, x + 63, top - 46), fill=_lighter(a, 0.7))


def _water_bottle(d: ImageDraw.ImageDraw, c: Color, a: Color) -> None:
    d.rounded_rectangle((300, 240, 500, 660), radius=60, fill=c)
    d.rounded_rectangle((340, 170, 460, 260), radius=20, fill=_darker(c, 0.4))
    d.rectangle((300, 380, 500, 460), fill=a)
    d.arc((400, 140, 500, 230), 270, 90, fill=_darker(c, 0.4), width=12)


DRAWINGS: dict[str, Callable[[ImageDraw.ImageDraw, Color, Color], None]] = {
    "tent": _tent,
    "backpack": _backpack,
    "shoe": _shoe,
    "jacket": _jacket,
    "lantern": _lantern,
    "sleeping_bag": _sleeping_bag,
    "mug": _mug,
    "blanket": _blanket,
    "table_lamp": _table_lamp,
    "cushion": _cushion,
    "candle": _candle,
    "bottle": _water_bottle,
}

VIEWS = ("front view", "detail", "in use")


def product_picture(*, kind: str, color: str, accent: str, background: tuple[str, str],
                    label: str, brand: str, view: int = 0) -> bytes:
    """One JPEG picture of a product kind. `view` 0/1/2: front, detail (closer), in use
    (other light)."""
    top, bottom = _hex(background[0]), _hex(background[1])
    if view == 2:
        top, bottom = _mix(top, _hex(accent), 0.25), _mix(bottom, _hex(accent), 0.15)
    canvas = _background(top, bottom).copy()
    draw = ImageDraw.Draw(canvas)
    if view == 1:
        # "Detail": draw large on a scratch layer and crop the upper middle.
        layer = Image.new("RGB", (SIZE, SIZE), bottom)
        DRAWINGS[kind](ImageDraw.Draw(layer), _hex(color), _hex(accent))
        detail = layer.crop((150, 120, 650, 620)).resize((SIZE, SIZE),
                                                          Image.Resampling.BILINEAR)
        canvas.paste(detail)
        draw = ImageDraw.Draw(canvas)
    else:
        DRAWINGS[kind](draw, _hex(color), _hex(accent))
    # Label band: brand small, product name larger, legible on any background.
    draw.rounded_rectangle((40, 40, 40 + max(260, 26 * len(label)), 150), radius=18,
                           fill=(255, 255, 255))
    draw.text((64, 56), brand.upper(), font=_font(24), fill=(90, 96, 100))
    draw.text((64, 88), label, font=_font(42), fill=(15, 17, 17))
    buffer = io.BytesIO()
    canvas.save(buffer, "JPEG", quality=84, optimize=False, progressive=True)
    return buffer.getvalue()
