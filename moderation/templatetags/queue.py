"""The queue's rows as cards on a phone: each cell carries its column's name."""
from __future__ import annotations

import re

from django import template
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

register = template.Library()
CELL_START = re.compile(r"^\s*<(td|th)\b")


@register.filter
def labelled(result, headers) -> list[SafeString]:
    """The admin's rendered cells of one row, each with `data-label` (its column's header,
    shown above the value under the phone breakpoint: admin.css)."""
    cells = []
    for item, header in zip(result, headers, strict=False):
        html = str(item)
        label = " ".join(strip_tags(str(header.get("text", ""))).split())
        start = CELL_START.match(html)
        if start and label:
            html = (html[:start.end()] + format_html(' data-label="{}"', capfirst(label))
                    + html[start.end():])
        # The admin rendered (and escaped) the cell; only an escaped attribute is added.
        cells.append(mark_safe(html))  # noqa: S308
    return cells
