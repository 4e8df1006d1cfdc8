"""Spelling and language: typos (a hint for the moderator) and text that is not in the
marketplace's language. Spelling uses pyspellchecker's word list for the marketplace
language (the Store's marketplace's; by default the site's); the texts are the page
titles and what each tile declares as text shoppers read (`TileType.texts`)."""
from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator

from django.conf import settings
from django.utils.translation import gettext_noop
from spellchecker import SpellChecker

from catalog.models import Product
from catalog.stored_texts import StoredText
from stores.content_policy import (
    BARE_DOMAIN_RE,
    EMAIL_RE,
    HANDLE_RE,
    HASHTAG_RE,
    URL_RE,
    plain_text,
)
from stores.documents import iter_pages

from ..models import ReasonCode
from .base import WARNING, Place, finding, shorten, tiles

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
# Message ids: a finding names the language in its reader's language (catalog.stored_texts).
LANGUAGE_NAMES = {"en": gettext_noop("English"), "de": gettext_noop("German"),
                  "fr": gettext_noop("French"), "es": gettext_noop("Spanish"),
                  "it": gettext_noop("Italian"), "nl": gettext_noop("Dutch"),
                  "pt": gettext_noop("Portuguese"), "lv": gettext_noop("Latvian"),
                  "eu": gettext_noop("Basque"), "ru": gettext_noop("Russian"),
                  "ar": gettext_noop("Arabic"), "fa": gettext_noop("Persian")}


def _language_name(code: str) -> StoredText | str:
    return StoredText(LANGUAGE_NAMES[code]) if code in LANGUAGE_NAMES else code
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
    text = plain_text(INLINE_TAG_RE.sub("", raw))
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


def _foreign_language(vocabulary: _Vocabulary, text: str, words: list[str]
                      ) -> StoredText | None:
    """Why `text` is clearly not in the marketplace's language ("looks like German"); None
    when it is, or when it is too short to say."""
    language = vocabulary.language
    letters = [c for c in text if c.isalpha()]
    if language in LATIN_SCRIPT_LANGUAGES and len(letters) >= 20 \
            and sum(ord(c) > 0x24F for c in letters) > len(letters) / 2:
        return StoredText(gettext_noop("written in another alphabet"))
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
        return StoredText(gettext_noop("looks like %(language)s"),
                          language=_language_name(best))
    if known_share < LANGUAGE_KNOWN_MIN:
        return StoredText(gettext_noop("%(share)s %% of its words are not %(language)s"),
                          share=round(100 * (1 - known_share)),
                          language=_language_name(language))
    return None


def _texts(document: dict) -> Iterator[tuple[Place, str]]:
    """(place, text) for every text shoppers read: page titles and what tiles declare."""
    for page in iter_pages(document):
        if page.get("title"):
            yield Place(page=str(page.get("key") or "")), str(page["title"])
    for place, at, tile_type in tiles(document):
        for text in tile_type.texts(at.config):
            if text.value.strip():
                yield place, text.value


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
        foreign: list[tuple[StoredText, str]] = []
        suspects: list[str] = []
        short: list[str] = []
        for value in values:
            words = _words(value)
            if len(words) < LANGUAGE_MIN_WORDS:
                short.append(value)
                suspects.extend(words)
                continue
            why = _foreign_language(vocabulary, plain_text(value), words)
            if why:
                foreign.append((why, value))
            else:
                suspects.extend(words)
        if short:
            # Texts too short to judge alone (captions, titles) are judged with the rest of
            # their page or tile.
            joined = " ".join(values)
            why = _foreign_language(vocabulary, plain_text(joined), _words(joined))
            if why:
                foreign.append((why, " / ".join(short)))
                short_words = {w for value in short for w in _words(value)}
                suspects = [w for w in suspects if w not in short_words]
        if foreign:
            why, value = foreign[0]
            findings.append(finding(
                place, "language", WARNING, ReasonCode.WRONG_LANGUAGE,
                StoredText(gettext_noop("Text not in %(language)s (%(why)s): \"%(text)s\"."),
                           language=_language_name(language), why=why,
                           text=shorten(plain_text(value), 80)),
            ))
        typos = _typos(vocabulary, suspects)
        if typos:
            findings.append(finding(place, "spelling", WARNING, ReasonCode.TYPOS,
                                     typos))
    return findings


def _typos(vocabulary: _Vocabulary, words: list[str]) -> StoredText | None:
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
    if not listed:
        return None
    more = len(listed) - TYPOS_LISTED
    shown = ", ".join(listed[:TYPOS_LISTED])
    if more > 0:
        return StoredText(gettext_noop("Possible typos: %(words)s and %(more)s more."),
                          words=shown, more=more)
    return StoredText(gettext_noop("Possible typos: %(words)s."), words=shown)


