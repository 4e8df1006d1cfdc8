"""Automated checks of a submitted Store document, run before a moderator sees it.

`document_check(document=..., brand=...)` walks the pages, sections and tiles and returns
findings (dicts ready for CheckFinding). Blocking findings reject the submission at once.
Every check is a small function; reading images uses Pillow on the Asset file (each image
is decoded once, for its quality and for QR codes, which zxing-cpp reads). Spelling and
language use pyspellchecker's word list for the Store's marketplace language.
"""
from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import zxingcpp
from django.conf import settings
from PIL import Image, ImageStat, UnidentifiedImageError
from spellchecker import SpellChecker

from catalog.models import Product
from stores.models import Asset

from .models import CheckFinding, ReasonCode

BLOCKING = CheckFinding.Severity.BLOCKING
WARNING = CheckFinding.Severity.WARNING

# Minimum image width per slot: a full-width (hero) image, any other tile image.
HERO_MIN_WIDTH = 1200
TILE_MIN_WIDTH = 600
FULL_WIDTH_LAYOUTS = {"full", "full_width", "hero"}
# Mean luminance quantiser above this is roughly JPEG quality < 50: visibly blocky.
JPEG_COARSE_QUANTISER = 60.0
# Images are searched for QR codes at up to this many pixels a side: a code a shopper could
# scan from a screen stays readable; bigger images are scaled down first (speed).
QR_SCAN_MAX_SIDE = 2000
# Text limits by config field; anything else is body text.
TEXT_LIMITS = {"title": 120, "headline": 120, "heading": 120, "subtitle": 200,
               "caption": 300, "alt": 250, "label": 80, "button": 40}
BODY_TEXT_LIMIT = 3000
PAGE_TITLE_LIMIT = 60
# Config fields that are not text a shopper reads.
NON_TEXT_KEYS = {"asset", "asin", "asins", "mode", "sort", "layout", "type", "key", "limit",
                 "hide_out_of_stock", "rule", "category", "x", "y", "url", "provider",
                 "video_id", "align", "color", "accent_color", "style", "variant", "size",
                 "phone_asset", "page"}
VIDEO_HOSTS = {"youtube.com", "www.youtube.com", "youtu.be", "www.youtube-nocookie.com",
               "youtube-nocookie.com", "vimeo.com", "player.vimeo.com"}

URL_RE = re.compile(r"(?:https?://|www\.)[^\s\"'<>]+", re.IGNORECASE)
BARE_DOMAIN_RE = re.compile(
    r"\b[a-z0-9][a-z0-9-]*\.(?:com|net|org|io|shop|store|info|biz|co|de|fr|uk|eu)\b",
    re.IGNORECASE,
)
HREF_RE = re.compile(r"""href\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
TAG_RE = re.compile(r"<[^>]+>")
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE_RE = re.compile(r"(?<![\w])(?:\+|00)?\d[\d\s().-]{6,}\d(?![\w])")
HASHTAG_RE = re.compile(r"(?<![\w&#])#[^\W\d_][\w]*", re.UNICODE)
HANDLE_RE = re.compile(r"(?<![\w.@])@[A-Za-z0-9_]{2,30}\b")


@dataclass(frozen=True)
class Place:
    page: str = ""
    section: str = ""
    tile: str = ""
    tile_type: str = ""
    layout: str = ""
    tiles_in_section: int = 0


def _finding(place: Place, check: str, severity: str, reason: str, message: str) -> dict:
    return {"check_name": check, "severity": severity, "reason_code": reason,
            "page": place.page, "section": place.section, "tile": place.tile,
            "message": message}


def _tiles(document: dict) -> Iterator[tuple[Place, dict]]:
    for page in document.get("pages") or []:
        for section in page.get("sections") or []:
            tiles = [t for t in section.get("tiles") or [] if isinstance(t, dict)]
            for tile in tiles:
                yield Place(
                    page=str(page.get("key", "")), section=str(section.get("key", "")),
                    tile=str(tile.get("key", "")), tile_type=str(tile.get("type", "")),
                    layout=str(section.get("layout", "")), tiles_in_section=len(tiles),
                ), tile.get("config") or {}


def _walk(value: Any, key: str = "") -> Iterator[tuple[str, Any, Any]]:
    """(key, value, parent) for every value nested in a tile config."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield k, v, value
            yield from _walk(v, k)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict | list):
                yield from _walk(item, key)


