"""Automated checks: each finds its problem; blocking findings reject at once."""
from __future__ import annotations

import copy
import io

import pytest
import segno
import zxingcpp
from django.core import mail
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from moderation import services
from moderation.checks import document_check
from moderation.models import SubmissionStatus
from moderation.tasks import submission_run_checks
from stores.models import Asset, Store
from tests import factories

pytestmark = pytest.mark.django_db


def make_asset(brand, width: int, height: int, *, fmt: str = "PNG", quality: int = 90,
               plain: bool = False) -> Asset:
    image = Image.new("RGB", (width, height), (30, 120, 90))
    if not plain:
        draw = ImageDraw.Draw(image)
        for x in range(0, width, 40):
            draw.rectangle([x, 0, x + 20, height], fill=(240, 200, 40))
    buffer = io.BytesIO()
    image.save(buffer, fmt, **({"quality": quality} if fmt == "JPEG" else {}))
    asset = Asset(brand=brand, sha256=f"{width}x{height}{fmt}{quality}{plain}",
                  content_type=f"image/{fmt.lower()}", width=width, height=height)
    asset.file.save(f"a{width}x{height}.{fmt.lower()}", ContentFile(buffer.getvalue()), save=False)
    asset.save()
    return asset


def with_tile(document: dict, tile: dict, *, layout: str = "full", alone: bool = True) -> dict:
    document = copy.deepcopy(document)
    section = {"key": "s9", "layout": layout, "tiles": [tile]}
    if not alone:
        section["tiles"].append({"key": "t98", "type": "best_sellers", "config": {"limit": 4}})
    document["pages"][0]["sections"].append(section)
    return document


def text_doc(store, text: str) -> dict:
    return with_tile(store.draft, {"key": "t9", "type": "text", "config": {"html": text}})


def found(findings) -> set[tuple[str, str, str]]:
    return {(f["check_name"], f["severity"], f["tile"]) for f in findings}


def test_a_clean_store_has_no_findings(store, seller):
    assert document_check(document=store.draft, brand=seller.brand) == []


def test_a_full_width_image_under_1200_px_is_blocking(store, seller):
    asset = make_asset(seller.brand, 1000, 400)
    document = with_tile(store.draft, {"key": "t9", "type": "image",
                                       "config": {"asset": asset.pk, "alt": "Tents"}})

    findings = document_check(document=document, brand=seller.brand)

    assert found(findings) == {("image_resolution", "blocking", "t9")}
    assert findings[0]["reason_code"] == "low_quality_image"
    assert "1000×400 px; a full-width image needs at least 1200 px" in findings[0]["message"]


def test_a_tile_image_needs_600_px_and_800_is_enough(store, seller):
    small = make_asset(seller.brand, 500, 500)
    fine = make_asset(seller.brand, 800, 800)
    document = with_tile(store.draft, {"key": "t9", "type": "image",
                                       "config": {"asset": small.pk, "alt": "Small"}},
                         layout="two_columns", alone=False)
    document = with_tile(document, {"key": "t10", "type": "image",
                                    "config": {"asset": fine.pk, "alt": "Fine"}},
                         layout="two_columns", alone=False)
    document["pages"][0]["sections"][-1]["key"] = "s10"
    document["pages"][0]["sections"][-1]["tiles"][1]["key"] = "t97"

    findings = document_check(document=document, brand=seller.brand)

    assert found(findings) == {("image_resolution", "blocking", "t9")}


def test_a_heavily_compressed_or_blank_image_is_a_warning(store, seller):
    blocky = make_asset(seller.brand, 1400, 600, fmt="JPEG", quality=10)
    blank = make_asset(seller.brand, 1400, 600, plain=True)
    document = with_tile(store.draft, {"key": "t9", "type": "gallery", "config": {
        "images": [{"asset": blocky.pk, "alt": "a"}, {"asset": blank.pk, "alt": "b"}]}})

    findings = document_check(document=document, brand=seller.brand)

    assert [(f["check_name"], f["severity"]) for f in findings] == [
        ("image_quality", "warning"), ("image_quality", "warning")]
    assert "heavily compressed" in findings[0]["message"]
    assert "single colour" in findings[1]["message"]


def test_missing_alt_text_and_another_brands_image_are_blocking(store, seller,
                                                                 other_brand_owner):
    foreign = make_asset(other_brand_owner.brand, 1400, 600)
    document = with_tile(store.draft, {"key": "t9", "type": "image",
                                       "config": {"asset": foreign.pk, "alt": " "}})

    findings = document_check(document=document, brand=seller.brand)

    assert found(findings) == {("missing_alt", "blocking", "t9"),
                               ("image_missing", "blocking", "t9")}


