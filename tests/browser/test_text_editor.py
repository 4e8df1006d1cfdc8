"""The text tile's formatted-text editor in real Chromium: a brand owner writes and formats
text with a toolbar (no HTML), pastes from a word processor without bringing its junk along,
and the shopper sees exactly the formatting the server kept."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import page_errors, welcome_store
from tests.browser.test_builder import open_editor, sign_in, wait_saved

pytestmark = pytest.mark.browser

# What Google Docs and Word put on the clipboard, plus what an attacker would add: a script,
# styles everywhere, an event handler and a javascript: link.
RICH_PASTE = (
    '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-7f3a">'
    '<p dir="ltr" style="line-height:1.38;margin-top:0pt">'
    '<span style="font-size:11pt;font-family:Arial;color:#ff0000;font-weight:700">Pitch</span>'
    '<span style="font-size:11pt;color:#000000"> in minutes.</span></p>'
    "<script>window.pastedScriptRan = true</script>"
    '<p class="MsoNormal" style="color:red" onclick="window.pastedScriptRan = true">Read the '
    '<a href="javascript:window.pastedScriptRan = true">manual</a> or the '
    '<a href="/stores/acme-outdoor/care/" style="color:blue">care guide</a>.</p></b>'
)


@pytest.fixture
def shop(transactional_db, seller):
    """The seller's Store: a home page with one text tile (t1), a heading."""
    return welcome_store(seller)


def paste_html(locator, html: str) -> None:
    """Ctrl+V with `html` on the clipboard. Chromium's own clipboard writer would already
    strip the script, so the raw HTML is handed over as a word processor would."""
    locator.evaluate(
        """(area, html) => {
          const data = new DataTransfer();
          data.setData("text/html", html);
          data.setData("text/plain", "plain fallback");
          area.focus();
          area.dispatchEvent(new ClipboardEvent(
            "paste", { clipboardData: data, bubbles: true, cancelable: true }));
        }""",
        html,
    )


def open_text_tile(page):
    page.click("#layers [data-tile=t1] .tile-name")
    editor = page.get_by_role("textbox", name="Text", exact=True)
    expect(editor).to_be_visible()
    return editor


def stored_html(store) -> str:
    store.refresh_from_db()
    return store.draft["pages"][0]["sections"][0]["tiles"][0]["config"]["html"]


