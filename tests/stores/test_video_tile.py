"""The video tile on the shopper page: a click-to-load facade (nothing from YouTube or Vimeo
until the shopper presses play), an optional poster from the brand's images, and the
privacy-mode player the click swaps in. (Clicking itself: test_store_page_browser.py.)"""
from __future__ import annotations

import re

import pytest
from rest_framework.test import APIClient

from stores.documents import DocumentInvalid, validate_store_document
from stores.tiles.video import embed_url, parse_video_url
from tests import factories
from tests.documents import home_document, published_document, section, tile

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
VIMEO = "https://vimeo.com/76979871"


def video_page(make_store, seller, **config) -> str:
    from django.test import Client

    document = home_document(section("s1", tile("v1", "video", **config), layout="halves"))
    make_store(published_document(seller.brand, document))
    response = Client().get("/stores/acme-outdoor/")
    assert response.status_code == 200
    return response.content.decode()


def tile_html(html: str) -> str:
    start = html.index('data-tile="v1"')
    return html[start:html.index("</div></div>", start)]


def test_the_page_loads_nothing_from_youtube_until_the_shopper_presses_play(make_store, seller):
    html = video_page(make_store, seller, url=YOUTUBE, title="Pitching a tent in the rain")

    facade = tile_html(html)
    assert "<iframe" not in html
    # No address the browser would fetch on its own points at the provider.
    assert not re.search(r'\ssrc(set)?="https://[^"]*(youtube|vimeo)', html)
    assert "Pitching a tent in the rain" in facade
    assert "Plays from YouTube" in facade
    assert 'class="video__play"' in facade
    # Without JavaScript the facade is a link to the video on YouTube.
    assert 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in facade
    # The player the click swaps in: privacy mode, already playing.
    assert 'data-video-embed="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"' \
        in facade
    assert re.search(r'<script src="/static/stores/video\.js" defer></script>', html)


def test_a_vimeo_video_names_vimeo_and_keeps_do_not_track(make_store, seller):
    html = video_page(make_store, seller, url=VIMEO, title="Ridge walk")

    facade = tile_html(html)
    assert "<iframe" not in html
    assert "Plays from Vimeo" in facade
    assert 'href="https://vimeo.com/76979871"' in facade
    assert 'data-video-embed="https://player.vimeo.com/video/76979871?dnt=1&amp;autoplay=1"' \
        in facade


def test_the_embed_rules_stay_in_one_place():
    assert embed_url(*parse_video_url("https://youtu.be/dQw4w9WgXcQ"), autoplay=True) == \
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
    assert embed_url(*parse_video_url(VIMEO)) == "https://player.vimeo.com/video/76979871?dnt=1"


def test_pages_without_a_video_load_no_script(client, make_store, seller):
    make_store(published_document(seller.brand, home_document(
        section("s1", tile("t1", "text", html="<p>Hello</p>")))))

    html = client.get("/stores/acme-outdoor/").content.decode()

    # No script at all: the only script element is schema.org data, which never runs.
    assert "<script src" not in html
    assert html.count("<script") == html.count('<script type="application/ld+json"')


def test_without_a_poster_the_facade_is_an_accent_gradient(make_store, seller):
    facade = tile_html(video_page(make_store, seller, url=YOUTUBE, title="Film"))

    assert "<img" not in facade
    assert "video--poster" not in facade


def test_a_poster_from_the_brands_images_shows_on_the_facade(make_store, make_asset, seller):
    poster = make_asset(size=(1280, 720), name="poster.png")

    facade = tile_html(video_page(make_store, seller, url=YOUTUBE, title="Film",
                                  poster=poster.pk))

    assert "video--poster" in facade
    img = re.search(r"<img [^>]*>", facade).group(0)
    assert 'class="video__poster"' in img
    assert 'alt=""' in img  # decorative: the title is written on the facade
    assert 'loading="lazy"' in img
    assert "<iframe" not in facade


