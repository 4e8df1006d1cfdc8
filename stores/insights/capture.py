"""Page-view capture for insights, called by the shopper page view (off the hot path)."""
from __future__ import annotations


def page_view_record(*, request, store, page_key: str, cookie_visitor_id: str | None,
                     new_visitor_id: str | None) -> None:
    """Record one shopper page view. `cookie_visitor_id` is the sf_vid the browser sent
    (None when it sent none); `new_visitor_id` the id the response is setting, if any."""
