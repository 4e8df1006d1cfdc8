"""Brand image uploads (stores.assets.asset_create): what is accepted, cleaned, refused."""
from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from catalog import images
from config.api import Forbidden, http_status_for
from stores.assets import AssetRejected, asset_create
from stores.models import Asset


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    images.renditions_forget()


def encoded(size=(640, 480), *, fmt="JPEG", mode="RGB", color=(30, 120, 90), noise=False,
            **options) -> bytes:
    image = Image.new(mode, size, color)
    if noise:
        rng = random.Random(7)
        image = Image.frombytes(mode, size, bytes(rng.getrandbits(8) for _ in range(
            size[0] * size[1] * len(mode))))
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def stored_files(brand) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "assets" / str(brand.pk)
    return sorted(folder.iterdir()) if folder.exists() else []


def assert_refused(seller, data, *, code, name="photo.jpg", content_type="image/jpeg"):
    with pytest.raises(AssetRejected) as refused:
        asset_create(brand=seller.brand, upload=upload(data, name, content_type),
                     user=seller.user)
    assert refused.value.code == code
    assert http_status_for(refused.value) == 400
    assert refused.value.details[0]["field"] == "file"
    assert Asset.objects.count() == 0
    assert stored_files(seller.brand) == []
    return refused.value


@pytest.mark.parametrize(
    ("fmt", "content_type", "extension"),
    [("JPEG", "image/jpeg", "jpg"), ("PNG", "image/png", "png"),
     ("WEBP", "image/webp", "webp")],
)
def test_jpeg_png_and_webp_are_accepted_with_their_dimensions(seller, fmt, content_type,
                                                              extension):
    asset = asset_create(brand=seller.brand, upload=upload(encoded((640, 480), fmt=fmt),
                                                            f"banner.{extension}"),
                         user=seller.user)

    asset.refresh_from_db()
    assert (asset.content_type, asset.width, asset.height) == (content_type, 640, 480)
    assert asset.brand == seller.brand
    assert asset.created_by == seller.user
    assert asset.original_name == f"banner.{extension}"
    assert asset.file.name == f"assets/{seller.brand.pk}/{asset.sha256[:40]}.{extension}"
    with Image.open(asset.file.path) as stored:
        assert (stored.format, stored.size) == (fmt, (640, 480))


def test_the_type_is_decided_by_content_not_by_name_or_declared_type(seller):
    png = encoded((50, 40), fmt="PNG")

    asset = asset_create(brand=seller.brand, upload=upload(png, "photo.jpg", "image/jpeg"),
                         user=seller.user)

    assert asset.content_type == "image/png"
    assert asset.file.name.endswith(".png")


def test_a_text_file_named_jpg_is_refused_as_not_an_image(seller):
    refused = assert_refused(seller, b"hello, I am plain text\n" * 20, code="not_an_image")

    assert "not an image" in refused.message


def test_html_disguised_as_an_image_is_refused(seller):
    assert_refused(seller, b"<html><script>alert(1)</script></html>", code="not_an_image",
                   name="x.png", content_type="image/png")


def test_a_gif_is_refused_as_an_unsupported_type(seller):
    refused = assert_refused(seller, encoded((20, 20), fmt="GIF", mode="P", color=1),
                             code="unsupported_type", name="anim.gif",
                             content_type="image/gif")

    assert refused.message == ("GIF images are not accepted; upload a JPEG, PNG or WebP "
                               "image.")


