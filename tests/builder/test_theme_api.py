"""The Store theme through the draft API: saved in its normal form, wrong values refused
with their place and reason (nothing saved), old accent-only documents unchanged; and
GET /api/v1/store-theme/, the builder's contrast warnings."""
from __future__ import annotations

import copy

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from stores.assets import asset_create
from tests.builder.test_api import assert_draft_unchanged, draft_url, png_bytes


def logo_of(actor, color=(20, 40, 120)):
    upload = SimpleUploadedFile("logo.png", png_bytes((600, 200), color),
                                content_type="image/png")
    return asset_create(brand=actor.brand, upload=upload, user=actor.user)


def test_a_full_theme_is_saved_in_its_normal_form(seller, store, client_for):
    logo, banner = logo_of(seller), logo_of(seller, color=(200, 120, 40))
    document = copy.deepcopy(store.draft)
    document["theme"] = {"logo": logo.pk, "banner": banner.pk, "accent_color": "#FFD200",
                         "background_color": "#1A1A2E", "font_pairing": "editorial"}

    response = client_for(seller).put(draft_url(store), {**document, "revision": 3},
                                      format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["theme"] == {
        "logo": logo.pk, "banner": banner.pk, "accent_color": "#ffd200",
        "background_color": "#1a1a2e", "font_pairing": "editorial"}
    store.refresh_from_db()
    assert store.draft["theme"]["accent_color"] == "#ffd200"


def test_an_accent_only_theme_and_defaults_stay_as_they_were(seller, store, client_for):
    document = copy.deepcopy(store.draft)
    document["theme"] = {"accent_color": "#0a7d5a", "background_color": "#ffffff",
                         "font_pairing": "system", "logo": None, "banner": None}

    response = client_for(seller).put(draft_url(store), {**document, "revision": 3},
                                      format="json")

    assert response.status_code == 200
    assert response.json()["theme"] == {"accent_color": "#0a7d5a"}


BAD_THEMES = [
    ({"accent_color": "#12345"}, "accent_color", "invalid_color"),
    ({"accent_color": "green"}, "accent_color", "invalid_color"),
    ({"background_color": 255}, "background_color", "invalid_color"),
    ({"font_pairing": "comic-sans"}, "font_pairing", "invalid_choice"),
    ({"logo": "logo.png"}, "logo", "invalid_asset"),
    ({"logo": True}, "logo", "invalid_asset"),
    ({"banner": 987654}, "banner", "unknown_asset"),
    ({"css": "body{display:none}"}, "css", "unknown_field"),
]


@pytest.mark.parametrize(("theme", "field", "code"), BAD_THEMES,
                         ids=[f"{f}-{c}" for _, f, c in BAD_THEMES])
def test_a_wrong_theme_value_gets_400_with_its_field_and_changes_nothing(
        theme, field, code, seller, store, client_for):
    saved = copy.deepcopy(store.draft)
    document = copy.deepcopy(store.draft)
    document["theme"] = {"accent_color": "#0a7d5a", **theme}

    response = client_for(seller).put(draft_url(store), {**document, "revision": 3},
                                      format="json")

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(e["path"], e["field"], e["code"]) for e in errors] == [
        (f"theme.{field}", field, code)]
    assert errors[0]["message"]
    assert_draft_unchanged(store, saved, 3)


def test_another_brands_image_cannot_be_the_logo(seller, store, other_brand_owner, client_for):
    theirs = logo_of(other_brand_owner)
    document = copy.deepcopy(store.draft)
    document["theme"] = {"accent_color": "#0a7d5a", "logo": theirs.pk}

    response = client_for(seller).put(draft_url(store), {**document, "revision": 3},
                                      format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "unknown_asset"


def test_theme_must_be_an_object(seller, store, client_for):
    document = {**copy.deepcopy(store.draft), "theme": ["#0a7d5a"]}
    response = client_for(seller).put(draft_url(store), {**document, "revision": 3},
                                      format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == "theme"


def test_the_builder_reads_the_fields_and_the_contrast_of_its_colours(seller, client_for):
    client = client_for(seller)
    answer = client.get("/api/v1/store-theme/",
                        {"accent_color": "#ffd200", "background_color": "#ffffff"}).json()

    assert [f["name"] for f in answer["fields"]] == [
        "logo", "banner", "accent_color", "background_color", "font_pairing"]
    assert [f["kind"] for f in answer["fields"]][:2] == ["image", "image"]
    checks = {c["code"]: c for c in answer["contrast"]}
    assert checks["links_on_background"]["passes"] is False
    assert checks["links_on_background"]["ratio"] < 4.5
    assert "hard to read" in checks["links_on_background"]["message"]
    assert checks["text_on_background"]["passes"] is True
    # What shoppers get instead: dark text on the yellow buttons.
    assert answer["look"]["--sf-on-accent"] == "#0f1111"
    assert {p["value"] for p in answer["font_pairings"]} == {
        "system", "classic", "editorial", "modern"}

    fine = client.get("/api/v1/store-theme/", {"accent_color": "#0a7d5a"}).json()
    assert all(c["passes"] and not c["message"] for c in fine["contrast"])


def test_the_contrast_warnings_speak_dutch(seller, client_for):
    from catalog.models import UserPreferences

    UserPreferences.objects.update_or_create(user=seller.user, defaults={"language": "nl"})
    client = client_for(seller)
    answer = client.get("/api/v1/store-theme/", {"accent_color": "#ffd200"}).json()
    low = next(c for c in answer["contrast"] if not c["passes"])
    assert "lezen" in low["message"]


@pytest.mark.parametrize("query", [{"accent_color": "red"}, {"background_color": "#fff"},
                                   {"font_pairing": "papyrus"}])
def test_wrong_colours_for_the_contrast_check_get_400(seller, client_for, query):
    response = client_for(seller).get("/api/v1/store-theme/", query)
    assert response.status_code == 400
    assert next(iter(query)) in str(response.json())


def test_the_theme_api_needs_a_sign_in(client_for, db):
    assert client_for().get("/api/v1/store-theme/").status_code in (401, 403)


def test_a_new_logo_is_high_risk_and_the_review_shows_it(seller, store):
    from django.utils import timezone

    from moderation.diff import document_diff
    from moderation.triage import Risk, classify

    logo = logo_of(seller)
    live = copy.deepcopy(store.draft)
    submitted = copy.deepcopy(live)
    submitted["theme"] = {"accent_color": "#111111", "logo": logo.pk}
    result = classify(document=submitted, live=live, brand=seller.brand, store_id=store.pk,
                      now=timezone.now())
    assert result.risk == Risk.HIGH
    assert {"code": "new_image", "where": "theme"} in result.reasons

    details = {d.name: d for d in document_diff(live, submitted).store_details}
    assert details["accent_color"].label == "Theme: Accent colour"
    assert (details["accent_color"].before, details["accent_color"].after) == (
        "#0a7d5a", "#111111")
    assert details["logo"].kind == "image" and details["logo"].after == logo.pk
