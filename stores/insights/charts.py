"""Geometry of the daily chart, drawn by the template as inline SVG (no script, no style
attribute: the Content Security Policy allows neither)."""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext

from catalog.money import format_number

WIDTH = 800
HEIGHT = 260
TOP = 16
BOTTOM = 36  # room for the date labels
LEFT = 76
RIGHT = 24


@dataclass(frozen=True)
class Bar:
    x: float
    center: float
    y: float
    width: float
    height: float
    label: str
    title: str


def nice_ceiling(value: int) -> int:
    """A round axis maximum >= value (1, 2, 5 × 10^n)."""
    if value <= 0:
        return 1
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def short(value: float) -> str:
    """An axis label: 750, 1.5k, 10k."""
    if value >= 1000:
        return f"{value / 1000:g}k"
    return f"{value:g}"


def daily_chart(by_day) -> dict:
    """Bars of daily visitors and a line of daily views, scaled to one axis."""
    count = max(len(by_day), 1)
    top = nice_ceiling(max([f.views for _, f in by_day] + [f.visitors for _, f in by_day]
                           + [0]))
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / count
    bars, points = [], []
    label_every = max(1, -(-count // 6))  # at most 6 date labels: readable on a phone
    for index, (day, figures) in enumerate(by_day):
        x = LEFT + index * slot
        height = plot_height * figures.visitors / top
        bars.append(Bar(
            x=round(x + slot * 0.15, 2), center=round(x + slot / 2, 2),
            y=round(TOP + plot_height - height, 2),
            width=round(max(slot * 0.7, 1), 2), height=round(height, 2),
            label=date_format(day, "j M") if index % label_every == 0 else "",
            title=gettext("%(day)s: %(visitors)s visitors, %(views)s views") % {
                "day": date_format(day, "D j M"), "visitors": format_number(figures.visitors),
                "views": format_number(figures.views)},
        ))
        views_y = TOP + plot_height - plot_height * figures.views / top
        points.append(f"{x + slot / 2:.2f},{views_y:.2f}")
    gridlines = [
        {"y": round(TOP + plot_height - plot_height * i / 4, 2), "value": short(top * i / 4)}
        for i in range(5)
    ]
    return {
        "width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT, "bars": bars,
        "points": " ".join(points), "gridlines": gridlines,
        "label_y": HEIGHT - 8,
    }
