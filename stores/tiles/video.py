"""Video tile: a YouTube or Vimeo video, embedded without tracking cookies.

The shopper page shows a click-to-load facade (title, play button, "Plays from YouTube",
an optional poster uploaded by the brand): nothing is requested from the provider until
the shopper presses play; then static/stores/video.js swaps in the privacy-mode player.
Without JavaScript the facade is a link to the video on the provider's site."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from .base import ConfigReader, TileType

if TYPE_CHECKING:
    from stores.rendering import PageCatalog

YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
VIMEO_ID = re.compile(r"^\d{6,12}$")
YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be",
                 "www.youtube-nocookie.com", "youtube-nocookie.com"}
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}


def parse_video_url(url: str) -> tuple[str, str] | None:
    """(provider, video id) for an allowed YouTube or Vimeo URL, else None."""
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


PROVIDER_NAMES = {"youtube": "YouTube", "vimeo": "Vimeo"}


def embed_url(provider: str, video_id: str, *, autoplay: bool = False) -> str:
    """The privacy-mode player. `autoplay`: the shopper already pressed play on the facade."""
    if provider == "youtube":
        url = f"https://www.youtube-nocookie.com/embed/{video_id}"
        return f"{url}?autoplay=1" if autoplay else url
    url = f"https://player.vimeo.com/video/{video_id}?dnt=1"
    return f"{url}&autoplay=1" if autoplay else url


def watch_url(provider: str, video_id: str) -> str:
    """The video's own page on the provider: where the facade links without JavaScript."""
    if provider == "youtube":
        return f"https://www.youtube.com/watch?v={video_id}"
    return f"https://vimeo.com/{video_id}"


class VideoTile(TileType):
    name = "video"
    label = "Video"
    description = ("A YouTube or Vimeo video, embedded in privacy mode: it loads when the "
                   "shopper presses play. An optional poster image shows until then.")
    script = "stores/video.js"

    def default_config(self) -> dict:
        return {"url": "", "title": "Video", "poster": None}

    def clean(self, reader: ConfigReader) -> dict:
        url = reader.text("url", max_length=300, required=True)
        title = reader.text("title", max_length=120) or "Video"
        provider = video_id = ""
        if url:
            parsed = parse_video_url(url)
            if parsed is None:
                reader.error("url", "unsupported_video",
                             "Use an https link to a YouTube or Vimeo video.")
            else:
                provider, video_id = parsed
        # The poster is decorative (the title is written on the facade): no alt text.
        poster = reader.asset("poster", required=False)
        return {"url": url, "title": title, "provider": provider, "video_id": video_id,
                "poster": poster}

    def asset_ids(self, config: dict) -> list[int]:
        return [config["poster"]] if config.get("poster") else []

    def context(self, config: dict, catalog: PageCatalog) -> dict:
        provider, video_id = config.get("provider"), config.get("video_id")
        if not video_id or provider not in PROVIDER_NAMES:
            return {"embed_url": "", "empty": True}
        return {
            "embed_url": embed_url(provider, video_id, autoplay=True),
            "watch_url": watch_url(provider, video_id),
            "provider_name": PROVIDER_NAMES[provider],
            # A poster deleted since the version was approved: the gradient instead.
            "poster": catalog.assets.get(config.get("poster")),
        }