def test_a_truncated_jpeg_is_refused(seller):
    data = encoded((400, 300), noise=True)

    assert_refused(seller, data[: len(data) // 2], code="not_an_image")


@pytest.fixture(scope="module")
def bomb_png(tmp_path_factory) -> bytes:
    """A 30000x30000 one-bit PNG: about 100 KB on disk, 900 million pixels decoded."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.png"
    Image.new("1", (30000, 30000)).save(path, "PNG")
    return path.read_bytes()


def test_an_image_bomb_is_refused_and_nothing_is_stored(seller, bomb_png):
    assert len(bomb_png) < 200_000

    refused = assert_refused(seller, bomb_png, code="decompression_bomb", name="bomb.png",
                             content_type="image/png")

    assert "decompression bomb" in refused.message


def test_an_image_over_the_pixel_limit_that_compresses_suspiciously_is_a_bomb(seller,
                                                                               settings):
    settings.ASSET_MAX_PIXELS = 1_000_000
    flat = encoded((2000, 1000), fmt="PNG", color=(255, 255, 255))  # a few KB

    refused = assert_refused(seller, flat, code="decompression_bomb", name="flat.png")

    assert "2000×1000" in refused.message


def test_an_honest_photo_over_the_pixel_limit_is_refused_as_too_large(seller, settings):
    settings.ASSET_MAX_PIXELS = 100_000
    photo = encoded((400, 300), noise=True, quality=95)  # 120,000 pixels, real detail

    refused = assert_refused(seller, photo, code="image_too_large")

    assert refused.message == ("The image is 400×300 pixels (0.1 megapixels); images may "
                               "have at most 0.1 megapixels. Resize it and upload again.")


def test_a_file_over_the_byte_limit_is_refused(seller, settings):
    settings.ASSET_MAX_BYTES = 1024 * 1024
    big = encoded((800, 600), fmt="PNG", noise=True)
    assert len(big) > 1024 * 1024

    refused = assert_refused(seller, big, code="file_too_large", name="big.png")

    assert "images may be at most 1 MB" in refused.message


def test_an_empty_file_is_refused(seller):
    assert_refused(seller, b"", code="not_an_image")


def test_exif_gps_and_camera_tags_are_stripped_and_orientation_applied(seller):
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Inc"  # Make
    exif[0x0110] = "Model 7"  # Model
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise
    exif.get_ifd(0x8825)[2] = (48.0, 51.0, 24.0)  # GPSLatitude
    exif.get_ifd(0x8825)[1] = "N"
    data = encoded((600, 400), exif=exif, comment=b"taken at home")
    with Image.open(io.BytesIO(data)) as original:
        assert original.getexif()[0x010F] == "SpyCam Inc"

    asset = asset_create(brand=seller.brand, upload=upload(data), user=seller.user)

    raw = Path(asset.file.path).read_bytes()
    assert b"SpyCam" not in raw and b"Exif" not in raw and b"taken at home" not in raw
    with Image.open(asset.file.path) as stored:
        assert dict(stored.getexif()) == {}
        assert "exif" not in stored.info and "comment" not in stored.info
        assert stored.size == (400, 600)
    assert (asset.width, asset.height) == (400, 600)


def test_png_text_and_exif_chunks_are_stripped(seller):
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Jane Doe, 12 Secret Street")
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Inc"
    data = encoded((120, 80), fmt="PNG", pnginfo=info, exif=exif)

    asset = asset_create(brand=seller.brand, upload=upload(data, "logo.png"),
                         user=seller.user)

    raw = Path(asset.file.path).read_bytes()
    assert b"Secret Street" not in raw and b"SpyCam" not in raw
    with Image.open(asset.file.path) as stored:
        assert "Author" not in stored.info and dict(stored.getexif()) == {}


def test_png_transparency_survives_cleaning(seller):
    data = encoded((64, 64), fmt="PNG", mode="RGBA", color=(255, 0, 0, 0))

    asset = asset_create(brand=seller.brand, upload=upload(data, "clear.png"),
                         user=seller.user)

    with Image.open(asset.file.path) as stored:
        assert stored.convert("RGBA").getpixel((5, 5))[3] == 0


def test_the_same_image_twice_is_one_asset(seller):
    data = encoded((300, 200))

    first = asset_create(brand=seller.brand, upload=upload(data, "a.jpg"), user=seller.user)
    second = asset_create(brand=seller.brand, upload=upload(data, "b.jpg"), user=seller.user)

    assert second.pk == first.pk
    assert Asset.objects.count() == 1
    assert [p.name for p in stored_files(seller.brand)] == [Path(first.file.name).name]


def test_the_same_image_for_two_brands_is_two_assets(seller, vendor):
    data = encoded((300, 200))

    mine = asset_create(brand=seller.brand, upload=upload(data), user=seller.user)
    theirs = asset_create(brand=vendor.brand, upload=upload(data), user=vendor.user)

    assert mine.pk != theirs.pk and mine.sha256 == theirs.sha256
    assert Asset.objects.count() == 2


def test_uploading_for_another_brand_is_forbidden_and_stores_nothing(seller,
                                                                     other_brand_owner):
    with pytest.raises(Forbidden):
        asset_create(brand=seller.brand, upload=upload(encoded()),
                     user=other_brand_owner.user)

    assert Asset.objects.count() == 0
    assert stored_files(seller.brand) == []


def test_an_agency_may_upload_for_a_vendor_it_represents(agency):
    asset = asset_create(brand=agency.brand, upload=upload(encoded()), user=agency.user)

    assert asset.brand == agency.brand


def test_renditions_are_made_when_the_asset_is_created(seller):
    asset = asset_create(brand=seller.brand, upload=upload(encoded((1300, 500))),
                         user=seller.user)
    images.renditions_forget()

    manifest = images.renditions_ensure(asset.file, generate=False)

    assert manifest is not None
    assert manifest["widths"] == [200, 400, 800, 1200, 1300]


def test_a_cmyk_jpeg_is_stored_as_rgb(seller):
    data = encoded((200, 100), mode="CMYK", color=(0, 255, 255, 0))

    asset = asset_create(brand=seller.brand, upload=upload(data), user=seller.user)

    with Image.open(asset.file.path) as stored:
        assert (stored.format, stored.mode, stored.size) == ("JPEG", "RGB", (200, 100))


def test_an_embedded_colour_profile_is_applied_and_not_kept(seller):
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encoded((120, 90), fmt="PNG", icc_profile=profile)
    with Image.open(io.BytesIO(data)) as original:
        assert original.info.get("icc_profile")

    asset = asset_create(brand=seller.brand, upload=upload(data, "p.png"), user=seller.user)

    with Image.open(asset.file.path) as stored:
        assert "icc_profile" not in stored.info
        assert stored.convert("RGB").getpixel((10, 10)) == (30, 120, 90)
