"""Text tile: a short rich text, sanitised by an allow-list.

Decision on unsafe HTML: elements that carry code or foreign content (`script`, `style`,
`iframe`, `object`, `embed`, `form`…) are *refused* with an error that names them, so the
brand knows their text would not show as typed. Everything else outside the allow-list
(unknown tags, event-handler and style attributes, `javascript:` links) is removed by the
sanitiser and the cleaned HTML is what is stored. The stored HTML is always nh3's output.
"""
from __future__ import annotations

from html.parser import HTMLParser
from typing import TYPE_CHECKING

import nh3

from .base import ConfigReader, TileType

if TYPE_CHECKING:
    from stores.rendering import PageCatalog

MAX_HTML = 5000
ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "h2", "h3", "h4", "ul", "ol",
                "li", "blockquote", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
REFUSED_TAGS = {"script", "style", "iframe", "object", "embed", "form", "input", "button",
                "textarea", "select", "link", "meta", "base", "frame", "frameset", "svg",
                "math", "template", "noscript"}
ALIGNS = ("start", "center")


class _TagLister(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.add(tag)


def refused_tags(html: str) -> list[str]:
    lister = _TagLister()
    lister.feed(html)
    lister.close()
    return sorted(lister.tags & REFUSED_TAGS)


def sanitise(html: str) -> str:
    """The allow-list: headings, paragraphs, emphasis, lists, quotes and http(s) links."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer nofollow ugc",
        strip_comments=True,
    ).strip()


class TextTile(TileType):
    name = "text"
    label = "Text"
    description = "A heading and a few paragraphs, lists or quotes."

    def default_config(self) -> dict:
        return {"html": "<h2>Our story</h2><p>Tell shoppers what your brand stands for.</p>",
                "align": "start"}

    def clean(self, reader: ConfigReader) -> dict:
        html = reader.config.get("html")
        align = reader.choice("align", ALIGNS, "start")
        if not isinstance(html, str) or not html.strip():
            reader.error("html", "required", "Write some text.")
            return {"html": "", "align": align}
        if len(html) > MAX_HTML:
            reader.error("html", "too_long", f"Text is at most {MAX_HTML} characters of HTML.")
            return {"html": "", "align": align}
        refused = refused_tags(html)
        if refused:
            names = ", ".join(f"<{tag}>" for tag in refused)
            reader.error("html", "unsafe_html",
                         f"Text may not contain {names}: only headings, paragraphs, emphasis, "
                         "lists, quotes and links are allowed.")
            return {"html": "", "align": align}
        cleaned = sanitise(html)
        if not cleaned:
            reader.error("html", "required", "Write some text.")
        return {"html": cleaned, "align": align}

    def context(self, config: dict, catalog: PageCatalog) -> dict:
        # Sanitised again at render time: a document stored before a rule change stays safe.
        html = sanitise(config.get("html") or "")
        return {"html": html, "empty": not html}
