"""A parliament chart: seats as dots on concentric half-rings, each party a wedge, drawn as SVG.

A pure function of the seat counts, drawn on the server so that the page needs no script and the
chart is in the HTML that crawlers, screen readers and tests read. The layout follows the usual
parliament diagram: rows are chosen so that the gap along a ring matches the gap between rings,
each row holds seats in proportion to its length, and seats are handed out to parties in order of
angle, left to right, so that each party fills one wedge.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

INNER = 0.4  # radius of the innermost ring, as a share of the outermost
WIDTH, HEIGHT = 400, 220  # the drawing's size in SVG units (it scales with the page)
CENTRE_X, CENTRE_Y, RADIUS = 200, 205, 190


@dataclass(frozen=True)
class Group:
    """A party (or any group) and the seats it holds; `href` links its wedge to its page."""

    label: str
    seats: int
    colour: str
    href: str | None = None


@dataclass(frozen=True)
class Seat:
    x: float
    y: float
    angle: float
    row: int


def rows_for(total: int) -> int:
    """How many rings `total` seats need for the seats to be about as far apart along a ring as across."""
    best, best_gap = 1, math.inf
    for rows in range(1, max(2, total) + 1):
        radii = _radii(rows)
        across = (1 - INNER) / (rows - 1) if rows > 1 else 1 - INNER
        along = sum(math.pi * r for r in radii) / total
        gap = abs(along - across)
        if gap < best_gap:
            best, best_gap = rows, gap
        if along > across:  # more rows only spread the seats further along than across
            break
    return best


def _radii(rows: int) -> list[float]:
    if rows == 1:
        return [(1 + INNER) / 2]
    return [INNER + i * (1 - INNER) / (rows - 1) for i in range(rows)]


def seats_layout(total: int) -> tuple[list[Seat], float]:
    """The positions of `total` seats (unit radius, centre at the origin, y up) and the dot radius."""
    if total <= 0:
        return [], 0.0
    rows = rows_for(total)
    radii = _radii(rows)
    length = sum(radii)
    counts = [max(1, round(total * r / length)) for r in radii]
    counts[-1] += total - sum(counts)  # rounding leftovers go to the longest ring
    while counts[-1] < 1:  # only possible for tiny totals: take back from the other rings
        donor = max(range(rows - 1), key=lambda i: counts[i])
        counts[donor] -= 1
        counts[-1] += 1
    seats = []
    for row, (radius, count) in enumerate(zip(radii, counts, strict=True)):
        for j in range(count):
            angle = math.pi / 2 if count == 1 else math.pi * (1 - j / (count - 1))
            seats.append(Seat(radius * math.cos(angle), radius * math.sin(angle), angle, row))
    seats.sort(key=lambda s: (-round(s.angle, 9), s.row))
    along = min(math.pi * r / max(c - 1, 1) for r, c in zip(radii, counts, strict=True))
    across = (1 - INNER) / (rows - 1) if rows > 1 else 1 - INNER
    return seats, 0.42 * min(along, across)


def svg(groups: Sequence[Group], *, title: str) -> str:
    """The chart as an SVG element, one <g> per group (with its name and seats as its <title>)."""
    total = sum(g.seats for g in groups)
    seats, dot = seats_layout(total)
    description = "; ".join(f"{g.label}: {g.seats}" for g in groups if g.seats)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="hemicycle" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="hemicycle-title hemicycle-desc">',
        f'<title id="hemicycle-title">{escape(title)}</title>',
        f'<desc id="hemicycle-desc">{total} seats. {escape(description)}</desc>',
    ]
    position = 0
    for group in groups:
        if group.seats <= 0:
            continue
        out.append(
            f'<g class="party" fill="{escape(group.colour)}" data-party="{escape(group.label)}" data-seats="{group.seats}">'
        )
        out.append(
            f"<title>{escape(group.label)}: {group.seats} seat{'s' if group.seats != 1 else ''}</title>"
        )
        for seat in seats[position : position + group.seats]:
            x = CENTRE_X + seat.x * RADIUS
            y = CENTRE_Y - seat.y * RADIUS
            out.append(f'<circle class="seat" cx="{x:.2f}" cy="{y:.2f}" r="{dot * RADIUS:.2f}"/>')
        out.append("</g>")
        position += group.seats
    out.append(
        f'<text class="total" x="{CENTRE_X}" y="{CENTRE_Y - 8}" text-anchor="middle">{total}</text>'
    )
    out.append(
        f'<text class="total-label" x="{CENTRE_X}" y="{CENTRE_Y + 10}" text-anchor="middle">seats</text>'
    )
    out.append("</svg>")
    return "\n".join(out)
