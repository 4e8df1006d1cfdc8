"""Rich text as stored: HTML sanitised by an allow-list.

Decision on unsafe HTML: elements that carry code or foreign content (`script`, `style`,
`iframe`, `object`, `embed`, `form`…) are *refused* with an error that names them, so the
brand knows their text would not show as typed. Everything else outside the allow-list
(unknown tags, event-handler and style attributes, `javascript:` links) is removed by the
sanitiser and the cleaned HTML is what is stored. The stored HTML is always nh3's output.
"""
from __future__ import annotations

from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "h2", "h3", "h4", "ul", "ol",
                "li", "blockquote", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
REFUSED_TAGS = {"script", "style", "iframe", "object", "embed", "form", "input", "button",
                "textarea", "select", "link", "meta", "base", "frame", "frameset", "svg",
                "math", "template", "noscript"}


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
