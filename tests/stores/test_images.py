"""Responsive renditions and the `{% picture %}` tag (catalog.images)."""
from __future__ import annotations

import io
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.template import Context, Template
from PIL import Image

from catalog import images
from catalog.models import ProductImage
from tests import factories


@pytest.fixture(autouse=True)
def _fresh_memo(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    images.renditions_forget()
    yield
    images.renditions_forget()


def image_bytes(size=(1000, 700), *, mode="RGB", color=(200, 80, 40), fmt="JPEG",
                exif=None) -> bytes:
    out = io.BytesIO()
    image = Image.new(mode, size, color)
    options = {"exif": exif} if exif is not None else {}
    image.save(out, fmt, **options)
    return out.getvalue()


def product_image(data: bytes, name: str = "boot.jpg") -> ProductImage:
    item = ProductImage(product=factories.ProductFactory())
    item.image.save(name, ContentFile(data), save=True)
    return item


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parse(html: str) -> list[tuple[str, dict]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


def render(template: str, **context) -> str:
    return Template("{% load images %}" + template).render(Context(context))


def rendition_files() -> dict[str, int]:
    root = Path(settings.MEDIA_ROOT) / images.RENDITIONS_DIR
    return {str(p): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


def test_renditions_are_made_in_every_width_up_to_the_original_as_webp_and_jpeg(db):
    item = product_image(image_bytes((1000, 700)))

    manifest = images.renditions_ensure(item.image)

    assert manifest["width"] == 1000 and manifest["height"] == 700
    assert manifest["widths"] == [200, 400, 800, 1000]
    assert manifest["fallback"] == "jpg"
    folder = Path(settings.MEDIA_ROOT) / "renditions" / manifest["key"]
    for width in (200, 400, 800, 1000):
        with Image.open(folder / f"{width}.webp") as webp:
            assert (webp.format, webp.size) == ("WEBP", (width, round(700 * width / 1000)))
        with Image.open(folder / f"{width}.jpg") as jpeg:
            assert (jpeg.format, jpeg.size) == ("JPEG", (width, round(700 * width / 1000)))
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{w}.{ext}" for w in (200, 400, 800, 1000) for ext in ("webp", "jpg")]
        + ["manifest.json"]
    )


def test_a_wide_original_stops_at_the_largest_standard_width(db):
    item = product_image(image_bytes((2400, 900)))

    manifest = images.renditions_ensure(item.image)

    assert manifest["widths"] == [200, 400, 800, 1200, 1600]


def test_a_transparent_png_falls_back_to_png_and_an_opaque_png_to_jpeg(db):
    transparent = product_image(
        image_bytes((300, 300), mode="RGBA", color=(0, 0, 0, 0), fmt="PNG"), "logo.png")
    opaque = product_image(
        image_bytes((300, 300), mode="RGBA", color=(9, 9, 9, 255), fmt="PNG"), "flat.png")

    assert images.renditions_ensure(transparent.image)["fallback"] == "png"
    assert images.renditions_ensure(opaque.image)["fallback"] == "jpg"


def test_exif_orientation_is_applied_to_renditions(db):
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90° clockwise: the picture is taller than stored
    item = product_image(image_bytes((400, 200), exif=exif))

    manifest = images.renditions_ensure(item.image)

    assert (manifest["width"], manifest["height"]) == (200, 400)


def test_picture_markup_has_webp_source_fallback_img_srcset_sizes_alt_and_size(db):
    item = product_image(image_bytes((1000, 700)))

    html = render(
        '{% picture file alt=title sizes="(min-width: 900px) 25vw, 50vw" '
        'widths="200,400,800" %}',
        file=item.image, title='Trail boot "Ridge" <b>',
    )

    tags = parse(html)
    assert [tag for tag, _ in tags] == ["picture", "source", "img"]
    source, img = tags[1][1], tags[2][1]
    key = images.renditions_ensure(item.image)["key"]
    base = f"/media/renditions/{key}"
    assert source == {
        "type": "image/webp",
        "srcset": f"{base}/200.webp 200w, {base}/400.webp 400w, {base}/800.webp 800w",
        "sizes": "(min-width: 900px) 25vw, 50vw",
    }
    assert img == {
        "src": f"{base}/800.jpg",
        "srcset": f"{base}/200.jpg 200w, {base}/400.jpg 400w, {base}/800.jpg 800w",
        "sizes": "(min-width: 900px) 25vw, 50vw",
        "alt": 'Trail boot "Ridge" <b>',
        "width": "1000",
        "height": "700",
        "loading": "lazy",
        "decoding": "async",
    }
    assert "<b>" not in html  # the alt text is escaped


def test_picture_widths_are_capped_at_the_original(db):
    item = product_image(image_bytes((300, 300)))

    tags = parse(render('{% picture file alt="x" widths="200,400,800" %}', file=item.image))

    assert [part.split()[1] for part in tags[1][1]["srcset"].split(", ")] == ["200w", "300w"]
    assert tags[2][1]["width"] == "300"


def test_eager_loading_and_priority_for_the_hero_image(db):
    item = product_image(image_bytes((1200, 450)))

    img = parse(render('{% picture file alt="Hero" loading="eager" fetchpriority="high" '
                       'css_class="hero" %}', file=item.image))[2][1]

    assert (img["loading"], img["fetchpriority"], img["class"]) == ("eager", "high", "hero")


def test_a_second_render_reuses_the_renditions_and_makes_none(db):
    item = product_image(image_bytes((1000, 700)))
    template = '{% picture file alt="Boot" %}'
    first = render(template, file=item.image)
    files_after_first = rendition_files()

    images.renditions_forget()  # also cold caches: found on disk, not made again
    from django.core.cache import cache

    cache.clear()
    second = render(template, file=item.image)

    assert second == first
    assert rendition_files() == files_after_first
    key = images.renditions_ensure(item.image)["key"]
    assert len([path for path in files_after_first if f"/{key}/" in path]) == 9  # 4 x 2 + 1


def test_a_warm_render_touches_no_files(db, monkeypatch):
    item = product_image(image_bytes((800, 600)))
    render('{% picture file alt="Boot" %}', file=item.image)

    def no_disk(*args, **kwargs):
        raise AssertionError("the disk was consulted on a warm render")

    monkeypatch.setattr(images, "_source_key", no_disk)
    monkeypatch.setattr(images, "_read_manifest", no_disk)
    html = render('{% picture file alt="Boot" %}', file=item.image)

    assert "800.webp 800w" in html


def test_the_django_cache_serves_other_processes_without_the_disk(db, monkeypatch):
    item = product_image(image_bytes((800, 600)))
    images.renditions_ensure(item.image)
    images._memo.clear()  # another process: its memo is empty, the shared cache is not

    monkeypatch.setattr(images, "_source_key", lambda *a, **k: pytest.fail("disk stat"))
    manifest = images.renditions_ensure(item.image)

    assert manifest["widths"] == [200, 400, 800]


def test_a_request_makes_at_most_the_sync_limit_and_shows_originals_for_the_rest(db, settings):
    from django.core.signals import request_finished, request_started

    settings.RENDITIONS_SYNC_LIMIT = 1
    first = product_image(image_bytes((600, 400)), "a.jpg")
    second = product_image(image_bytes((500, 400), color=(1, 2, 3)), "b.jpg")

    def page_view() -> str:
        # As a Store page does: each card rendered on its own, within one request.
        request_started.send(sender=None)
        try:
            return "".join(render('{% picture f alt="B" %}', f=f)
                           for f in (first.image, second.image))
        finally:
            request_finished.send(sender=None)

    html = page_view()

    tags = parse(html)
    assert [tag for tag, _ in tags] == ["picture", "source", "img", "img"]
    assert tags[3][1] == {"src": second.image.url, "alt": "B", "width": "500",
                          "height": "400", "loading": "lazy", "decoding": "async"}
    assert images.renditions_ensure(second.image, generate=False) is None

    next_view = page_view()

    assert [tag for tag, _ in parse(next_view)] == [
        "picture", "source", "img", "picture", "source", "img"]


def test_an_empty_or_missing_file_renders_nothing(db):
    item = product_image(image_bytes((300, 200)))
    Path(item.image.path).unlink()

    assert render('{% picture file alt="x" %}', file=item.image).strip() == ""
    assert render('{% picture file alt="x" %}', file=None).strip() == ""


def test_renditions_are_served_with_their_image_type(db, client):
    item = product_image(image_bytes((500, 300)))
    key = images.renditions_ensure(item.image)["key"]

    webp = client.get(f"/media/renditions/{key}/400.webp")
    jpeg = client.get(f"/media/renditions/{key}/400.jpg")
    manifest = client.get(f"/media/renditions/{key}/manifest.json")

    assert (webp.status_code, webp["Content-Type"]) == (200, "image/webp")
    assert (jpeg.status_code, jpeg["Content-Type"]) == (200, "image/jpeg")
    assert manifest.status_code == 404


def test_a_width_that_is_not_made_is_served_by_the_next_wider_rendition(db):
    item = product_image(image_bytes((1000, 1000)))
    banner = product_image(image_bytes((2400, 900)), "banner.jpg")

    card = parse(render('{% picture file alt="x" widths="200,400,600" %}', file=item.image))
    hero = parse(render('{% picture file alt="x" widths="800,1200,1600,2400" %}',
                        file=banner.image))

    assert [p.split()[1] for p in card[1][1]["srcset"].split(", ")] == ["200w", "400w", "800w"]
    assert [p.split()[1] for p in hero[1][1]["srcset"].split(", ")] == [
        "800w", "1200w", "1600w"]
    assert hero[2][1]["width"] == "2400" and hero[2][1]["height"] == "900"


def test_a_phone_image_is_offered_to_small_screens_with_its_own_size(db):
    wide = product_image(image_bytes((2400, 900)), "wide.jpg")
    square = product_image(image_bytes((1200, 1200), color=(9, 99, 9)), "square.jpg")

    tags = parse(render('{% picture file phone=phone alt="Hero" widths="400,800,1600" %}',
                        file=wide.image, phone=square.image))

    assert [tag for tag, _ in tags] == ["picture", "source", "source", "source", "img"]
    phone_webp, phone_jpeg, desktop_webp, img = (attrs for _, attrs in tags[1:])
    square_key = images.renditions_ensure(square.image)["key"]
    assert phone_webp["media"] == phone_jpeg["media"] == "(max-width: 640px)"
    assert phone_webp["type"] == "image/webp" and phone_jpeg["type"] == "image/jpeg"
    assert f"/media/renditions/{square_key}/800.webp 800w" in phone_webp["srcset"]
    assert (phone_webp["width"], phone_webp["height"]) == ("1200", "1200")
    assert "media" not in desktop_webp
    assert (img["width"], img["height"]) == ("2400", "900")