@pytest.mark.parametrize(("text", "check", "reason"), [
    ("<p>Order at <a href='https://shop.example.net/x'>our shop</a></p>", "outside_link",
     "contact_details"),
    ("Visit www.cheap-tents.com today", "outside_link", "contact_details"),
    ("See acme-direct.com for more", "outside_link", "contact_details"),
    ("Write to sales@acme.example", "email_address", "contact_details"),
    ("Call us: +49 30 1234 5678", "phone_number", "contact_details"),
    ("Summer is here #trailready", "hashtag", "hashtags"),
    ("Follow @acme_outdoor for news", "social_handle", "social_handles"),
    ("A miracle cure for sore feet", "prohibited_terms", "not_family_friendly"),
    ("x" * 3001, "text_length", "other"),
])
def test_each_text_problem_is_found_on_its_tile(store, seller, text, check, reason):
    findings = document_check(document=text_doc(store, text), brand=seller.brand)

    assert [(f["check_name"], f["reason_code"], f["tile"], f["severity"]) for f in findings] == [
        (check, reason, "t9", "blocking")]


@pytest.mark.parametrize("text", [
    "<p>Ready for 2026 &#8211; light &amp; warm, 4 seasons, 1 200 g.</p>",
    "<p>See <a href='/stores/acme-outdoor/tents/'>our tents</a> and "
    "<a href='http://127.0.0.1:8000/dp/B000000001/'>this one</a>.</p>",
    "<h2>Colour #1: forest green</h2>",
])
def test_ordinary_text_is_not_flagged(store, seller, text):
    assert document_check(document=text_doc(store, text), brand=seller.brand) == []


def test_a_video_from_an_unknown_site_is_an_outside_link(store, seller):
    document = with_tile(store.draft, {"key": "t9", "type": "video",
                                       "config": {"url": "https://videos.example.org/1"}})

    assert found(document_check(document=document, brand=seller.brand)) == {
        ("outside_link", "blocking", "t9")}


@pytest.mark.parametrize("url", [
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://m.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://youtu.be/dQw4w9WgXcQ",
    "https://vimeo.com/76979871",
    "https://www.vimeo.com/76979871",
])
def test_every_video_address_the_shopper_page_embeds_passes(store, seller, url):
    ok = with_tile(store.draft, {"key": "t9", "type": "video", "config": {"url": url}})

    assert document_check(document=ok, brand=seller.brand) == []


def test_products_of_another_brand_are_blocking_and_inactive_ones_a_warning(
    store, seller, other_brand_owner
):
    foreign = factories.ProductFactory(brand=other_brand_owner.brand)
    inactive = factories.ProductFactory(brand=seller.brand, is_active=False)
    document = with_tile(store.draft, {"key": "t9", "type": "product_grid", "config": {
        "mode": "manual", "asins": [foreign.asin, inactive.asin, "B0NOSUCH00"]}})

    findings = document_check(document=document, brand=seller.brand)

    assert [(f["check_name"], f["severity"], f["message"]) for f in findings] == [
        ("foreign_product", "blocking", f"{foreign.asin} is not a product of Acme Outdoor."),
        ("foreign_product", "blocking", "B0NOSUCH00 is not a product of Acme Outdoor."),
        ("inactive_product", "warning",
         f"{inactive.asin} is not sold on the marketplace (inactive)."),
    ]


def test_an_empty_page_is_blocking(store, seller):
    document = copy.deepcopy(store.draft)
    document["pages"].append({"key": "p3", "parent": "home", "slug": "empty",
                              "title": "Coming soon", "sections": []})

    findings = document_check(document=document, brand=seller.brand)

    assert [(f["check_name"], f["page"]) for f in findings] == [("empty_page", "p3")]


def test_blocking_findings_reject_within_the_task_and_tell_the_brand(
    store, seller, make_submission, django_capture_on_commit_callbacks
):
    # A version made before such text was refused at save time.
    submission = make_submission(SubmissionStatus.SUBMITTED,
                                 document=text_doc(store, "Follow @acme_outdoor #trailready"))
    with django_capture_on_commit_callbacks(execute=True):
        submission_run_checks(submission.pk)

    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.REJECTED
    assert submission.decided_by is None
    assert sorted(submission.reasons.values_list("code", "tile")) == [
        ("hashtags", "t9"), ("social_handles", "t9")]
    store.refresh_from_db()
    assert store.review_state == Store.ReviewState.REJECTED
    assert len(mail.outbox) == 1
    assert "by our automated checks" in mail.outbox[0].body
    assert "(tile t9): Hashtags are not allowed: #trailready." in mail.outbox[0].body


