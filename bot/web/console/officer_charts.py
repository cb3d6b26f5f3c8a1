"""Bar charts as plain geometry for server-drawn inline SVG (bot/web/templates/console/officer/_chart.html).

Why no chart library: the console's Content-Security-Policy allows no inline scripts or styles, and a chart
needs neither: rectangles and text with presentation attributes (fill, font-size) are not styles. Each chart
carries a title and a description for screen readers, and the page prints the same figures in a table.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Sequence

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 36
BAR_COLOUR = "#1d70b8"  # GOV.UK blue: 5.2:1 against white
AXIS_COLOUR = "#505a5f"
TEXT_COLOUR = "#0b0c0c"


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: float
    value_text: str


@dataclass(frozen=True)
class Tick:
    position: float
    text: str


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    width: int
    height: int
    bars: tuple[Bar, ...]
    y_ticks: tuple[Tick, ...] = ()
    x_labels: tuple[Tick, ...] = ()
    horizontal: bool = False
    colour: str = BAR_COLOUR
    axis_colour: str = AXIS_COLOUR
    text_colour: str = TEXT_COLOUR
    plot_left: float = LEFT
    plot_bottom: float = HEIGHT - BOTTOM


def nice_top(value: float) -> float:
    """A round number at or above `value` for the top of the scale (1, 2, 5, 10, 20, 50...)."""
    if value <= 0:
        return 1
    magnitude: float = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover


def _number(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


def day_chart(chart_id: str, title: str, values: Sequence[tuple[date, int]], unit: str) -> Chart:
    """Vertical bars, one per day, with a labelled scale; only some days are labelled when there are many."""
    days = len(values)
    highest = max((v for _, v in values), default=0)
    top = nice_top(highest)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(days, 1)
    bars = []
    for index, (day, value) in enumerate(values):
        height = plot_h * value / top
        bars.append(Bar(x=LEFT + index * slot + slot * 0.15, y=TOP + plot_h - height, width=max(slot * 0.7, 1),
                        height=height, label=f"{day:%d %b}", value=value, value_text=f"{value} {unit}"))
    every = max(1, math.ceil(days / 8))
    x_labels = tuple(Tick(LEFT + i * slot + slot / 2, f"{day.day} {day:%b}") for i, (day, _) in enumerate(values)
                     if i % every == 0)
    y_ticks = tuple(Tick(TOP + plot_h - plot_h * f, _number(top * f)) for f in (0, 0.5, 1))
    total = sum(v for _, v in values)
    busiest = max(values, key=lambda item: item[1]) if values else None
    description = (f"{total} {unit} from {values[0][0]:%d %B %Y} to {values[-1][0]:%d %B %Y}"
                   + (f"; the most on {busiest[0]:%d %B} ({busiest[1]})." if busiest and busiest[1] else ".")
                   if values else "No days in the range.")
    return Chart(chart_id, title, description, WIDTH, HEIGHT, tuple(bars), y_ticks, x_labels)


def _unit(unit: str, value: float) -> str:
    """' questions' after 2 but ' question' after 1: a chart read aloud must not say '1 questions'."""
    return unit[:-1] if value == 1 and unit.endswith("s") and unit.startswith(" ") else unit


def bar_list_chart(chart_id: str, title: str, items: Sequence[tuple[str, float]], unit: str = "",
                   scale_top: float | None = None) -> Chart:
    """Horizontal bars with their labels on the left and values at the end (topics, rates)."""
    label_w, row_h = 220, 28  # room for a 30-character label (the template cuts longer ones) at 12 px
    height = TOP + row_h * max(len(items), 1) + 8
    top = scale_top or nice_top(max((v for _, v in items), default=0))
    plot_w = WIDTH - label_w - 70
    bars = tuple(
        Bar(x=label_w, y=TOP + i * row_h + 4, width=plot_w * value / top if top else 0, height=row_h - 8,
            label=label, value=value, value_text=f"{_number(value)}{_unit(unit, value)}")
        for i, (label, value) in enumerate(items)
    )
    description = "; ".join(f"{label}: {_number(value)}{_unit(unit, value)}" for label, value in items) or \
        "Nothing to show yet."
    return Chart(chart_id, title, description, WIDTH, height, bars, horizontal=True, plot_left=label_w)
