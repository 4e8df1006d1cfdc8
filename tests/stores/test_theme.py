"""The Store theme: WCAG contrast maths (stores/theme.py) and what shoppers get from it:
the theme stylesheet, the logo in the header and as icon, the banner on the home page, on
sub-pages, product pages reached from the Store and the Store's 404."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stores.theme import (
    AA_MINIMUM,
    contrast_ratio,
    look_from_token,
    parse_hex,
    readable_on,
    readable_shade,
    relative_luminance,
    theme_look,
    to_hex,
)
from tests.documents import home_document, section, tile

colours = st.tuples(*[st.integers(0, 255)] * 3).map(to_hex)


# --- the maths ------------------------------------------------------------------------------


def test_known_contrast_ratios():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#0a7d5a", "#ffffff") > AA_MINIMUM
    assert relative_luminance("#FFFFFF") == pytest.approx(1)
    assert relative_luminance("000000") == 0


@given(colours, colours)
def test_contrast_is_symmetric_and_between_1_and_21(first, second):
    ratio = contrast_ratio(first, second)
    assert 1 <= ratio <= 21.0001
    assert ratio == pytest.approx(contrast_ratio(second, first))
    assert contrast_ratio(first, first) == pytest.approx(1)


@given(colours)
def test_some_text_colour_always_reads_on_any_background(background):
    assert contrast_ratio(readable_on(background), background) >= AA_MINIMUM


@given(colours, colours)
def test_a_readable_shade_of_any_accent_reads_on_any_background(accent, background):
    shade = readable_shade(accent, background)
    assert contrast_ratio(shade, background) >= AA_MINIMUM
    if contrast_ratio(accent, background) >= AA_MINIMUM:
        assert shade == accent  # the brand's own colour when it already reads


@given(colours)
def test_hex_colours_parse_back_to_themselves(colour):
    assert to_hex(parse_hex(colour)) == colour
    assert to_hex(parse_hex(colour.upper().lstrip("#"))) == colour


@given(st.text(max_size=9))
def test_anything_else_is_not_a_colour(text):
    if parse_hex(text) is not None:
        assert len(text.lstrip("#")) == 6


@given(colours, colours, st.sampled_from(["system", "classic", "editorial", "modern"]))
def test_a_look_survives_its_stylesheet_name(accent, background, fonts):
    look = theme_look({"theme": {"accent_color": accent, "background_color": background,
                                 "font_pairing": fonts}})
    again = look_from_token(look.token)
    assert (again.accent, again.background, again.fonts.key) == (accent, background, fonts)
    variables = look.css_variables()
    for text, behind in [("--sf-page-ink", "--sf-page-bg"), ("--sf-page-muted", "--sf-page-bg"),
                         ("--sf-accent-text", "--sf-page-bg"), ("--sf-on-accent", "--sf-accent")]:
        assert contrast_ratio(variables[text], variables[behind]) >= AA_MINIMUM


def test_an_old_or_malformed_theme_reads_as_the_default():
    assert theme_look({"theme": {"accent_color": "#0a7d5a"}}).token == "0a7d5a"
    assert theme_look({"theme": "red"}).accent == "#0a7d5a"
    assert theme_look({}).logo is None
    assert theme_look({"theme": {"logo": True, "font_pairing": "x"}}).fonts.key == "system"


# --- shopper pages ----------------------------------------------------------------------------


def themed(make_asset, **theme):
    logo, banner = make_asset(size=(600, 200), name="logo.png"), make_asset(name="banner.png")
    text = "<p>Hello <a href='/dp/B100000000/'>tent</a></p>"
    document = home_document(section("s1", tile("t1", "text", html=text)),
                             pages=[{"key": "tents", "parent": "home", "slug": "tents",
                                     "title": "Tents", "sections": [section(
                                         "ts1", tile("tt1", "text", html="<p>Tents</p>"))]}])
    document["theme"] = {"accent_color": "#ffd200", "background_color": "#1a1a2e",
                         "font_pairing": "classic", "logo": logo.pk, "banner": banner.pk,
                         **theme}
    return document, logo, banner


def test_a_themed_store_shows_its_logo_banner_colours_and_icon(client, make_store, make_asset):
    document, logo, banner = themed(make_asset)
    make_store(document)

    html = client.get("/stores/acme-outdoor/").content.decode()

    assert 'href="/stores/_theme/ffd200-1a1a2e-classic.css"' in html
    assert f'href="/stores/_icon/logo-{logo.pk}-64.png" type="image/png"' in html
    assert f'href="/stores/_icon/logo-{logo.pk}-180.png"' in html
    header = html[html.index('<header class="store-header"'):html.index("</header>")]
    assert 'alt="Acme Outdoor"' in header and 'class="store-header__logo"' in header
    assert 'href="/stores/acme-outdoor/"' in header and 'width="' in header
    assert 'class="store-banner"' in html and "srcset=" in html
    sub = client.get("/stores/acme-outdoor/tents/").content.decode()
    assert 'class="store-header__logo"' in sub and 'class="store-banner"' not in sub

    css = client.get("/stores/_theme/ffd200-1a1a2e-classic.css").content.decode()
    assert "--sf-page-bg: #1a1a2e;" in css and "--sf-page-ink: #ffffff;" in css
    assert "--sf-on-accent: #0f1111;" in css and "Georgia" in css
    icon = client.get(f"/stores/_icon/logo-{logo.pk}-180.png")
    assert icon["Content-Type"] == "image/png" and icon.content[:4] == b"\x89PNG"
    assert "immutable" in icon["Cache-Control"]
    assert client.get(f"/stores/_icon/logo-{logo.pk}-65.png").status_code == 404
    assert client.get("/stores/_icon/logo-99999-64.png").status_code == 404
    assert client.get("/stores/_theme/ffd200-1a1a2e-papyrus.css").status_code == 404


def test_the_theme_follows_the_shopper_to_the_404_and_the_product_page(
        client, make_store, make_asset, products):
    document, logo, _banner = themed(make_asset)
    make_store(document)

    missing = client.get("/stores/acme-outdoor/no-such-page/")
    assert missing.status_code == 404
    body = missing.content.decode()
    assert "ffd200-1a1a2e-classic.css" in body and 'alt="Acme Outdoor"' in body

    product = client.get(f"/dp/{products[0].asin}/",
                         HTTP_REFERER="http://testserver/stores/acme-outdoor/").content.decode()
    assert "ffd200-1a1a2e-classic.css" in product and "dp-header--store" in product
    assert 'alt="Acme Outdoor"' in product
    assert f"/stores/_icon/logo-{logo.pk}-64.png" in product


def test_an_accent_only_store_keeps_its_initial_icon_and_short_stylesheet(client, make_store):
    make_store(home_document(section("s1", tile("t1", "text", html="<p>Hi</p>"))))
    html = client.get("/stores/acme-outdoor/").content.decode()
    assert 'href="/stores/_theme/0a7d5a.css"' in html
    assert 'href="/stores/_icon/0a7d5a-A.svg" type="image/svg+xml"' in html
    assert "store-banner" not in html and "store-header__logo" not in html
