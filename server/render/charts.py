"""Bar charts drawn as SVG on the server: votes per candidate, seats per election over time.

Like the hemicycle, a chart is a pure function of its numbers, in the HTML itself, so that pages
need no script and crawlers, screen readers and tests read the same figures. Every bar carries a
`<title>` with its label and exact value, and the chart a `<desc>` that lists them all, so the
figure is readable without seeing it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

BAR_COLOUR = "#3b6ea5"
LABEL_WIDTH = 170  # room for the label column of a horizontal chart, in SVG units
ROW_HEIGHT = 26
CHART_WIDTH = 560


@dataclass(frozen=True)
class Bar:
    """One bar: what it is (`label`), its size (`value`) and how the value is written (`text`)."""

    label: str
    value: Decimal
    text: str
    href: str | None = None


def _shorten(text: str, limit: int = 26) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _link(inner: str, href: str | None) -> str:
    return f'<a href="{escape(href)}">{inner}</a>' if href else inner


def horizontal(bars: Sequence[Bar], title: str) -> str:
    """Bars from left to right, largest scale first: e.g. votes per candidate of one election."""
    if not bars:
        return ""
    top = max((b.value for b in bars), default=Decimal(0)) or Decimal(1)
    span = CHART_WIDTH - LABEL_WIDTH - 90
    height = ROW_HEIGHT * len(bars) + 10
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {CHART_WIDTH} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-labelledby="chart-title chart-desc">',
        f'<title id="chart-title">{escape(title)}</title>',
        '<desc id="chart-desc">'
        + escape("; ".join(f"{b.label}: {b.text}" for b in bars))
        + "</desc>",
    ]
    for i, bar in enumerate(bars):
        y = 5 + i * ROW_HEIGHT
        width = float(bar.value / top) * span
        label = (
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end" class="chart-label">'
            f"{escape(_shorten(bar.label))}</text>"
        )
        rect = (
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{width:.1f}" height="{ROW_HEIGHT - 8}" '
            f'fill="{BAR_COLOUR}"><title>{escape(bar.label)}: {escape(bar.text)}</title></rect>'
        )
        value = (
            f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{y + 16}" class="chart-value">'
            f"{escape(bar.text)}</text>"
        )
        parts.append(f'<g class="bar">{_link(label, bar.href)}{rect}{value}</g>')
    parts.append("</svg>")
    return "".join(parts)


def vertical(bars: Sequence[Bar], title: str) -> str:
    """Bars from bottom to top in the given order: e.g. a party's seats election after election."""
    if not bars:
        return ""
    top = max((b.value for b in bars), default=Decimal(0)) or Decimal(1)
    height, base_y, plot = 220, 190, 160
    step = max(36, min(90, (CHART_WIDTH - 20) // len(bars)))
    width = max(CHART_WIDTH, 20 + step * len(bars))
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-labelledby="chart-title chart-desc">',
        f'<title id="chart-title">{escape(title)}</title>',
        '<desc id="chart-desc">'
        + escape("; ".join(f"{b.label}: {b.text}" for b in bars))
        + "</desc>",
        f'<line x1="10" y1="{base_y}" x2="{width - 10}" y2="{base_y}" class="chart-axis" stroke="#888"/>',
    ]
    for i, bar in enumerate(bars):
        x = 10 + i * step + step * 0.2
        h = float(bar.value / top) * plot
        rect = (
            f'<rect x="{x:.1f}" y="{base_y - h:.1f}" width="{step * 0.6:.1f}" height="{h:.1f}" '
            f'fill="{BAR_COLOUR}"><title>{escape(bar.label)}: {escape(bar.text)}</title></rect>'
        )
        centre = x + step * 0.3
        value = (
            f'<text x="{centre:.1f}" y="{base_y - h - 4:.1f}" text-anchor="middle" '
            f'class="chart-value">{escape(bar.text)}</text>'
        )
        label = (
            f'<text x="{centre:.1f}" y="{base_y + 16}" text-anchor="middle" class="chart-label">'
            f"{escape(_shorten(bar.label, 10))}</text>"
        )
        parts.append(f'<g class="bar">{rect}{value}{_link(label, bar.href)}</g>')
    parts.append("</svg>")
    return "".join(parts)