def test_a_brand_owner_formats_text_with_the_toolbar_and_pastes_without_junk(
        live_server, browser, shop, artifacts_dir):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    errors = page_errors(page)
    sign_in(page, live_server.url)
    open_editor(page, live_server.url, shop)
    editor = open_text_tile(page)
    assert editor.get_attribute("aria-multiline") == "true"
    # The stored heading shows as a heading, not as markup.
    expect(editor.locator("h2")).to_have_text("Welcome")

    # Type a sentence, then make one word bold with the toolbar.
    editor.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Delete")
    page.click("button[aria-label=Paragraph]")
    page.keyboard.type("Our tents are light and strong.")
    page.keyboard.press("Home")
    for _ in range(len("Our tents are ")):
        page.keyboard.press("ArrowRight")
    for _ in range(len("light")):
        page.keyboard.press("Shift+ArrowRight")
    bold = page.get_by_role("button", name="Bold")
    expect(bold).to_have_attribute("aria-pressed", "false")
    bold.click()
    expect(editor.locator("strong, b")).to_have_text("light")
    expect(bold).to_have_attribute("aria-pressed", "true")

    # A bulleted list from the toolbar; Enter on an empty item ends it.
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    bullets = page.get_by_role("button", name="Bulleted list")
    bullets.click()
    expect(bullets).to_have_attribute("aria-pressed", "true")
    page.keyboard.type("Waterproof")
    page.keyboard.press("Enter")
    page.keyboard.type("Two doors")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    expect(bullets).to_have_attribute("aria-pressed", "false")

    # Paste from a word processor: the text and its emphasis come, the junk does not.
    paste_html(editor, RICH_PASTE)
    expect(editor).to_contain_text("Pitch in minutes.")
    expect(editor).to_contain_text("Read the manual or the care guide.")
    assert editor.locator("script, [style], [class], [onclick], span, meta").count() == 0
    assert editor.locator("a").count() == 1  # the javascript: link lost its link
    assert page.evaluate("() => window.pastedScriptRan === undefined")

    page.click("#save-now")
    wait_saved(page)
    html = stored_html(shop)
    assert html == (
        "<p>Our tents are <strong>light</strong> and strong.</p>"
        "<ul><li>Waterproof</li><li>Two doors</li></ul>"
        "<p><strong>Pitch</strong> in minutes.</p>"
        '<p>Read the manual or the <a href="/stores/acme-outdoor/care/" '
        'rel="noopener noreferrer nofollow ugc">care guide</a>.</p>'
    )
    page.screenshot(path=str(artifacts_dir / "text-editor-1280.png"))
    page.locator("#settings").screenshot(path=str(artifacts_dir / "text-editor-panel-1280.png"))

    # After a reload the editor shows the same formatting, read back from the server, and
    # saves nothing more.
    saved = page.locator("#save-status").inner_text()
    page.reload()
    page.wait_for_selector("#editor.is-ready")
    editor = open_text_tile(page)
    expect(editor.locator("strong")).to_have_text(["light", "Pitch"])
    expect(editor.locator("ul > li")).to_have_text(["Waterproof", "Two doors"])
    expect(page.locator("#save-status")).to_have_text(saved)

    # What shoppers will see: the canvas shows the saved draft as the shopper page does.
    tile = page.frame_locator("#canvas-frame").locator("[data-tile=t1]")
    expect(tile.locator("strong")).to_have_text(["light", "Pitch"])
    expect(tile.locator("ul > li")).to_have_text(["Waterproof", "Two doors"])
    expect(tile.locator("a")).to_have_attribute("href", "/stores/acme-outdoor/care/")
    assert tile.locator("script, [style], [class*=Mso], [onclick]").count() == 0
    assert "javascript" not in tile.inner_html()

    page.set_viewport_size({"width": 390, "height": 844})
    editor.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / "text-editor-390.png"), full_page=True)
    page.locator("#settings").screenshot(path=str(artifacts_dir / "text-editor-panel-390.png"))
    assert errors == []
    context.close()


