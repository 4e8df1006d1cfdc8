"""The content acceptance policy, in one place.

Every length limit of the Store document, where links may lead, which video hosts the
shopper page embeds, and the patterns of what brand text may not contain (contact details,
hashtags, social-media handles, prohibited terms). The builder's validation refuses at save
time what this policy can never accept; moderation's automated checks report the same
rules on a submitted version. Both ask this module, so they cannot disagree.
"""
from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.utils.translation import gettext_noop

from catalog.stored_texts import StoredText

# --- length limits (characters) ------------------------------------------------------------

STORE_NAME_MAX = 120
PAGE_TITLE_MAX = 60
PAGE_SLUG_MAX = 60
# A page's meta description (search results and shared links).
PAGE_DESCRIPTION_MAX = 300
KEY_MAX = 40
HEADING_MAX = 120  # a tile's title
ALT_TEXT_MAX = 250
BODY_TEXT_MAX = 3000  # the words of a text tile, without markup
RICH_TEXT_HTML_MAX = 5000  # the same text with its markup
URL_MAX = 300
KEYWORD_MAX = 60



def document_limits() -> dict[str, int]:
    """The limits an editor's inputs carry (e.g. as `maxlength`)."""
    return {"store_name": STORE_NAME_MAX, "page_title": PAGE_TITLE_MAX,
            "page_slug": PAGE_SLUG_MAX, "page_description": PAGE_DESCRIPTION_MAX,
            "key": KEY_MAX}


# --- links ----------------------------------------------------------------------------------


def link_allowed(url: str) -> bool:
    """A link in brand text may only stay inside the marketplace: a path on this site or
    an address on its own host. Anything else is a contact detail."""
    url = url.strip()
    if url.startswith(("/", "#")) and not url.startswith("//"):
        return True
    try:
        host = (urlsplit(url if "://" in url else f"http://{url}").hostname or "").lower()
    except ValueError:
        return False
    own = (urlsplit(settings.SITE_URL).hostname or "").lower()
    return bool(host) and host == own


# --- videos ---------------------------------------------------------------------------------

YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
VIMEO_ID = re.compile(r"^\d{6,12}$")
# The hosts whose addresses we turn into an embedded player (see stores.tiles.video).
YOUTUBE_HOSTS = frozenset({"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be",
                           "www.youtube-nocookie.com", "youtube-nocookie.com"})
VIMEO_HOSTS = frozenset({"vimeo.com", "www.vimeo.com", "player.vimeo.com"})


def parse_video_url(url: str) -> tuple[str, str] | None:
    """(provider, video id) for an https address of a video we embed, else None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme != "https":
        return None
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    if host in YOUTUBE_HOSTS:
        candidate = None
        if host == "youtu.be" and segments:
            candidate = segments[0]
        elif segments[:1] == ["watch"]:
            candidate = (parse_qs(parts.query).get("v") or [None])[0]
        elif len(segments) >= 2 and segments[0] in ("embed", "shorts", "live"):
            candidate = segments[1]
        if candidate and YOUTUBE_ID.match(candidate):
            return "youtube", candidate
        return None
    if host in VIMEO_HOSTS:
        if host == "player.vimeo.com":
            segments = segments[1:] if segments[:1] == ["video"] else []
        if segments and VIMEO_ID.match(segments[0]):
            return "vimeo", segments[0]
    return None


# --- what brand text may not contain -------------------------------------------------------

URL_RE = re.compile(r"(?:https?://|www\.)[^\s\"'<>]+", re.IGNORECASE)
BARE_DOMAIN_RE = re.compile(
    r"\b[a-z0-9][a-z0-9-]*\.(?:com|net|org|io|shop|store|info|biz|co|de|fr|uk|eu|nl)\b",
    re.IGNORECASE,
)
HREF_RE = re.compile(r"""href\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
TAG_RE = re.compile(r"<[^>]+>")
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE_RE = re.compile(r"(?<![\w])(?:\+|00)?\d[\d\s().-]{6,}\d(?![\w])")
PHONE_MIN_DIGITS = 8
HASHTAG_RE = re.compile(r"(?<![\w&#])#[^\W\d_][\w]*", re.UNICODE)
HANDLE_RE = re.compile(r"(?<![\w.@])@[A-Za-z0-9_]{2,30}\b")