# --- pages -------------------------------------------------------------------------------


def check_pages(document: dict) -> list[dict]:
    findings = []
    pages = document.get("pages") or []
    if not pages:
        findings.append(_finding(Place(), "empty_page", BLOCKING, ReasonCode.OTHER,
                                 "The Store has no pages."))
    for page in pages:
        place = Place(page=str(page.get("key", "")))
        tiles = [t for s in page.get("sections") or [] for t in s.get("tiles") or []]
        if not tiles:
            findings.append(_finding(
                place, "empty_page", BLOCKING, ReasonCode.OTHER,
                f"The page \"{page.get('title', '')}\" has no tiles: shoppers would see an "
                "empty page.",
            ))
        title = str(page.get("title") or "")
        if len(title) > PAGE_TITLE_LIMIT:
            findings.append(_finding(
                place, "text_length", BLOCKING, ReasonCode.OTHER,
                f"The page title is {len(title)} characters; the limit is {PAGE_TITLE_LIMIT}.",
            ))
        findings.extend(_text_findings(place, "title", title))
    return findings


# --- text --------------------------------------------------------------------------------


def _plain(text: str) -> str:
    return html.unescape(TAG_RE.sub(" ", text))


def _allowed_link(url: str) -> bool:
    if url.startswith(("/", "#")) and not url.startswith("//"):
        return True
    host = (urlparse(url if "://" in url else f"http://{url}").hostname or "").lower()
    own = (urlparse(settings.SITE_URL).hostname or "").lower()
    return bool(host) and host == own


def _prohibited_re() -> re.Pattern | None:
    terms = [t for t in settings.MODERATION_PROHIBITED_TERMS if t]
    if not terms:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(t) for t in terms) + r")\b", re.IGNORECASE)


def _text_findings(place: Place, key: str, raw: str) -> list[dict]:
    findings = []
    text = _plain(raw)
    limit = TEXT_LIMITS.get(key, BODY_TEXT_LIMIT)
    if place.tile and len(text.strip()) > limit:
        findings.append(_finding(
            place, "text_length", BLOCKING, ReasonCode.OTHER,
            f"The {key} is {len(text.strip())} characters; the limit is {limit}.",
        ))
    links = HREF_RE.findall(raw) + URL_RE.findall(text)
    outside = [u for u in links if not _allowed_link(u)]
    without_urls = URL_RE.sub(" ", text)
    without_emails = EMAIL_RE.sub(" ", without_urls)
    outside += [d for d in BARE_DOMAIN_RE.findall(without_emails) if not _allowed_link(d)]
    if outside:
        findings.append(_finding(
            place, "outside_link", BLOCKING, ReasonCode.CONTACT_DETAILS,
            f"Links that leave the marketplace: {', '.join(sorted(set(outside)))}.",
        ))
    emails = EMAIL_RE.findall(without_urls)
    if emails:
        findings.append(_finding(place, "email_address", BLOCKING, ReasonCode.CONTACT_DETAILS,
                                 f"E-mail address in the text: {', '.join(emails)}."))
    phones = [p for p in PHONE_RE.findall(without_emails) if sum(c.isdigit() for c in p) >= 8]
    if phones:
        findings.append(_finding(place, "phone_number", BLOCKING, ReasonCode.CONTACT_DETAILS,
                                 "Phone number in the text: "
                                 f"{', '.join(p.strip() for p in phones)}."))
    hashtags = HASHTAG_RE.findall(without_urls)
    if hashtags:
        findings.append(_finding(place, "hashtag", BLOCKING, ReasonCode.HASHTAGS,
                                 f"Hashtags are not allowed: {', '.join(hashtags)}."))
    handles = HANDLE_RE.findall(without_emails)
    if handles:
        findings.append(_finding(place, "social_handle", BLOCKING, ReasonCode.SOCIAL_HANDLES,
                                 f"Social-media handles are not allowed: {', '.join(handles)}."))
    prohibited = _prohibited_re()
    terms = sorted({m.lower() for m in prohibited.findall(text)}) if prohibited else []
    if terms:
        findings.append(_finding(place, "prohibited_terms", BLOCKING,
                                 ReasonCode.NOT_FAMILY_FRIENDLY,
                                 f"Prohibited terms: {', '.join(terms)}."))
    return findings