def test_links_shortcuts_and_the_html_view_keep_the_server_rules(
        live_server, browser, shop, artifacts_dir):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    sign_in(page, live_server.url)
    open_editor(page, live_server.url, shop)
    editor = open_text_tile(page)

    # Keyboard only: a new paragraph, Ctrl+B and Ctrl+I on the words just typed.
    editor.locator("h2").click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("Tents for every trail")
    for _ in range(len("trail")):
        page.keyboard.press("Shift+ArrowLeft")
    page.keyboard.press("ControlOrMeta+b")
    page.keyboard.press("ControlOrMeta+i")
    expect(editor.locator("strong em, b i, em strong, i b")).to_have_text("trail")
    expect(page.get_by_role("button", name="Italic")).to_have_attribute("aria-pressed", "true")

    # A link with a scheme other than http(s) is refused, with the reason.
    page.once("dialog", lambda dialog: dialog.accept("javascript:alert(1)"))
    page.get_by_role("button", name="Link", exact=True).click()
    expect(page.locator(".rte-note")).to_contain_text("links to other sites are not allowed")
    assert editor.locator("a").count() == 0
    # A page of the Store is fine (relative links are the server's rule too).
    page.once("dialog", lambda dialog: dialog.accept("/stores/acme-outdoor/"))
    page.keyboard.press("ControlOrMeta+k")
    expect(editor.locator("a")).to_have_attribute("href", "/stores/acme-outdoor/")
    link_button = page.get_by_role("button", name="Link", exact=True)
    expect(link_button).to_have_attribute("aria-pressed", "true")
    wait_saved(page)
    assert '<a href="/stores/acme-outdoor/" rel="noopener noreferrer nofollow ugc">' in (
        stored_html(shop))
    # Editing the link: the prompt offers the address; another site is refused (the content
    # policy never accepts it); an empty answer removes the link and keeps the words.
    offered = []

    def answer(text):
        def reply(dialog):
            offered.append(dialog.default_value)
            dialog.accept(text)
        return reply

    page.once("dialog", answer("www.example.com"))
    link_button.click()
    expect(page.locator(".rte-note")).to_contain_text("links to other sites are not allowed")
    expect(editor.locator("a")).to_have_attribute("href", "/stores/acme-outdoor/")
    page.once("dialog", answer(""))
    link_button.click()
    expect(editor.locator("a")).to_have_count(0)
    assert offered == ["/stores/acme-outdoor/", "/stores/acme-outdoor/"]
    expect(editor.locator("strong em, b i, em strong, i b")).to_have_text("trail")

    # At a caret, Ctrl+B and Ctrl+I say how the next letters come out; the buttons show it.
    bold = page.get_by_role("button", name="Bold")
    italic = page.get_by_role("button", name="Italic")
    page.keyboard.press("End")
    expect(bold).to_have_attribute("aria-pressed", "true")  # the end of "trail"
    page.keyboard.press("ControlOrMeta+b")
    page.keyboard.press("ControlOrMeta+i")
    expect(bold).to_have_attribute("aria-pressed", "false")
    expect(italic).to_have_attribute("aria-pressed", "false")
    page.keyboard.type(". Made ")
    page.keyboard.press("ControlOrMeta+b")
    page.keyboard.press("ControlOrMeta+i")
    expect(bold).to_have_attribute("aria-pressed", "true")
    page.keyboard.type("here")
    page.keyboard.press("ControlOrMeta+b")
    page.keyboard.press("ControlOrMeta+i")
    page.keyboard.type(" in Norway.")
    wait_saved(page)
    # (Chrome nests bold and italic either way round.)
    html = stored_html(shop).replace("<em><strong>", "<strong><em>").replace(
        "</strong></em>", "</em></strong>")
    assert html == (
        "<h2>Welcome</h2><p>Tents for every <strong><em>trail</em></strong>. Made "
        "<strong><em>here</em></strong> in Norway.</p>")

    # The HTML view: what the server refuses is reported next to the field, as before.
    html_button = page.get_by_role("button", name="Edit as HTML")
    html_button.click()
    expect(html_button).to_have_attribute("aria-pressed", "true")
    source = page.get_by_label("Text (HTML)")
    expect(source).to_be_focused()
    expect(page.get_by_role("button", name="Bold")).to_be_disabled()
    source.fill('<h2>Welcome</h2><p>Hi</p><iframe src="https://example.com/x"></iframe>')
    field = page.locator("#settings .field-html")
    expect(field.locator(".error-list")).to_contain_text("may not contain <iframe>")
    expect(page.locator("#save-status")).to_have_text("Not saved: 1 value to fix")
    # The view survives the panel being redrawn with the error.
    expect(page.get_by_label("Text (HTML)")).to_be_visible()
    page.locator("#settings").screenshot(path=str(artifacts_dir / "text-editor-html-error.png"))
    assert "Hi" not in stored_html(shop)

    # Back in the editor the iframe is gone, and the text saves.
    html_button.click()
    expect(html_button).to_have_attribute("aria-pressed", "false")
    expect(editor).to_be_visible()
    wait_saved(page)
    expect(field.locator(".error-list")).to_have_count(0)
    assert stored_html(shop) == "<h2>Welcome</h2><p>Hi</p>"
    context.close()