def test_running_the_checks_twice_replaces_the_findings_and_leaves_decisions_alone(
    store, seller, make_submission, moderator
):
    blocky = make_asset(seller.brand, 1400, 600, fmt="JPEG", quality=10)
    document = with_tile(store.draft, {"key": "t9", "type": "image",
                                       "config": {"asset": blocky.pk, "alt": "Tent"}})
    submission = make_submission(SubmissionStatus.CHECKING, document=document)

    submission_run_checks(submission.pk)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.QUEUED
    # Redelivered after it finished: nothing changes.
    assert submission_run_checks(submission.pk) == "skipped"
    assert submission.findings.count() == 1

    submission.status = SubmissionStatus.CHECKING
    submission.save()
    submission_run_checks(submission.pk)
    assert submission.findings.count() == 1  # replaced, not doubled

    services.submission_approve(submission=submission, moderator=moderator.user)
    assert submission_run_checks(submission.pk) == "skipped"
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PUBLISHED


def test_checks_of_a_submission_that_no_longer_exists_are_skipped(db):
    assert submission_run_checks(987654) == "skipped"


def test_checks_that_keep_failing_hand_the_submission_to_a_moderator(
    store, seller, make_submission, monkeypatch
):
    from moderation import tasks

    submission = make_submission(SubmissionStatus.CHECKING)

    def broken(**kwargs):
        raise RuntimeError("a check crashed")

    monkeypatch.setattr(tasks, "document_check", broken)
    for _ in range(2):
        with pytest.raises(RuntimeError):
            submission_run_checks(submission.pk)
        submission.refresh_from_db()
        assert submission.status == SubmissionStatus.CHECKING

    assert submission_run_checks(submission.pk) == "queued"
    assert list(submission.findings.values_list("check_name", "severity")) == [
        ("checks_failed", "warning")]


# --- QR codes, spelling and language -------------------------------------------------------


def photo(width: int = 1400, height: int = 600) -> Image.Image:
    """A busy banner: stripes and circles, nothing a reader could take for a code."""
    image = Image.new("RGB", (width, height), (30, 120, 90))
    draw = ImageDraw.Draw(image)
    for x in range(0, width, 40):
        draw.rectangle([x, 0, x + 20, height], fill=(240, 200, 40))
    for x in range(60, width, 180):
        draw.ellipse([x, 100, x + 120, 220], fill=(20, 20, 20))
    return image


def with_qr(image: Image.Image, content: str, *, at: tuple[int, int] = (1000, 150),
            scale: int = 6) -> Image.Image:
    code = io.BytesIO()
    segno.make(content, error="m").save(code, kind="png", scale=scale, border=4)
    code.seek(0)
    image = image.copy()
    image.paste(Image.open(code).convert("RGB"), at)
    return image


def save_asset(brand, image: Image.Image, name: str, *, fmt: str = "PNG") -> Asset:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **({"quality": 85} if fmt == "JPEG" else {}))
    asset = Asset(brand=brand, sha256=name, content_type=f"image/{fmt.lower()}",
                  width=image.width, height=image.height)
    asset.file.save(f"{name}.{fmt.lower()}", ContentFile(buffer.getvalue()), save=False)
    asset.save()
    return asset


def image_doc(store, asset: Asset, *, key: str = "t9") -> dict:
    return with_tile(store.draft, {"key": key, "type": "image",
                                   "config": {"asset": asset.pk, "alt": "Tents by the lake"}})


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_a_qr_code_in_an_image_is_blocking_and_names_what_it_points_to(store, seller, fmt):
    asset = save_asset(seller.brand, with_qr(photo(), "https://acme-deals.example/app"),
                       f"qr-{fmt}", fmt=fmt)

    findings = document_check(document=image_doc(store, asset), brand=seller.brand)

    assert [(f["check_name"], f["severity"], f["reason_code"], f["tile"]) for f in findings] == [
        ("qr_code", "blocking", "qr_code", "t9")]
    assert findings[0]["message"] == (
        f"Image {asset.pk} contains a QR code (https://acme-deals.example/app); QR codes are "
        "not allowed.")


