"""The contract between the builder and moderation: a draft the builder's validation accepts
(and that lacks nothing) is never auto-rejected for a policy reason. What the policy can
never accept is refused at save time, on its field."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from moderation.checks import document_check
from stores import content_policy as policy
from stores.documents import DocumentInvalid, document_validate
from stores.models import Asset
from tests.documents import home_document, page, section, tile

pytestmark = pytest.mark.django_db

# Bits of text a brand might type: harmless ones and every kind the policy is about.
FRAGMENTS = [
    "Trail tents", "built to last", "50% off this week", "camp & hike", "Model 2000",
    "2026-12-24T18:00:00+01:00", "24/12/2026 18:00", "size 42-44", "visit acme.com",
    "https://evil.example/deal", "www.example.org", "/stores/acme-outdoor/", "mail a@b.co",
    "#sale", "follow @acme_outdoor", "call +31 20 123 4567", "guaranteed results", "C#",
    "Q&A", "m.youtube.com/watch?v=dQw4w9WgXcQ", "naïve café", "x" * 130,
]
HREFS = ["/stores/acme-outdoor/", "/dp/B000000001/", "https://evil.example/",
         "http://127.0.0.1:8000/stores/x/", "https://www.amazon.com/", "mailto:a@b.co",
         "javascript:alert(1)", "#top"]
VIDEOS = ["https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://m.youtube.com/watch?v=dQw4w9WgXcQ",
          "https://youtu.be/dQw4w9WgXcQ", "https://www.vimeo.com/76979871",
          "https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871",
          "https://videos.example.org/1", "http://www.youtube.com/watch?v=dQw4w9WgXcQ",
          "https://www.youtube.com/watch?v=short", "https://www.dailymotion.com/video/x7"]

texts = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=4).map(" ".join)
titles = st.one_of(texts, st.text(st.sampled_from("abcdef "), min_size=1, max_size=90))
rich = st.builds(
    lambda words, href: f"<p>{words}</p>" + (f'<p><a href="{href}">more</a></p>' if href else ""),
    texts, st.one_of(st.none(), st.sampled_from(HREFS)))


@st.composite
def documents(draw, asins: list[str], asset: int) -> dict:
    kinds = draw(st.lists(st.sampled_from(["text", "video", "image", "grid"]), min_size=1,
                          max_size=4))
    tiles = []
    for index, kind in enumerate(kinds):
        key = f"t{index}"
        if kind == "text":
            tiles.append(tile(key, "text", html=draw(rich)))
        elif kind == "video":
            tiles.append(tile(key, "video", url=draw(st.sampled_from(VIDEOS)), title=draw(texts)))
        elif kind == "image":
            tiles.append(tile(key, "image", asset=asset, alt=draw(texts),
                              link=draw(st.sampled_from([None, {"page": "p2"},
                                                         {"asin": asins[0]}]))))
        else:
            tiles.append(tile(key, "product_grid", mode="manual", title=draw(texts),
                              asins=asins[:2]))
    document = home_document(section("s1", *tiles), pages=[
        page("p2", section("s2", tile("x1", "text", html="<p>More tents</p>")),
             title=draw(titles))])
    document["name"] = draw(st.sampled_from(["Acme Outdoor", "Acme #1 outdoor", "Acme"]))
    return document


@pytest.fixture
def catalogue(seller, products):
    # Images are judged by their stored size here (the checks a brand sees while editing).
    asset = Asset.objects.create(brand=seller.brand, file="assets/wide.png", sha256="w" * 64,
                                 content_type="image/png", width=1600, height=900)
    return [p.asin for p in products], asset.pk


def accepted(document, brand) -> dict | None:
    try:
        validated = document_validate(document, brand=brand)
    except DocumentInvalid:
        return None
    return validated.document if not validated.incomplete else None


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
@example(data=None)
def test_no_draft_the_builder_accepts_is_auto_rejected_for_a_policy_reason(data, seller,
                                                                           catalogue):
    asins, asset = catalogue
    if data is None:  # the three cases found by hand: each must be refused or pass
        drafts = [
            home_document(section("s1", tile("t1", "text",
                                             html='<p><a href="https://evil.example/">x</a></p>'))),
            home_document(section("s1", tile("t1", "video",
                                             url="https://m.youtube.com/watch?v=dQw4w9WgXcQ"),
                                  tile("t2", "video", url="https://www.vimeo.com/76979871"))),
            home_document(section("s1", tile("t1", "text", html="<p>Tents</p>")),
                          pages=[page("p2", section("s2", tile("x1", "text", html="<p>x</p>")),
                                      title="T" * 70)]),
        ]
    else:
        drafts = [data.draw(documents(asins, asset))]
    for draft in drafts:
        document = accepted(draft, seller.brand)
        if document is None:
            continue
        findings = document_check(document=document, brand=seller.brand, decode_images=False)
        assert [f for f in findings if f["severity"] == "blocking"] == [], document


def only_error(document, brand) -> dict:
    with pytest.raises(DocumentInvalid) as caught:
        document_validate(document, brand=brand)
    [error] = caught.value.details
    return error


def test_an_outside_link_in_a_text_is_refused_on_its_field(seller):
    document = home_document(section("s1", tile("t1", "text", html=(
        '<p>Our <a href="https://evil.example/shop">own shop</a></p>'))))

    error = only_error(document, seller.brand)

    assert (error["tile"], error["field"], error["code"]) == ("t1", "html", "outside_link")
    assert "https://evil.example/shop" in error["message"]


def test_links_inside_the_marketplace_are_kept(seller):
    html = ('<p><a href="/stores/acme-outdoor/tents/">Tents</a> and '
            '<a href="/dp/B100000001/">this one</a></p>')
    document = home_document(section("s1", tile("t1", "text", html=html)))

    assert document_validate(document, brand=seller.brand).incomplete == []


@pytest.mark.parametrize("url", ["https://m.youtube.com/watch?v=dQw4w9WgXcQ",
                                 "https://www.vimeo.com/76979871"])
def test_video_hosts_the_page_embeds_are_accepted_and_pass_moderation(seller, url):
    document = document_validate(home_document(section("s1", tile("t1", "video", url=url))),
                                 brand=seller.brand).document

    findings = document_check(document=document, brand=seller.brand, decode_images=False)

    assert [f for f in findings if f["severity"] == "blocking"] == []


def test_a_video_host_we_do_not_embed_is_refused_on_its_field(seller):
    document = home_document(section("s1", tile("t1", "video",
                                                url="https://www.dailymotion.com/video/x7")))

    error = only_error(document, seller.brand)

    assert (error["field"], error["code"]) == ("url", "unsupported_video")


@pytest.mark.parametrize("length", [61, 70, 80])
def test_a_page_title_over_the_one_limit_is_refused_on_its_field(seller, length):
    document = home_document(pages=[page("p2", title="T" * length)])

    error = only_error(document, seller.brand)

    assert (error["page"], error["field"], error["code"]) == ("p2", "title", "too_long")
    assert str(policy.PAGE_TITLE_MAX) in error["message"]
