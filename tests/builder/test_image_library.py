"""The brand's image library beyond uploads: replacing an image in every tile of the draft
that uses it (one new revision), where an image is used, and the focal point that crops of
an image keep in view (Pillow renditions cut around it, re-made when it moves)."""
from __future__ import annotations

import copy
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalog.images import focal_crop_box, renditions_ensure
from stores.assets import asset_create
from stores.models import Asset

pytestmark = pytest.mark.django_db


def png(size=(400, 300), color=(10, 125, 90)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def asset_of(user, data: bytes, name: str = "photo.png") -> Asset:
    return asset_create(brand=user.brand, upload=SimpleUploadedFile(name, data, "image/png"),
                        user=user.user)


def image_document(a: int, b: int) -> dict:
    """Two pages: an image tile and a gallery on home, a shoppable image on a sub-page."""
    return {"name": "Acme Outdoor", "pages": [
        {"key": "home", "parent": None, "slug": "", "title": "Home", "sections": [
            {"key": "s1", "layout": "full", "tiles": [
                {"key": "t1", "type": "image", "config": {"asset": a, "alt": "Tents"}},
                {"key": "t2", "type": "gallery", "config": {"images": [
                    {"asset": b, "alt": "Stove"}, {"asset": a, "alt": "Tents again"}]}}]}]},
        {"key": "p2", "parent": "home", "slug": "camp", "title": "Camp", "sections": [
            {"key": "s2", "layout": "full", "tiles": [
                {"key": "t3", "type": "shoppable_image",
                 "config": {"asset": a, "alt": "Camp", "hotspots": []}}]}]}]}


@pytest.fixture
def images(seller):
    return (asset_of(seller, png(color=(200, 10, 10)), "red.png"),
            asset_of(seller, png(color=(10, 10, 200)), "blue.png"),
            asset_of(seller, png(color=(10, 200, 10)), "green.png"))


@pytest.fixture
def draft_store(store, images):
    red, blue, _ = images
    store.draft = image_document(red.pk, blue.pk)
    store.save(update_fields=["draft"])
    return store


def test_the_usage_of_each_image_counts_tiles_and_pages(draft_store, images, seller, client_for,
                                                        django_assert_num_queries):
    red, blue, green = images
    client = client_for(seller)
    client.get(f"/api/v1/stores/{draft_store.pk}/draft/asset-usage/")  # session warmed
    # Session, user and the Store (with its brand): the document is read in memory.
    with django_assert_num_queries(3):
        response = client.get(f"/api/v1/stores/{draft_store.pk}/draft/asset-usage/")
    assert response.status_code == 200
    assert response.json() == {str(red.pk): {"tiles": 3, "pages": 2, "design": False},
                               str(blue.pk): {"tiles": 1, "pages": 1, "design": False}}


def test_the_store_designs_logo_is_replaced_with_the_tiles(draft_store, images, seller,
                                                           client_for):
    red, blue, green = images
    draft_store.draft["theme"] = {"accent_color": "#0a7d5a", "logo": red.pk}
    draft_store.save(update_fields=["draft"])
    client = client_for(seller)
    usage = client.get(f"/api/v1/stores/{draft_store.pk}/draft/asset-usage/").json()
    assert usage[str(red.pk)] == {"tiles": 3, "pages": 2, "design": True}

    response = client.post(f"/api/v1/stores/{draft_store.pk}/draft/replace-asset/",
                           {"asset": red.pk, "by": green.pk, "revision": 3}, format="json")
    assert response.status_code == 200
    draft_store.refresh_from_db()
    assert draft_store.draft["theme"]["logo"] == green.pk


def test_an_image_is_replaced_in_every_tile_that_uses_it_as_one_revision(
        draft_store, images, seller, client_for):
    red, blue, green = images
    response = client_for(seller).post(
        f"/api/v1/stores/{draft_store.pk}/draft/replace-asset/",
        {"asset": red.pk, "by": green.pk, "revision": 3}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert (body["replaced"], body["revision"]) == (3, 4)
    draft_store.refresh_from_db()
    home, camp = draft_store.draft["pages"]
    image, gallery = home["sections"][0]["tiles"]
    assert image["config"]["asset"] == green.pk
    assert [i["asset"] for i in gallery["config"]["images"]] == [blue.pk, green.pk]
    assert [i["alt"] for i in gallery["config"]["images"]] == ["Stove", "Tents again"]
    assert camp["sections"][0]["tiles"][0]["config"]["asset"] == green.pk


@pytest.mark.parametrize("body, status, field", [
    ({"asset": "red", "by": "a picture"}, 400, "by"),
    ({"asset": "red", "by": "red"}, 400, "by"),
    ({"asset": "red", "by": 999_999}, 400, "by"),
    ({"asset": "green", "by": "red"}, 400, None),  # the draft does not use green
])
def test_a_refused_replacement_changes_nothing(draft_store, images, seller, client_for,
                                                body, status, field):
    named = dict(zip(("red", "blue", "green"), (a.pk for a in images), strict=True))
    before = copy.deepcopy(draft_store.draft)
    payload = {k: named.get(v, v) for k, v in body.items()} | {"revision": 3}
    response = client_for(seller).post(
        f"/api/v1/stores/{draft_store.pk}/draft/replace-asset/", payload, format="json")
    assert response.status_code == status
    if field:
        assert field in response.json()["errors"]
    else:
        assert response.json()["error"]["code"] == "asset_not_used"
    draft_store.refresh_from_db()
    assert (draft_store.revision, draft_store.draft) == (3, before)


def test_another_brands_image_cannot_replace_ours(draft_store, images, seller, vendor,
                                                  client_for):
    theirs = asset_of(vendor, png(color=(1, 2, 3)), "theirs.png")
    before = copy.deepcopy(draft_store.draft)
    response = client_for(seller).post(
        f"/api/v1/stores/{draft_store.pk}/draft/replace-asset/",
        {"asset": images[0].pk, "by": theirs.pk, "revision": 3}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["by"]
    other = client_for(vendor).post(
        f"/api/v1/stores/{draft_store.pk}/draft/replace-asset/",
        {"asset": images[0].pk, "by": images[2].pk, "revision": 3}, format="json")
    assert other.status_code == 404
    draft_store.refresh_from_db()
    assert (draft_store.revision, draft_store.draft) == (3, before)


# --- the focal point ----------------------------------------------------------------


def test_the_crop_box_is_centred_on_the_focal_point_and_stays_inside():
    # 400 x 300 to 1:1: a 300 x 300 box, around x = 0.8 * 400 = 320, pushed back inside.
    assert focal_crop_box((400, 300), (1, 1), (0.8, 0.5)) == (100, 0, 400, 300)
    assert focal_crop_box((400, 300), (1, 1), (0.5, 0.5)) == (50, 0, 350, 300)
    assert focal_crop_box((400, 300), (1, 1), (0.3, 0.5)) == (0, 0, 300, 300)
    # Tall to wide: the box moves down to the focal point.
    assert focal_crop_box((300, 600), (3, 2), (0.5, 0.75)) == (0, 350, 300, 550)


def quadrants(size=(800, 400)) -> bytes:
    """Left half white, right half red, with a black square at 85 % across."""
    image = Image.new("RGB", size, (255, 255, 255))
    width, height = size
    image.paste((220, 0, 0), (width // 2, 0, width, height))
    image.paste((0, 0, 0), (int(width * 0.85) - 20, height // 2 - 20,
                            int(width * 0.85) + 20, height // 2 + 20))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def rendition(manifest: dict, width: int) -> Image.Image:
    path = Path(settings.MEDIA_ROOT) / "renditions" / manifest["key"] / f"{width}.jpg"
    return Image.open(path).convert("RGB")


def test_a_cropped_rendition_keeps_the_focal_region(
        seller, store, client_for, django_capture_on_commit_callbacks):
    asset = asset_of(seller, quadrants(), "split.png")
    centred = renditions_ensure(asset.file, crop="4:3", focal=asset.focal_point)
    # Centred 4:3 crop of 800 x 400: x from 133 to 667, the black square (x 660-700) is cut.
    assert (centred["width"], centred["height"]) == (533, 400)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client_for(seller).patch(
            f"/api/v1/stores/{store.pk}/assets/{asset.pk}/", {"focal_x": 0.85, "focal_y": 0.5},
            format="json")
    assert response.status_code == 200
    # Off the request: nothing made yet, a task waits in the outbox.
    assert renditions_ensure(asset.file, crop="4:3", focal=(0.85, 0.5), generate=False) is None
    for callback in callbacks:
        callback()
    assert (response.json()["focal_x"], response.json()["focal_y"]) == (0.85, 0.5)
    asset.refresh_from_db()
    assert asset.focal_point == (0.85, 0.5)
    # The task (eager here) made the renditions around the new point, under a new key.
    moved = renditions_ensure(asset.file, crop="4:3", focal=asset.focal_point, generate=False)
    assert moved is not None and moved["key"] != centred["key"]
    assert (moved["width"], moved["height"]) == (533, 400)
    picture = rendition(moved, 533)
    # The crop runs to the right edge: the black square is in it, at about 680 - 267 = 413.
    r, g, b = picture.getpixel((413, 200))
    assert r < 60 and g < 60 and b < 60
    # ...and the old centred crop lacked it.
    r, g, b = rendition(centred, 533).getpixel((413, 200))
    assert r > 150


@pytest.mark.parametrize("body", [
    {"focal_x": 1.5, "focal_y": 0.5}, {"focal_x": -0.1, "focal_y": 0.5},
    {"focal_x": "left", "focal_y": 0.5}, {"focal_x": 0.5},
])
def test_a_focal_point_outside_the_image_is_refused(seller, store, client_for, body):
    asset = asset_of(seller, png(), "a.png")
    response = client_for(seller).patch(f"/api/v1/stores/{store.pk}/assets/{asset.pk}/",
                                        body, format="json")
    assert response.status_code == 400
    asset.refresh_from_db()
    assert (asset.focal_x, asset.focal_y) == (None, None)


def test_another_brand_cannot_move_our_focal_point(seller, vendor, store, client_for):
    asset = asset_of(seller, png(), "a.png")
    theirs = factories_store_for(vendor)
    for url in (f"/api/v1/stores/{store.pk}/assets/{asset.pk}/",
                f"/api/v1/stores/{theirs.pk}/assets/{asset.pk}/"):
        response = client_for(vendor).patch(url, {"focal_x": 0.1, "focal_y": 0.1},
                                            format="json")
        assert response.status_code == 404
    asset.refresh_from_db()
    assert asset.focal_x is None


def factories_store_for(owner):
    from tests import factories

    return factories.StoreFactory(brand=owner.brand, name="Nordic", slug="nordic-home")


def test_the_gallery_serves_focal_crops_and_the_poster_an_object_position(
        draft_store, images, seller, client):
    from stores.rendering import render_store_page

    red = images[0]
    red.focal_x, red.focal_y = 0.2, 0.9
    red.save(update_fields=["focal_x", "focal_y"])
    html = render_store_page(None, store=draft_store, document=draft_store.draft,
                             page_key="home", preview=True)
    html = html.decode() if isinstance(html, bytes) else str(html)
    manifest = renditions_ensure(red.file, crop="4:3", focal=(0.2, 0.9), generate=False)
    assert manifest is not None and f"renditions/{manifest['key']}/" in html
    assert "fx-20 fy-90" in html


def test_a_video_posters_focal_point_sets_its_object_position(store, seller):
    from stores.documents import document_validate
    from stores.rendering import render_store_page

    poster = asset_of(seller, png((1280, 720)), "poster.png")
    poster.focal_x, poster.focal_y = 0.1, 0.3
    poster.save(update_fields=["focal_x", "focal_y"])
    store.draft = {"name": "Acme Outdoor", "pages": [
        {"key": "home", "parent": None, "slug": "", "title": "Home", "sections": [
            {"key": "s1", "layout": "full", "tiles": [
                {"key": "v1", "type": "video", "config": {
                    "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "title": "Pitching",
                    "poster": poster.pk}}]}]}]}
    store.draft = document_validate(store.draft, brand=store.brand).document
    store.save(update_fields=["draft"])
    html = render_store_page(None, store=store, document=store.draft, page_key="home",
                             preview=True)
    html = html.decode() if isinstance(html, bytes) else str(html)
    assert 'class="video__poster fx-10 fy-30"' in html
