"""Classifying a shopper page view: bot or not, the traffic source, the device hash.

Source: the `channel` query parameter (lower-cased, letters/digits/`-_.` only, at most
40 characters), else the referrer's kind: `direct` (no referrer), `search`, `social`,
`external`. A referrer on this site inside the same Store is internal navigation: the
view keeps the visitor's previous source of that day (`direct` if none).
"""
from __future__ import annotations

import hashlib
import hmac
import re
from datetime import UTC, datetime
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings

MAX_TAG_LENGTH = 40
MAX_ID_LENGTH = 64
INTERNAL = ""  # source of internal navigation, resolved by the rollup

# Lower-case substrings of known crawlers, link previewers and scripted clients.
BOT_TOKENS = ("bot", "crawl", "spider", "slurp", "scrape", "fetch", "preview", "headless",
              "phantom", "lighthouse", "monitor", "pingdom", "facebookexternalhit",
              "embedly", "curl", "wget", "python-", "httpx", "aiohttp", "okhttp", "java/",
              "go-http", "libwww", "axios", "node-fetch", "postman", "insomnia")
SEARCH_HOSTS = ("google.", "bing.", "duckduckgo.", "yahoo.", "yandex.", "baidu.",
                "ecosia.", "qwant.", "startpage.", "search.brave.")
SOCIAL_HOSTS = ("facebook.", "fb.", "instagram.", "t.co", "twitter.", "x.com",
                "pinterest.", "linkedin.", "lnkd.in", "reddit.", "tiktok.", "youtube.",
                "youtu.be", "snapchat.", "whatsapp.", "telegram.", "threads.net", "tumblr.")
TAG_DISALLOWED = re.compile(r"[^a-z0-9._-]+")
KINDS = ("direct", "search", "social", "external")


@lru_cache(maxsize=4096)
def is_bot(user_agent: str) -> bool:
    """Known crawlers, link previewers and scripted clients; an empty user agent too.
    (Cached: the same few thousand user agents come back all day.)"""
    agent = user_agent.strip().lower()
    return not agent or any(token in agent for token in BOT_TOKENS)


def normalise_tag(value: str) -> str:
    """A channel tag as stored: lower case, spaces to '-', only [a-z0-9._-], <= 40 chars."""
    tag = TAG_DISALLOWED.sub("-", value.strip().lower().replace(" ", "-")).strip("-.")
    return tag[:MAX_TAG_LENGTH].strip("-.")


def _host_matches(host: str, patterns: tuple[str, ...]) -> bool:
    labels = host.removeprefix("www.").removeprefix("m.")
    return any(
        labels.startswith(p) or f".{p}" in f".{labels}" or labels == p.rstrip(".")
        for p in patterns
    )


def source_for(*, request, store) -> str:
    """The view's traffic source (see the module docstring); "" for internal navigation."""
    query = request.META.get("QUERY_STRING", "")
    # Parse the query only when it can hold a channel (most views have none).
    channel = normalise_tag(request.GET.get("channel", "")) if "channel=" in query else ""
    if channel:
        return channel
    referrer = request.META.get("HTTP_REFERER", "")
    if not referrer:
        return "direct"
    try:
        parts = urlsplit(referrer)
        host = (parts.hostname or "").lower()
    except ValueError:
        return "external"
    if not host:
        return "direct"
    own_host = request.META.get("HTTP_HOST") or request.META.get("SERVER_NAME", "")
    if host == own_host.split(":")[0].lower():
        if parts.path.startswith(f"/stores/{store.slug}/"):
            return INTERNAL
        return "external"
    if _host_matches(host, SEARCH_HOSTS):
        return "search"
    if _host_matches(host, SOCIAL_HOSTS):
        return "social"
    return "external"


def device_hash_for(*, request, at: datetime) -> str:
    """Keyed hash of client IP + user agent + UTC day: not reversible, changes daily."""
    ip = request.META.get("REMOTE_ADDR", "")
    agent = request.META.get("HTTP_USER_AGENT", "")
    message = f"{ip}|{agent}|{at.astimezone(UTC).date().isoformat()}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:32]