def check_text(document: dict) -> list[dict]:
    findings = _text_findings(Place(), "name", str(document.get("name") or ""))
    for place, config in _tiles(document):
        for key, value, _parent in _walk(config):
            if isinstance(value, str) and key not in NON_TEXT_KEYS:
                findings.extend(_text_findings(place, key, value))
        if place.tile_type == "video":
            url = str(config.get("url") or "")
            host = (urlparse(url).hostname or "").lower()
            if url and host not in VIDEO_HOSTS:
                findings.append(_finding(
                    place, "outside_link", BLOCKING, ReasonCode.CONTACT_DETAILS,
                    f"Videos come from YouTube or Vimeo only, not {host or url}.",
                ))
    return findings


# --- spelling and language -------------------------------------------------------------

# Words shops use every day that the spelling dictionary does not know.
# (Their plurals in -s/-es are known too.)
SHOP_WORDS = frozenset("""
    activewear airfryer aluminium app athleisure baselayer bikepacking bivvy bivy bouldering
    cashback checkout compostable cookset crewneck drawcord earbuds ebike ebook ecommerce
    firestarter footbox giftable glamping hardshell homeware hoodie jewellery keto midlayer
    midsole midweight multitool onesie online overlanding paraben paracord powerbank pre
    preorder pyjamas quickdry ripstop signup sitewide skincare smartphone smartwatch softshell
    spork stackable stovetop storewide superfood superlight sweatproof ultralight ultrasoft
    unboxing upcycled vanlife waterproof wicking wifi wishlist
""".split())
# British spellings of words the dictionary knows in their American form.
BRITISH_SPELLINGS = (
    (re.compile(r"our"), "or"),  # colour, favourite
    (re.compile(r"is(e|ed|es|ing|ation|ations|er|ers)$"), r"iz\1"),  # organise(d)
    (re.compile(r"yse(d|s)?$"), r"yze\1"),  # analyse
    (re.compile(r"([^aeiou])re(s|d)?$"), r"\1er\2"),  # centre, fibre
    (re.compile(r"ogue(s)?$"), r"og\1"),  # catalogue
    (re.compile(r"ll(ed|ing|er|ers)$"), r"l\1"),  # travelled
    (re.compile(r"ence$"), "ense"),  # defence, licence
    (re.compile(r"mme(s)?$"), r"m\1"),  # programme
)
# The most common words of each language the language check can name. Words that are
# also common English words are left out of the others ("is", "as", "no", "a", "in").
FUNCTION_WORDS = {
    "en": frozenset("the and of to with for our your you this that from is are it we will "
                    "have has be by at into every each their they these those more which "
                    "what when how all just".split()),
    "de": frozenset("und der die das ist sind nicht mit für auf ein eine einen dem den des zu "
                    "von sie wir ihr ihre unsere unser auch bei im sich noch nur oder aber wie "
                    "wenn mehr dass werden wird zum zur über aus nach jetzt".split()),
    "fr": frozenset("le la les et est des du un une pour dans avec sur pas nos notre vous "
                    "votre vos qui que ce cette sont au aux en plus par il elle ils elles "
                    "très".split()),
    "es": frozenset("el la los las y es de del en un una para con por que nuestro nuestra "
                    "nuestros nuestras su sus al más se lo como son muy este esta todo "
                    "todos".split()),
    "it": frozenset("il lo la gli le e è di del della dei delle un una per con che non sono "
                    "nostro nostra nostre nostri al alla nel nella più anche come questo "
                    "questa".split()),
    "nl": frozenset("de het een en van zijn niet met voor op te dat die ons onze je jouw uw "
                    "ook bij naar maar wij ze zo nog deze dit worden wordt".split()),
    "pt": frozenset("o os e é de do da dos das um uma para com por que não nosso nossa "
                    "nossos nossas em na mais seu sua são muito".split()),
}
LANGUAGE_NAMES = {"en": "English", "de": "German", "fr": "French", "es": "Spanish",
                  "it": "Italian", "nl": "Dutch", "pt": "Portuguese", "lv": "Latvian",
                  "eu": "Basque", "ru": "Russian", "ar": "Arabic", "fa": "Persian"}
