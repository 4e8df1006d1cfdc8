"""Text and links: length limits, contact details, hashtags, handles, prohibited terms,
outside links and video hosts, all as the content policy says (stores.content_policy)."""
from __future__ import annotations

from django.utils.translation import gettext_noop

from catalog.stored_texts import StoredText
from stores import content_policy as policy
from stores.documents import iter_pages

from ..models import ReasonCode
from .base import BLOCKING, Place, finding, tiles

# The policy's rules and the rejection reason each one gives.
REASONS = {
    "text_length": ReasonCode.OTHER,
    "outside_link": ReasonCode.CONTACT_DETAILS,
    "email_address": ReasonCode.CONTACT_DETAILS,
    "phone_number": ReasonCode.CONTACT_DETAILS,
    "hashtag": ReasonCode.HASHTAGS,
    "social_handle": ReasonCode.SOCIAL_HANDLES,
    "prohibited_terms": ReasonCode.NOT_FAMILY_FRIENDLY,
}


def text_findings(place: Place, text: str, *, html: bool = False,
                  limit: int | None = None) -> list[dict]:
    return [finding(place, v.code, BLOCKING, REASONS[v.code], v.text)
            for v in policy.text_violations(text, html=html, limit=limit)]


def check_text(document: dict) -> list[dict]:
    findings = text_findings(Place(), str(document.get("name") or ""),
                             limit=policy.STORE_NAME_MAX)
    for page in iter_pages(document):
        findings.extend(text_findings(Place(page=str(page.get("key") or "")),
                                      str(page.get("title") or ""),
                                      limit=policy.PAGE_TITLE_MAX))
    for place, at, tile_type in tiles(document):
        for text in tile_type.texts(at.config):
            findings.extend(text_findings(place, text.value, html=text.html, limit=text.limit))
        for link in tile_type.links(at.config):
            if link.kind == "video" and policy.parse_video_url(link.target) is None:
                findings.append(finding(place, "outside_link", BLOCKING,
                                        ReasonCode.CONTACT_DETAILS,
                                        StoredText(gettext_noop(
                                            "Videos come from YouTube or Vimeo only: "
                                            "%(url)s is not a video we can show."),
                                            url=link.target)))
    return findings