def test_a_qr_code_in_a_gallery_image_and_a_phone_image_is_found_where_it_is_used(store,
                                                                                   seller):
    banner = save_asset(seller.brand, photo(), "banner")
    coded = save_asset(seller.brand, with_qr(photo(800, 800), "WIFI:S:acme;;", at=(40, 40)),
                       "coded")
    document = with_tile(store.draft, {"key": "t9", "type": "image", "config": {
        "asset": banner.pk, "alt": "Tents", "phone_asset": coded.pk}})
    document = with_tile(document, {"key": "t10", "type": "gallery", "config": {
        "images": [{"asset": banner.pk, "alt": "Tents"}, {"asset": coded.pk, "alt": "Lake"}]}})
    document["pages"][0]["sections"][-1]["key"] = "s10"

    findings = document_check(document=document, brand=seller.brand)

    assert found(findings) == {("qr_code", "blocking", "t9"), ("qr_code", "blocking", "t10")}


def test_a_video_posters_image_is_checked_but_needs_no_alt_text(store, seller):
    coded = save_asset(seller.brand, with_qr(photo(), "https://acme-deals.example/app"),
                       "poster-qr")
    clean = save_asset(seller.brand, photo(), "poster-clean")

    def video(poster):
        return with_tile(store.draft, {"key": "t9", "type": "video", "config": {
            "url": "https://www.youtube.com/watch?v=aqz-KE-bpKQ", "title": "A short film",
            "poster": poster.pk}})

    assert found(document_check(document=video(coded), brand=seller.brand)) == {
        ("qr_code", "blocking", "t9")}
    assert found(document_check(document=video(clean), brand=seller.brand)) == set()


def test_a_product_shot_with_a_barcode_but_no_qr_code_has_no_finding(store, seller):
    # A retail barcode on the packaging is not a QR code.
    ean = zxingcpp.create_barcode("4006381333931", zxingcpp.BarcodeFormat.EAN13)
    shot = photo()
    shot.paste(Image.fromarray(ean.to_image(scale=3)).convert("RGB"), (900, 200))
    plain = save_asset(seller.brand, shot, "plain")

    assert document_check(document=image_doc(store, plain), brand=seller.brand) == []


def test_a_qr_code_rejects_the_submission_with_the_qr_reason(
    store, seller, django_capture_on_commit_callbacks
):
    asset = save_asset(seller.brand, with_qr(photo(), "https://acme-deals.example/"), "qr")
    store.draft = image_doc(store, asset)
    store.save()
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.submission_create(store=store, user=seller.user)

    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.REJECTED
    assert list(submission.reasons.values_list("code", "tile")) == [("qr_code", "t9")]
    assert "contains a QR code" in mail.outbox[0].body


def test_typos_are_a_warning_listing_the_words_with_suggestions(store, seller):
    document = text_doc(store, "<h2>Autum on the trail</h2><p>Our lightweigt tents keep you "
                               "dry when the rain comes. Sizes are availble now. Sleep well, "
                               "wake up to the view: our tnets are ready.</p>")

    findings = document_check(document=document, brand=seller.brand)

    assert [(f["check_name"], f["severity"], f["reason_code"], f["tile"]) for f in findings] == [
        ("spelling", "warning", "typos", "t9")]
    assert findings[0]["message"] == ("Possible typos: Autum (autumn?), lightweigt "
                                      "(lightweight?), availble (available?), tnets (tents?).")


def test_typos_in_a_page_title_and_an_alt_text_are_found_where_they_are(store, seller):
    asset = save_asset(seller.brand, photo(), "banner")
    document = image_doc(store, asset)
    document["pages"][1]["title"] = "Tenst"
    document["pages"][0]["sections"][-1]["tiles"][0]["config"]["alt"] = "Two tents by a lkae"

    findings = document_check(document=document, brand=seller.brand)

    assert [(f["check_name"], f["page"], f["tile"], f["message"]) for f in findings] == [
        ("spelling", "p2", "", "Possible typos: Tenst (tents?)."),
        ("spelling", "home", "t9", "Possible typos: lkae (lake?)."),
    ]


def test_a_submission_with_typos_waits_for_a_moderator_with_the_hint(store, seller,
                                                                     make_submission):
    submission = make_submission(SubmissionStatus.CHECKING,
                                 document=text_doc(store, "Our tnets are waterproof."))

    assert submission_run_checks(submission.pk) == "queued"
    assert list(submission.findings.values_list("check_name", "severity", "message")) == [
        ("spelling", "warning", "Possible typos: tnets (tents?).")]