LATIN_SCRIPT_LANGUAGES = {"en", "de", "fr", "es", "it", "nl", "pt", "lv", "eu"}
# Shorter texts are not judged: a few words ("Merino Basics", "Hola!") prove nothing.
LANGUAGE_MIN_WORDS = 6
# Under this share of words in the marketplace's dictionary a text is not in its language;
# under the second, it is when another language's common words outnumber its own.
LANGUAGE_KNOWN_MIN = 0.5
LANGUAGE_KNOWN_DOUBT = 0.8
SPELLING_MIN_LENGTH = 3
# Longer runs of letters are not words (and not typos): other checks look at such text.
SPELLING_MAX_LENGTH = 30
TYPOS_LISTED = 10
# Config fields with words that shoppers never read as text.
NOT_SPELLED_KEYS = NON_TEXT_KEYS | {"keyword"}

TOKEN_RE = re.compile(r"[\w'’-]+")
INLINE_TAG_RE = re.compile(r"</?(?:a|b|strong|em|i|u)\b[^>]*>", re.IGNORECASE)


def _marketplace_language() -> str:
    return settings.LANGUAGE_CODE.split("-")[0].lower()


@functools.cache
def _dictionary(language: str) -> SpellChecker | None:
    """The word list of `language` (loaded once per process, ~0.4 s); None if there is none."""
    try:
        checker = SpellChecker(language=language, distance=1)
    except ValueError:
        return None
    if language == "en":
        checker.word_frequency.load_words(SHOP_WORDS)
    return checker


# Languages that write compounds as one word (weekendwandelingen, Wanderschuhe): a word
# made of two known words, optionally joined by a linking s/e/en, is not a typo.
COMPOUNDING_LANGUAGES = {"nl", "de"}
COMPOUND_PART_MIN = 3
COMPOUND_LINKS = ("", "s", "e", "en", "n")


def _compound(checker: SpellChecker, word: str) -> bool:
    for cut in range(COMPOUND_PART_MIN, len(word) - COMPOUND_PART_MIN + 1):
        head, tail = word[:cut], word[cut:]
        if tail not in checker and not any(
                tail.endswith(end) and tail[:-len(end)] in checker for end in ("en", "s")):
            continue
        if any(head.endswith(link) and len(head) - len(link) >= COMPOUND_PART_MIN
               and head[:len(head) - len(link)] in checker for link in COMPOUND_LINKS):
            return True
    return False


def _known(checker: SpellChecker, language: str, word: str) -> bool:
    if word in checker:
        return True
    if language == "nl":
        # Accents only stress a word in Dutch: één, vóór, dé.
        plain = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()
        if plain != word and plain in checker:
            return True
    if language in COMPOUNDING_LANGUAGES:
        return _compound(checker, word)
    if language != "en":
        return False
    if word[:-1] in SHOP_WORDS or word[:-2] in SHOP_WORDS:  # softshells, wifis
        return True
    plain = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()
    if plain != word and plain in checker:  # naïve, émigré: English loanwords
        return True
    return any(
        (variant := pattern.sub(repl, word)) != word and variant in checker
        for pattern, repl in BRITISH_SPELLINGS
    )


def _words(raw: str) -> list[str]:
    """The words of a text as written: no markup, links, e-mails, handles, hashtags; no
    tokens with digits (prices, sizes, ASINs); hyphenated words split; possessives cut."""
    text = _plain(INLINE_TAG_RE.sub("", raw))
    for pattern in (URL_RE, EMAIL_RE, BARE_DOMAIN_RE, HASHTAG_RE, HANDLE_RE):
        text = pattern.sub(" ", text)
    words = []
    for token in TOKEN_RE.findall(text.replace("’", "'")):
        if any(c.isdigit() or c == "_" for c in token):
            continue
        for part in token.split("-"):
            part = part.strip("'")
            if part.lower().endswith("'s"):
                part = part[:-2]
            if part:
                words.append(part)
    return words


def _judged(word: str) -> bool:
    """Acronyms (USB, XL) and product-style names (GoPro, iPhone) are not judged."""
    return not any(c.isupper() for c in word[1:])