def plain_text(text: str) -> str:
    """The words of a text as a shopper reads them: no markup, entities decoded."""
    return html.unescape(TAG_RE.sub(" ", text))


def hrefs(text: str) -> list[str]:
    """The link targets written in an HTML text."""
    return [html.unescape(h) for h in HREF_RE.findall(text)]


@functools.cache
def _prohibited_re(terms: tuple[str, ...]) -> re.Pattern | None:
    terms = tuple(t for t in terms if t)
    if not terms:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(t) for t in terms) + r")\b", re.IGNORECASE)


@dataclass(frozen=True, eq=False)
class Violation:
    """One way a text breaks the policy. `code` names the rule (the moderation check);
    `text` says how, translatable when it is read later (a stored finding)."""

    code: str
    text: StoredText

    @property
    def message(self) -> str:
        return str(self.text)


def text_violations(text: str, *, html: bool = False, limit: int | None = None
                    ) -> list[Violation]:
    """Every rule `text` breaks (each at most once), in a stable order."""
    found: list[Violation] = []
    plain = plain_text(text) if html else text
    if limit is not None and len(plain.strip()) > limit:
        found.append(Violation("text_length", StoredText(gettext_noop(
            "The text is %(length)s characters; the limit is %(limit)s."),
            length=len(plain.strip()), limit=limit)))
    links = (hrefs(text) if html else []) + URL_RE.findall(plain)
    without_urls = URL_RE.sub(" ", plain)
    without_emails = EMAIL_RE.sub(" ", without_urls)
    links += BARE_DOMAIN_RE.findall(without_emails)
    outside = sorted({u for u in links if not link_allowed(u)})
    if outside:
        found.append(Violation("outside_link", StoredText(gettext_noop(
            "Links that leave the marketplace are not allowed: %(links)s."),
            links=", ".join(outside))))
    emails = EMAIL_RE.findall(without_urls)
    if emails:
        found.append(Violation("email_address", StoredText(gettext_noop(
            "E-mail address in the text: %(found)s."), found=", ".join(emails))))
    phones = [p.strip() for p in PHONE_RE.findall(without_emails)
              if sum(c.isdigit() for c in p) >= PHONE_MIN_DIGITS]
    if phones:
        found.append(Violation("phone_number", StoredText(gettext_noop(
            "Phone number in the text: %(found)s."), found=", ".join(phones))))
    hashtags = HASHTAG_RE.findall(without_urls)
    if hashtags:
        found.append(Violation("hashtag", StoredText(gettext_noop(
            "Hashtags are not allowed: %(found)s."), found=", ".join(hashtags))))
    handles = HANDLE_RE.findall(without_emails)
    if handles:
        found.append(Violation("social_handle", StoredText(gettext_noop(
            "Social-media handles are not allowed: %(found)s."), found=", ".join(handles))))
    prohibited = _prohibited_re(tuple(settings.MODERATION_PROHIBITED_TERMS))
    terms = sorted({m.lower() for m in prohibited.findall(plain)}) if prohibited else []
    if terms:
        found.append(Violation("prohibited_terms", StoredText(gettext_noop(
            "Prohibited terms: %(found)s."), found=", ".join(terms))))
    return found


def text_refusal(text: str, *, html: bool = False, limit: int | None = None
                 ) -> Violation | None:
    """The first rule `text` breaks (what a save is refused with), or None."""
    found = text_violations(text, html=html, limit=limit)
    return found[0] if found else None


# --- images ------------------------------------------------------------------------------

# Minimum width of a page's full-width (hero) image, and of any other tile image.
HERO_MIN_WIDTH = 1200
TILE_MIN_WIDTH = 600
# A section with this layout and a single tile shows its image across the page.
FULL_WIDTH_LAYOUTS = frozenset({"full"})


# The header shows the logo at up to 240 CSS pixels: sharp on a 2x screen from 480.
LOGO_MIN_WIDTH = 480


def image_min_width(*, may_be_hero: bool, layout: str, tiles_in_section: int) -> int:
    hero = may_be_hero and layout in FULL_WIDTH_LAYOUTS and tiles_in_section == 1
    return HERO_MIN_WIDTH if hero else TILE_MIN_WIDTH


def theme_image_min_width(name: str) -> int:
    """The theme's banner spans the page like a hero image; the logo sits in the header."""
    return HERO_MIN_WIDTH if name == "banner" else LOGO_MIN_WIDTH