def test_emptying_the_text_is_noted_next_to_it_and_typing_goes_on_where_it_was(
        live_server, browser, shop):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    sign_in(page, live_server.url)
    open_editor(page, live_server.url, shop)
    editor = open_text_tile(page)

    editor.locator("h2").click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Delete")
    # Saved as it is (a draft may be incomplete); the field and the tile say what is missing.
    field = page.locator("#settings .field-html")
    expect(field.locator(".field-note")).to_have_text("To complete: Write some text.")
    expect(page.locator("#layers [data-tile=t1] .layer-problem.is-incomplete")).to_contain_text(
        "Write some text.")
    expect(editor).to_be_focused()
    # The caret is still in the text: typing goes on there, across the next redraws.
    page.keyboard.type("Tents for two")
    wait_saved(page)
    expect(field.locator(".field-note")).to_have_count(0)
    expect(page.locator("#layers [data-tile=t1] .layer-problem.is-incomplete")).to_have_count(0)
    page.keyboard.type(" or four")
    page.keyboard.press("ControlOrMeta+z")  # the browser's own undo still works
    expect(editor).not_to_contain_text("or four")
    page.keyboard.press("ControlOrMeta+Shift+z")
    expect(editor).to_have_text("Tents for two or four")
    wait_saved(page)
    # Nothing redrew the text under the caret: the words went on in the block it was in.
    assert stored_html(shop) == "<h2>Tents for two or four</h2>"
    context.close()


WORD_PASTE = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>'
    "<style>p.MsoNormal { margin: 0; color: red }</style></head><body lang=EN-GB>"
    "<!--StartFragment--><p class=MsoNormal><b style='mso-bidi-font-weight:normal'>"
    "<span lang=EN-US style='font-size:14pt'>Waterproof</span></b>"
    "<span lang=EN-US> to 3000 mm<o:p></o:p></span></p>\r\n"
    "<p class=MsoNormal><i><span style='color:#C00000'>Packs small</span></i></p>"
    "<!--EndFragment--></body></html>"
)
DOCS_LIST_PASTE = (
    '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-5e1c">'
    '<ul style="margin-top:0;margin-bottom:0;padding-inline-start:48px;">'
    '<li dir="ltr" style="list-style-type:disc;font-size:11pt;" aria-level="1">'
    '<p dir="ltr" style="line-height:1.38;" role="presentation">'
    '<span style="font-size:11pt;font-weight:400;">Two doors</span></p></li>'
    '<li dir="ltr" style="list-style-type:disc;" aria-level="1"><p dir="ltr" role="presentation">'
    '<span style="font-weight:700;font-style:italic;">Light</span></p></li></ul></b>'
)


@pytest.mark.parametrize(("source", "pasted", "stored"), [
    ("word", WORD_PASTE,
     "<p><strong>Waterproof</strong> to 3000 mm</p><p><em>Packs small</em></p>"),
    ("google docs", DOCS_LIST_PASTE,
     "<ul><li>Two doors</li><li><strong><em>Light</em></strong></li></ul>"),
    ("plain text", None, "<p>Line one<br>Line two</p><p>A new paragraph</p>"),
])
def test_pasting_keeps_only_the_formatting_shoppers_may_see(
        live_server, browser, shop, source, pasted, stored):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    sign_in(page, live_server.url)
    open_editor(page, live_server.url, shop)
    editor = open_text_tile(page)
    editor.locator("h2").click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Delete")
    page.click("button[aria-label=Paragraph]")
    if pasted is None:
        editor.evaluate(
            """(area) => {
              const data = new DataTransfer();
              data.setData("text/plain", "Line one\\nLine two\\n\\nA new paragraph\\n");
              area.dispatchEvent(new ClipboardEvent(
                "paste", { clipboardData: data, bubbles: true, cancelable: true }));
            }""")
    else:
        paste_html(editor, pasted)
    assert editor.locator("[style], [class], [lang], [dir], span, o\\:p").count() == 0
    wait_saved(page)
    assert stored_html(shop) == stored, source
    context.close()