class _Vocabulary:
    """The marketplace dictionary plus the brand's own words, which are only read from the
    catalogue when a text has a word the dictionary does not know."""

    def __init__(self, language: str, checker: SpellChecker, document: dict, brand):
        self.language = language
        self.checker = checker
        self.brand = brand
        self._names = " ".join([brand.name, str(document.get("name") or "")])
        self._brand_words: set[str] | None = None

    def brand_words(self) -> set[str]:
        if self._brand_words is None:
            titles = Product.objects.filter(brand=self.brand).values_list("title", flat=True)
            self._brand_words = {
                w.lower() for text in [self._names, *titles] for w in _words(text)
            }
        return self._brand_words

    def unknown(self, words: list[str]) -> list[str]:
        """Words (as written) that neither the dictionary nor the brand knows."""
        unknown = [w for w in words if not _known(self.checker, self.language, w.lower())]
        if unknown:
            own = self.brand_words()
            unknown = [w for w in unknown if w.lower() not in own]
        return unknown

    def suggestion(self, word: str) -> str | None:
        candidates = self.checker.candidates(word.lower()) or set()
        candidates.discard(word.lower())
        # Two swapped letters first ("tnets": tents, not nets), then the most frequent word;
        # ties by spelling, so the message is always the same.
        letters = sorted(word.lower())
        return min(candidates, key=lambda c: (sorted(c) != letters, -self.checker[c], c)) \
            if candidates else None


def _foreign_language(vocabulary: _Vocabulary, text: str, words: list[str]) -> str | None:
    """Why `text` is clearly not in the marketplace's language ("looks like German"); None
    when it is, or when it is too short to say."""
    language = vocabulary.language
    own_name = LANGUAGE_NAMES.get(language, language)
    letters = [c for c in text if c.isalpha()]
    if language in LATIN_SCRIPT_LANGUAGES and len(letters) >= 20 \
            and sum(ord(c) > 0x24F for c in letters) > len(letters) / 2:
        return "written in another alphabet"
    judged = [w for w in words if _judged(w)]
    if len(judged) < LANGUAGE_MIN_WORDS:
        return None
    known_share = 1 - len(vocabulary.unknown(judged)) / len(judged)
    if known_share >= LANGUAGE_KNOWN_DOUBT:
        return None
    lowered = [w.lower() for w in judged]
    hits = {code: sum(w in common for w in lowered) for code, common in FUNCTION_WORDS.items()}
    own_hits = hits.pop(language, 0)
    best = min(hits, key=lambda code: (-hits[code], code)) if hits else None
    likely = best is not None and hits[best] >= 2 and hits[best] > own_hits
    if likely:
        return f"looks like {LANGUAGE_NAMES[best]}"
    if known_share < LANGUAGE_KNOWN_MIN:
        return f"{round(100 * (1 - known_share))} % of its words are not {own_name}"
    return None


def _texts(document: dict) -> Iterator[tuple[Place, str]]:
    """(place, text) for every text shoppers read: page titles and tile texts."""
    for page in document.get("pages") or []:
        if page.get("title"):
            yield Place(page=str(page.get("key", ""))), str(page["title"])
    for place, config in _tiles(document):
        for key, value, _parent in _walk(config):
            if isinstance(value, str) and value.strip() and key not in NOT_SPELLED_KEYS:
                yield place, value


def check_language(document: dict, *, brand, language: str | None = None) -> list[dict]:
    """Typos (a hint for the moderator) and text that is not in the marketplace's language.

    Brand and product names, words in capitals, numbers and links are never typos. Each
    place (page or tile) gets at most one finding of each kind. `language`: the Store's
    marketplace language (ISO 639-1), by default the site's.
    """
    language = (language or _marketplace_language()).split("-")[0].lower()
    checker = _dictionary(language)
    if checker is None:
        return []
    vocabulary = _Vocabulary(language, checker, document, brand)
    texts: dict[Place, list[str]] = {}
    for place, text in _texts(document):
        texts.setdefault(place, []).append(text)
    findings = []
    for place, values in texts.items():
        foreign: list[tuple[str, str]] = []
        suspects: list[str] = []
        short: list[str] = []
        for value in values:
            words = _words(value)
            if len(words) < LANGUAGE_MIN_WORDS:
                short.append(value)
                suspects.extend(words)
                continue
            why = _foreign_language(vocabulary, _plain(value), words)
            if why:
                foreign.append((why, value))
            else:
                suspects.extend(words)
        if short:
            # Texts too short to judge alone (captions, titles) are judged with the rest of
            # their page or tile.
            joined = " ".join(values)
            why = _foreign_language(vocabulary, _plain(joined), _words(joined))
            if why:
                foreign.append((why, " / ".join(short)))
                short_words = {w for value in short for w in _words(value)}
                suspects = [w for w in suspects if w not in short_words]
        if foreign:
            why, value = foreign[0]
            findings.append(_finding(
                place, "language", WARNING, ReasonCode.WRONG_LANGUAGE,
                f"Text not in {LANGUAGE_NAMES.get(language, language)} ({why}): "
                f"\"{_shorten(_plain(value), 80)}\".",
            ))
        typos = _typos(vocabulary, suspects)
        if typos:
            findings.append(_finding(place, "spelling", WARNING, ReasonCode.TYPOS,
                                     f"Possible typos: {typos}."))
    return findings


