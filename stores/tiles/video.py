"""Video tile: a YouTube or Vimeo video, embedded without tracking cookies.

The shopper page shows a click-to-load facade (title, play button, "Plays from YouTube",
an optional poster uploaded by the brand): nothing is requested from the provider until
the shopper presses play; then static/stores/video.js swaps in the privacy-mode player.
Without JavaScript the facade is a link to the video on the provider's site."""
from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from stores import content_policy as policy
from stores.content_policy import parse_video_url

from .base import ConfigReader, TileType
from .fields import ImageField, TextField, VideoUrlField

if TYPE_CHECKING:
    from stores.rendering import PageCatalog

__all__ = ["VideoTile", "embed_url", "parse_video_url", "watch_url"]


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
    label = _("Video")
    description = _("A YouTube or Vimeo video, embedded in privacy mode: it loads when the "
                    "shopper presses play. An optional poster image shows until then.")
    script = "stores/video.js"

    fields = (
        VideoUrlField("url", label=_("Video address (YouTube or Vimeo)"), required=True,
                      help=_("The https address of the video on YouTube or Vimeo.")),
        TextField("title", label=_("Title"), max_length=policy.HEADING_MAX,
                  default=_("Video"), fallback=_("Video"),
                  help=_("Written on the video until the shopper presses play.")),
        # Decorative (the title is written on the facade): no alt text.
        ImageField("poster", label=_("Poster image (optional)"), alt=None, decorative=True),
    )

    def finish(self, cleaned: dict, reader: ConfigReader) -> dict:
        parsed = parse_video_url(cleaned["url"]) if cleaned.get("url") else None
        provider, video_id = parsed or ("", "")
        return {"url": cleaned["url"], "title": cleaned["title"], "provider": provider,
                "video_id": video_id, "poster": cleaned["poster"]}

    def context(self, config: dict, catalog: PageCatalog) -> dict:
        provider, video_id = config.get("provider"), config.get("video_id")
        if not video_id or provider not in PROVIDER_NAMES:
            return {"embed_url": "", "empty": True}
        return {
            "embed_url": embed_url(provider, video_id, autoplay=True),
            "watch_url": watch_url(provider, video_id),
            "provider_name": PROVIDER_NAMES[provider],
            # A poster deleted since the version was approved: the gradient instead.
            "poster": (poster := catalog.assets.get(config.get("poster"))),
            # Where the browser crops the poster, its focal point stays in view.
            "poster_class": " ".join(filter(None, ["video__poster",
                                                   poster.focal_class if poster else ""])),
        }
