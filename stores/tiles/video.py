"""Video tile: a YouTube or Vimeo video, embedded without tracking cookies."""
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


def embed_url(provider: str, video_id: str) -> str:
    if provider == "youtube":
        return f"https://www.youtube-nocookie.com/embed/{video_id}"
    return f"https://player.vimeo.com/video/{video_id}?dnt=1"


class VideoTile(TileType):
    name = "video"
    label = "Video"
    description = "A YouTube or Vimeo video, embedded in privacy mode."

    def default_config(self) -> dict:
        return {"url": "", "title": "Video"}

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
        return {"url": url, "title": title, "provider": provider, "video_id": video_id}

    def context(self, config: dict, catalog: PageCatalog) -> dict:
        if not config.get("video_id"):
            return {"embed_url": "", "empty": True}
        return {"embed_url": embed_url(config["provider"], config["video_id"])}