def _typos(vocabulary: _Vocabulary, words: list[str]) -> str:
    first: dict[str, str] = {}  # one entry per word whatever its case, in text order
    for w in words:
        if SPELLING_MIN_LENGTH <= len(w) <= SPELLING_MAX_LENGTH and _judged(w):
            first.setdefault(w.lower(), w)
    candidates = list(first.values())
    listed = []
    for word in vocabulary.unknown(candidates):
        suggestion = vocabulary.suggestion(word)
        # A capitalised unknown word is a name (a place, a fabric) unless it is one letter
        # away from a known word.
        if word[0].isupper() and suggestion is None:
            continue
        listed.append(f"{word} ({suggestion}?)" if suggestion else word)
    more = len(listed) - TYPOS_LISTED
    return ", ".join(listed[:TYPOS_LISTED]) + (f" and {more} more" if more > 0 else "")


# --- images ------------------------------------------------------------------------------


def _image_slots(document: dict) -> Iterator[tuple[Place, dict, int]]:
    """(place, the dict holding "asset", minimum width) for every image in every tile."""
    for place, config in _tiles(document):
        hero = place.layout in FULL_WIDTH_LAYOUTS and place.tiles_in_section == 1
        if "asset" in config:
            yield place, config, HERO_MIN_WIDTH if hero else TILE_MIN_WIDTH
        if config.get("poster"):
            # The video tile's poster: decorative (its title is shown as text), so it
            # needs no alt text, but it is checked like every other image.
            yield place, {"asset": config["poster"], "decorative": True}, TILE_MIN_WIDTH
        if config.get("phone_asset"):
            # The image tile's optional phone variant shares the tile's alt text.
            yield place, {"asset": config["phone_asset"], "alt": config.get("alt")}, \
                TILE_MIN_WIDTH
        for key, value, _parent in _walk(config):
            if key not in ("asset", "phone_asset", "poster") and isinstance(value, dict) \
                    and "asset" in value:
                yield place, value, TILE_MIN_WIDTH
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, dict) and "asset" in item:
                        yield place, item, TILE_MIN_WIDTH


def _jpeg_quantiser_mean(image: Image.Image) -> float | None:
    tables = getattr(image, "quantization", None)
    if not tables:
        return None
    luminance = tables.get(0)
    return sum(luminance) / len(luminance) if luminance else None


@dataclass(frozen=True)
class ImageFacts:
    """What one decode of an image tells the checks."""

    width: int
    height: int
    quantiser: float | None
    spread: float
    qr_codes: tuple[str, ...]


def _read_image(asset: Asset) -> ImageFacts | None:
    """Decode the image once, in greyscale, at most QR_SCAN_MAX_SIDE px a side (JPEGs are
    decoded at a reduced scale straight away); None when it cannot be read."""
    try:
        with asset.file.open("rb") as handle, Image.open(handle) as image:
            width, height = image.size
            quantiser = _jpeg_quantiser_mean(image)
            image.draft("L", (QR_SCAN_MAX_SIDE, QR_SCAN_MAX_SIDE))
            grey = image.convert("L")
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        return None
    grey.thumbnail((QR_SCAN_MAX_SIDE, QR_SCAN_MAX_SIDE))
    spread = ImageStat.Stat(grey.resize((64, 64))).stddev[0]
    # QR symbology only (Micro QR and rMQR included): barcodes on product shots are fine.
    codes = zxingcpp.read_barcodes(grey, formats=zxingcpp.BarcodeFormat.QRCode)
    return ImageFacts(width=width, height=height, quantiser=quantiser, spread=spread,
                      qr_codes=tuple(code.text for code in codes))