def test_shop_words_names_numbers_links_and_capitals_are_not_typos(store, seller,
                                                                   other_brand_owner):
    product = factories.ProductFactory(brand=seller.brand, title="Zephyrlite 2 Trekkingzelt")
    factories.ProductFactory(brand=other_brand_owner.brand, title="Quillmarsh pack")
    text = (f"<h2>Ultralight, waterproof, breathable</h2><p>The Zephyrlite packs into your "
            f"rucksack ({product.asin}, 1.2 kg, 2-person). Acme Outdoor's softshells, "
            "hoodies and the Trekkingzelt come in our favourite colours, with USB-C, "
            "Gore-Tex and YKK zips. See <a href='/stores/acme-outdoor/tents/'>all "
            "tents</a> or <a href='/dp/B000000001/'>this one</a> &ndash; don't wait, it's "
            "bestseller season at the storefront!</p>")

    assert document_check(document=text_doc(store, text), brand=seller.brand) == []
    # Another brand's product names are not this brand's words.
    findings = document_check(document=text_doc(store, "Meet the quillmarsh pack today."),
                              brand=seller.brand)
    assert [f["message"] for f in findings] == ["Possible typos: quillmarsh."]


ENGLISH = ("Our tents are light and waterproof. They stand up to strong wind and rain, so "
           "you sleep well in the mountains.")
GERMAN = ("Unsere Zelte sind leicht und wasserdicht. Sie halten auch bei starkem Wind und "
          "Regen, damit Sie in den Bergen gut schlafen können.")
SPANISH = ("Nuestras tiendas de campaña son ligeras e impermeables. Resisten el viento y la "
           "lluvia para que duermas bien en la montaña.")


@pytest.mark.parametrize(("text", "language"), [(GERMAN, "German"), (SPANISH, "Spanish")])
def test_a_paragraph_in_another_language_is_a_language_finding_not_typos(store, seller, text,
                                                                         language):
    findings = document_check(document=text_doc(store, f"<p>{text}</p>"), brand=seller.brand)

    assert [(f["check_name"], f["severity"], f["reason_code"], f["tile"]) for f in findings] == [
        ("language", "warning", "wrong_language", "t9")]
    assert findings[0]["message"].startswith(
        f"Text not in English (looks like {language}): \"{text[:20]}")


def test_an_english_paragraph_and_a_short_foreign_phrase_are_not_language_findings(store,
                                                                                    seller):
    assert document_check(document=text_doc(store, f"<p>{ENGLISH}</p>"),
                          brand=seller.brand) == []
    findings = document_check(document=text_doc(store, "<p>Ciao, amici!</p>"),
                              brand=seller.brand)
    assert "language" not in {f["check_name"] for f in findings}


@pytest.mark.parametrize("captions", [
    ["Unsere Zelte im Schnee", "Warm und trocken bei jedem Wetter"],
    ["Unsere Zelte im Schnee", "Warm und trocken"],
])
def test_short_captions_are_judged_with_the_rest_of_their_tile(store, seller, captions):
    first = save_asset(seller.brand, photo(), "first")
    second = save_asset(seller.brand, photo(1400, 700), "second")
    document = with_tile(store.draft, {"key": "t9", "type": "gallery", "config": {"images": [
        {"asset": first.pk, "alt": captions[0]}, {"asset": second.pk, "alt": captions[1]}]}})

    findings = document_check(document=document, brand=seller.brand)

    assert [(f["check_name"], f["tile"]) for f in findings] == [("language", "t9")]
    assert "looks like German" in findings[0]["message"]


def test_text_in_another_alphabet_is_a_language_finding(store, seller):
    text = "我们的帐篷轻巧防水，适合山地露营和徒步旅行。"
    findings = document_check(document=text_doc(store, f"<p>{text}</p>"), brand=seller.brand)

    assert [(f["check_name"], f["message"]) for f in findings] == [
        ("language", f"Text not in English (written in another alphabet): \"{text}\".")]


def test_the_themes_logo_and_banner_are_checked_like_tile_images(store, seller):
    """A QR code in the logo or a small banner is found Store-wide (no page or tile)."""
    logo = save_asset(seller.brand, with_qr(photo(800, 400), "https://acme-deals.example/app",
                                            at=(40, 40)), "qr-logo")
    banner = make_asset(seller.brand, 1000, 300)
    document = copy.deepcopy(store.draft)
    document["theme"] = {**document.get("theme", {}), "logo": logo.pk, "banner": banner.pk}

    findings = document_check(document=document, brand=seller.brand)

    assert {(f["check_name"], f["severity"], f["page"], f["tile"]) for f in findings} == {
        ("qr_code", "blocking", "", ""), ("image_resolution", "blocking", "", "")}
    assert any("a full-width image needs at least 1200 px" in f["message"] for f in findings)


def test_a_sharp_logo_without_alt_text_passes(store, seller):
    logo = make_asset(seller.brand, 600, 200)
    document = copy.deepcopy(store.draft)
    document["theme"] = {**document.get("theme", {}), "logo": logo.pk}

    assert document_check(document=document, brand=seller.brand) == []