def test_the_page_policy_lets_the_player_in_after_the_click(make_store, seller):
    from django.test import Client

    make_store(published_document(seller.brand, home_document(
        section("s1", tile("v1", "video", url=YOUTUBE, title="Film")))))

    response = Client().get("/stores/acme-outdoor/")

    policy = {part.split()[0]: part.split()[1:]
              for part in response["Content-Security-Policy"].split(";") if part.strip()}
    assert "https://www.youtube-nocookie.com" in policy["frame-src"]
    assert "https://player.vimeo.com" in policy["frame-src"]
    assert policy["script-src"] == ["'self'"]  # the facade script is a file of ours
    assert not re.search(r"<[^>]+\s(style|on[a-z]+)\s*=", response.content.decode())


def video_document(**config) -> dict:
    return home_document(section("s1", tile("v1", "video", url=YOUTUBE, title="Film",
                                             **config)))


def test_a_poster_is_kept_in_the_normal_form_and_optional(seller, make_asset):
    poster = make_asset()

    with_poster = validate_store_document(video_document(poster=poster.pk), brand=seller.brand)
    without = validate_store_document(video_document(), brand=seller.brand)

    assert with_poster["pages"][0]["sections"][0]["tiles"][0]["config"]["poster"] == poster.pk
    assert without["pages"][0]["sections"][0]["tiles"][0]["config"]["poster"] is None


@pytest.mark.parametrize(("poster", "code"), [
    ("big.jpg", "invalid_asset"),
    (True, "invalid_asset"),
    (999_999, "unknown_asset"),
])
def test_a_poster_must_be_one_of_the_brands_images(seller, poster, code):
    with pytest.raises(DocumentInvalid) as refused:
        validate_store_document(video_document(poster=poster), brand=seller.brand)

    [error] = refused.value.details
    assert (error["tile"], error["field"], error["code"]) == ("v1", "poster", code)
    assert error["path"] == "pages[0].sections[0].tiles[0].config.poster"


def test_another_brands_image_as_poster_gets_400_from_the_draft_api(
        seller, other_brand_owner):
    store = factories.StoreFactory(brand=seller.brand, slug="acme-outdoor", revision=1,
                                   draft=home_document())
    rivals_image = _asset_of(other_brand_owner)
    client = APIClient()
    client.force_login(seller.user)

    response = client.put(f"/api/v1/stores/{store.pk}/draft/",
                          {**video_document(poster=rivals_image.pk), "revision": 1},
                          format="json")

    assert response.status_code == 400
    [error] = [e for e in response.json()["errors"] if e["field"] == "poster"]
    assert (error["tile"], error["code"]) == ("v1", "unknown_asset")
    assert "not one of Acme Outdoor's uploaded images" in error["message"]
    store.refresh_from_db()
    assert store.revision == 1


def _asset_of(actor):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from stores.assets import asset_create

    buffer = io.BytesIO()
    Image.new("RGB", (1280, 720), (200, 40, 40)).save(buffer, "PNG")
    upload = SimpleUploadedFile("rival.png", buffer.getvalue(), content_type="image/png")
    return asset_create(brand=actor.brand, upload=upload, user=actor.user)


def test_the_builder_offers_the_poster_in_the_video_tiles_settings(seller):
    client = APIClient()
    client.force_login(seller.user)

    types = {row["name"]: row for row in client.get("/api/v1/tile-types/").json()}

    assert types["video"]["default_config"] == {"url": "", "title": "Video", "poster": None}


def test_a_poster_costs_no_query_per_video(client, make_store, make_asset, seller,
                                           django_assert_num_queries):
    posters = [make_asset(color=(i * 40, 90, 90), size=(1280, 720), name=f"p{i}.png")
               for i in range(4)]
    videos = [tile(f"v{i}", "video", url=YOUTUBE, title=f"Film {i}", poster=p.pk)
              for i, p in enumerate(posters)]
    make_store(published_document(seller.brand, home_document(
        section("s1", *videos[:2], layout="halves"), section("s2", *videos[2:], layout="halves"))))
    client.get("/stores/acme-outdoor/")  # renditions of the posters are made once
    from stores import rendering

    rendering.clear_compiled_pages()

    # Compiling again (the Store's route is remembered): the version, then the brand's
    # images, all four posters in one query.
    with django_assert_num_queries(2):
        html = client.get("/stores/acme-outdoor/").content.decode()
    assert html.count('class="video__poster"') == 4
    with django_assert_num_queries(0):
        client.get("/stores/acme-outdoor/")