def check_images(document: dict, *, brand) -> list[dict]:
    findings = []
    slots = list(_image_slots(document))
    ids = {slot["asset"] for _, slot, _ in slots if isinstance(slot.get("asset"), int)}
    assets = Asset.objects.in_bulk(ids)
    # An image used in several tiles (or as its own phone variant) is decoded once.
    facts: dict[int, ImageFacts | None] = {}
    for place, slot, min_width in slots:
        if not slot.get("decorative") and not str(slot.get("alt") or "").strip():
            findings.append(_finding(place, "missing_alt", BLOCKING, ReasonCode.OTHER,
                                     "An image has no alt text (shoppers using screen readers "
                                     "need it)."))
        asset = assets.get(slot.get("asset"))
        if asset is None or asset.brand_id != brand.pk:
            findings.append(_finding(place, "image_missing", BLOCKING, ReasonCode.OTHER,
                                     f"Image {slot.get('asset')!r} is not one of the brand's "
                                     "uploaded images."))
            continue
        if asset.pk not in facts:
            facts[asset.pk] = _read_image(asset)
        findings.extend(_image_findings(place, asset, facts[asset.pk], min_width))
    return findings


def _image_findings(place: Place, asset: Asset, facts: ImageFacts | None,
                    min_width: int) -> list[dict]:
    if facts is None:
        return [_finding(place, "image_unreadable", BLOCKING, ReasonCode.LOW_QUALITY_IMAGE,
                         f"Image {asset.pk} cannot be read.")]
    findings = []
    width, height = facts.width, facts.height
    if width < min_width:
        slot = "a full-width image" if min_width == HERO_MIN_WIDTH else "a tile image"
        findings.append(_finding(
            place, "image_resolution", BLOCKING, ReasonCode.LOW_QUALITY_IMAGE,
            f"Image {asset.pk} is {width}×{height} px; {slot} needs at least {min_width} px "
            "width.",
        ))
    if facts.quantiser is not None and facts.quantiser > JPEG_COARSE_QUANTISER:
        findings.append(_finding(
            place, "image_quality", WARNING, ReasonCode.LOW_QUALITY_IMAGE,
            f"Image {asset.pk} is heavily compressed (blocky JPEG); check it looks sharp.",
        ))
    if facts.spread < 2.0:
        findings.append(_finding(place, "image_quality", WARNING, ReasonCode.LOW_QUALITY_IMAGE,
                                 f"Image {asset.pk} is almost a single colour."))
    if facts.qr_codes:
        # A decoded QR code is certain (its error correction checks out), so it rejects
        # like the other contact details do.
        contents = ", ".join(_shorten(text, 80) for text in facts.qr_codes)
        findings.append(_finding(place, "qr_code", BLOCKING, ReasonCode.QR_CODE,
                                 f"Image {asset.pk} contains a QR code ({contents}); QR codes "
                                 "are not allowed."))
    return findings


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- products ----------------------------------------------------------------------------


def check_products(document: dict, *, brand) -> list[dict]:
    wanted: list[tuple[Place, str]] = []
    for place, config in _tiles(document):
        for key, value, _parent in _walk(config):
            if key == "asin" and isinstance(value, str):
                wanted.append((place, value))
            elif key == "asins" and isinstance(value, list):
                wanted.extend((place, v) for v in value if isinstance(v, str))
    products = {
        p.asin: p for p in Product.objects.filter(asin__in={a for _, a in wanted})
        .only("asin", "brand_id", "is_active")
    }
    findings = []
    for place, asin in wanted:
        product = products.get(asin)
        if product is None or product.brand_id != brand.pk:
            findings.append(_finding(place, "foreign_product", BLOCKING,
                                     ReasonCode.NOT_BRAND_PRODUCTS,
                                     f"{asin} is not a product of {brand.name}."))
        elif not product.is_active:
            findings.append(_finding(place, "inactive_product", WARNING,
                                     ReasonCode.NOT_BRAND_PRODUCTS,
                                     f"{asin} is not sold on the marketplace (inactive)."))
    return findings


def document_check(*, document: dict, brand, language: str | None = None) -> list[dict]:
    """All findings for a Store document of `brand` (blocking first); text is checked
    against `language`, the Store's marketplace language."""
    findings = (
        check_pages(document)
        + check_text(document)
        + check_language(document, brand=brand, language=language)
        + check_images(document, brand=brand)
        + check_products(document, brand=brand)
    )
    return sorted(findings, key=lambda f: f["severity"] != BLOCKING)
